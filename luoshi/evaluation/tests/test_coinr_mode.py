"""`luoshi score` against a result worked out by hand (not by the engine).

Tree: IDX ← A (weight 2) ← i1 (w 1, higher better), i2 (w 3, lower better)
          ← B (weight 1) ← i3 (w 1)
Data, with missing values:
    u1: i1 10, i2  5, i3 100
    u2: i1 20, i2 NA, i3  50
    u3: i1 30, i2 15, i3  NA
    u4: i1 NA, i2 10, i3   0
By hand:
    i1 → 0, 50, 100, NA            (min 10, max 30)
    i2 → ×(−1): −5, NA, −15, −10 → 100, NA, 0, 50   (min −15, max −5)
    i3 → 100, 50, NA, 0
    A  = (1·i1 + 3·i2)/(weights present): u1 300/4 = 75; u2 50 (i1 alone); u3 100/4 = 25; u4 50 (i2 alone)
    B  = i3
    IDX = (2·A + 1·B)/(weights present): u1 250/3; u2 150/3 = 50; u3 25 (A alone); u4 100/3
    ranks: IDX u1 1, u2 2, u4 3, u3 4;  A: 75 → 1, the two 50s share 2, 25 → 4
"""

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest

META = """iCode,iName,Level,Parent,Direction,Weight,Type
i1,Indicator one,1,A,1,1,Indicator
i2,Indicator two,1,A,-1,3,Indicator
i3,Indicator three,1,B,1,1,Indicator
A,Area A,2,IDX,1,2,Aggregate
B,Area B,2,IDX,1,1,Aggregate
IDX,Index,3,,1,1,Aggregate
grp,Size group,,,,,Group
"""
DATA = """uCode,uName,grp,i1,i2,i3
u1,Unit 1,a,10,5,100
u2,Unit 2,a,20,,50
u3,Unit 3,b,30,15,NA
u4,Unit 4,b,,10,0
"""
EXPECTED = {
    "u1": {
        "i1": 0,
        "i2": 100,
        "i3": 100,
        "A": 75,
        "B": 100,
        "IDX": 250 / 3,
        "Rank.IDX": 1,
        "Rank.A": 1,
    },
    "u2": {"i1": 50, "i2": None, "i3": 50, "A": 50, "B": 50, "IDX": 50, "Rank.IDX": 2, "Rank.A": 2},
    "u3": {
        "i1": 100,
        "i2": 0,
        "i3": None,
        "A": 25,
        "B": None,
        "IDX": 25,
        "Rank.IDX": 4,
        "Rank.A": 4,
    },
    "u4": {
        "i1": None,
        "i2": 50,
        "i3": 0,
        "A": 50,
        "B": 0,
        "IDX": 100 / 3,
        "Rank.IDX": 3,
        "Rank.A": 2,
    },
}


def run_score(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    luoshi = Path(sys.executable).parent / "luoshi"
    return subprocess.run(
        [str(luoshi), "score", *args], capture_output=True, text=True, cwd=tmp_path
    )


def test_luoshi_score_reproduces_the_hand_computed_result(tmp_path):
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "meta.csv").write_text(META, encoding="utf-8")
    done = run_score(tmp_path, "--data", "data.csv", "--meta", "meta.csv", "--out", "results.csv")
    assert done.returncode == 0, done.stderr
    rows = {
        r["uCode"]: r for r in csv.DictReader((tmp_path / "results.csv").open(encoding="utf-8"))
    }
    assert list(rows) == ["u1", "u2", "u3", "u4"]
    for unit, expected in EXPECTED.items():
        for column, value in expected.items():
            cell = rows[unit][column]
            if value is None:
                assert cell == "", (unit, column)  # missing stays missing
            else:
                assert math.isclose(float(cell), value, rel_tol=1e-15, abs_tol=1e-12), (
                    unit,
                    column,
                    cell,
                )


def test_xlsx_inputs_and_uncertainty_columns(tmp_path):
    from openpyxl import Workbook

    for name, text in (("data.xlsx", DATA), ("meta.xlsx", META)):
        book = Workbook()
        for line in text.strip().splitlines():
            book.active.append(line.split(","))
        book.save(tmp_path / name)
    flat_meta = "\n".join(line for line in META.splitlines() if not line.startswith(("A,", "B,")))
    (tmp_path / "flat.csv").write_text(
        flat_meta.replace(",A,", ",IDX,")
        .replace(",B,", ",IDX,")
        .replace("IDX,Index,3", "IDX,Index,2"),
        encoding="utf-8",
    )
    assert (
        run_score(
            tmp_path, "--data", "data.xlsx", "--meta", "meta.xlsx", "--out", "r.csv"
        ).returncode
        == 0
    )
    done = run_score(
        tmp_path,
        "--data",
        "data.xlsx",
        "--meta",
        "flat.csv",
        "--uncertainty",
        "200",
        "--seed",
        "7",
        "--out",
        "-",
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    assert header[-4:] == ["MedianRank", "Rank5", "Rank95", "Rank.IDX"]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            DATA.replace("u2,Unit 2,a,20,", "u2,Unit 2,a,twenty,"),
            "data row 3 (u2), column i1: “twenty” is not a number",
        ),
        (DATA.replace("i3\n", "i9\n"), "no column for indicator(s) i3"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, data, message):
    (tmp_path / "data.csv").write_text(data, encoding="utf-8")
    (tmp_path / "meta.csv").write_text(META, encoding="utf-8")
    done = run_score(tmp_path, "--data", "data.csv", "--meta", "meta.csv", "--out", "results.csv")
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / "results.csv").exists()
