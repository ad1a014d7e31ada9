"""Spreadsheet mode: score COINr-layout files with the engine alone, no database.

Inputs are laid out as the JRC's COINr package lays them out:
- data: a ``uCode`` column and one column per indicator (other columns ignored);
- meta: ``iCode, iName, Level, Parent, Direction, Weight, Type``; Type
  ``Indicator`` rows (Level 1) are data columns, ``Aggregate`` rows (Level 2 and
  up) are computed; any other Type (Group, Denominator, Other) is ignored.

With min-max normalisation and arithmetic aggregation the results are COINr's:
each indicator is multiplied by its direction and scaled to 0–100 between its
min and max ignoring missing values (missing stays missing); an aggregate is
the weighted mean of its children, missing children dropped and the remaining
weights rescaled; rank 1 is best and ties share the best place (1, 2, 2, 4).

    luoshi score --data DATA.csv --meta META.csv --out RESULTS.csv
                 [--normalise minmax|zscore|rank|prank|borda] [--low 0 --high 100]
                 [--aggregate arithmetic|geometric] [--uncertainty 1000 --seed 1]
"""

import argparse
import csv
import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import aggregate, normalise, ranking
from .uncertainty import monte_carlo


class InputError(ValueError):
    """A problem with the files, said in words that name the file, row and column."""


@dataclass
class Meta:
    code: str
    name: str
    level: int
    parent: str
    direction: float
    weight: float
    kind: str


def read_table(path: str) -> list[dict[str, str]]:
    """Rows of a .csv (UTF-8, with or without BOM, or GB18030) or the first sheet of an .xlsx."""
    if path.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        raw = Path(path).read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"{path}: not UTF-8 or GB18030 text")
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError(f"{path}: empty")
    header = [h.strip() for h in rows[0]]
    return [
        dict(zip(header, (c.strip() for c in row), strict=False)) for row in rows[1:] if any(row)
    ]


def _number(text: str, where: str) -> float:
    if text in ("", "NA", "NaN", "nan"):
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{where}: “{text}” is not a number") from None


def parse_meta(rows) -> list[Meta]:
    needed = ["iCode", "Level", "Parent", "Direction", "Weight", "Type"]
    if rows and (missing := [c for c in needed if c not in rows[0]]):
        raise InputError(f"meta: missing column(s) {', '.join(missing)}")
    out = []
    for n, row in enumerate(rows, start=2):
        kind = row["Type"]
        if kind not in ("Indicator", "Aggregate"):
            continue
        where = f"meta row {n} ({row['iCode']})"
        direction = _number(row["Direction"] or "1", where + " Direction")
        if direction not in (1.0, -1.0):
            raise InputError(f"{where}: Direction must be 1 or -1")
        out.append(
            Meta(
                row["iCode"],
                row.get("iName", ""),
                int(_number(row["Level"], where + " Level")),
                row["Parent"],
                direction,
                _number(row["Weight"] or "1", where + " Weight"),
                kind,
            )
        )
    codes = {m.code for m in out}
    for m in out:
        if m.parent and m.parent not in codes:
            raise InputError(
                f"meta: parent “{m.parent}” of {m.code} is not an aggregate in the file"
            )
    return out


@dataclass
class Results:
    units: list[str]
    columns: list[str]
    values: np.ndarray  # units × columns
    rank_columns: list[str]
    ranks: np.ndarray


def score(
    data_rows,
    meta: list[Meta],
    *,
    method="minmax",
    low=0.0,
    high=100.0,
    aggregation="arithmetic",
    draws=0,
    seed=0,
) -> Results:
    indicators = [m for m in meta if m.kind == "Indicator"]
    aggregates = sorted((m for m in meta if m.kind == "Aggregate"), key=lambda m: m.level)
    if not indicators:
        raise InputError("meta: no rows of Type Indicator")
    units = [row.get("uCode", "") for row in data_rows]
    if "" in units:
        raise InputError(f"data row {units.index('') + 2}: uCode is empty")
    missing_columns = [m.code for m in indicators if m.code not in data_rows[0]]
    if missing_columns:
        raise InputError(f"data: no column for indicator(s) {', '.join(missing_columns)}")
    x = np.array(
        [
            [
                _number(row[m.code], f"data row {n} ({row['uCode']}), column {m.code}")
                for m in indicators
            ]
            for n, row in enumerate(data_rows, start=2)
        ]
    )
    direction = np.array([m.direction for m in indicators])
    if method == "minmax":
        normalised = normalise.minmax(x, direction, low=low, high=high)
    else:
        normalised = normalise.METHODS[method](x, direction)
    combine = aggregate.METHODS[aggregation]
    values = {m.code: normalised[:, j] for j, m in enumerate(indicators)}
    for agg in aggregates:
        children = [m for m in meta if m.parent == agg.code]
        if not children:
            raise InputError(f"meta: aggregate {agg.code} has no children")
        stacked = np.column_stack([values[c.code] for c in children])
        try:
            values[agg.code] = combine(stacked, [c.weight for c in children])
        except ValueError as e:
            raise InputError(f"aggregate {agg.code}: {e}") from None
    columns = [m.code for m in indicators] + [m.code for m in aggregates]
    rank_columns = [f"Rank.{m.code}" for m in aggregates]
    ranks = (
        np.column_stack([ranking.competition_rank(values[m.code]) for m in aggregates])
        if aggregates
        else np.empty((len(units), 0))
    )
    table = np.column_stack([values[c] for c in columns])
    if draws:
        top = [m for m in aggregates if m.level == aggregates[-1].level]
        if len(top) == 1 and top[0].level == 2:
            # One aggregate over the indicators directly: perturb the indicator weights.
            interval = monte_carlo(
                x, direction, [m.weight for m in indicators], draws=draws, seed=seed
            )
            table = np.column_stack([table, interval.median, interval.low, interval.high])
            columns += ["MedianRank", "Rank5", "Rank95"]
        else:
            raise InputError(
                "--uncertainty needs a single index built directly from the indicators (two levels)"
            )
    return Results(units, columns, table, rank_columns, ranks)


def write_results(results: Results, out) -> None:
    from luoshi.lib.cells import neutralise

    writer = csv.writer(out)
    writer.writerow(["uCode", *results.columns, *results.rank_columns])
    for i, unit in enumerate(results.units):
        cells = [repr(float(v)) if not math.isnan(v) else "" for v in results.values[i]]
        ranks = [str(int(r)) if not math.isnan(r) else "" for r in results.ranks[i]]
        # Unit codes come from the input file: one like "=cmd|…" must stay text in Excel.
        writer.writerow([neutralise(str(unit)), *cells, *ranks])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="luoshi score", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--meta", required=True)
    parser.add_argument("--out", required=True, help="results .csv (- for standard output)")
    parser.add_argument("--normalise", choices=sorted(normalise.METHODS), default="minmax")
    parser.add_argument("--low", type=float, default=0.0, help="min-max lower bound (default 0)")
    parser.add_argument(
        "--high", type=float, default=100.0, help="min-max upper bound (default 100)"
    )
    parser.add_argument("--aggregate", choices=sorted(aggregate.METHODS), default="arithmetic")
    parser.add_argument("--uncertainty", type=int, default=0, metavar="N", help="Monte Carlo draws")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        results = score(
            read_table(args.data),
            parse_meta(read_table(args.meta)),
            method=args.normalise,
            low=args.low,
            high=args.high,
            aggregation=args.aggregate,
            draws=args.uncertainty,
            seed=args.seed,
        )
    except (InputError, OSError) as e:
        print(f"luoshi score: {e}", file=sys.stderr)
        return 2
    if args.out == "-":
        write_results(results, sys.stdout)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as out:
            write_results(results, out)
        print(f"{len(results.units)} units, {len(results.columns)} columns → {args.out}")
    return 0
