"""The scoring engine: arrays in, arrays out. No Django, no database, ever.

It follows the composite-indicator method of the OECD/JRC Handbook (2008) and
the JRC's COINr package (see docs/METHODOLOGY.md of the design). Arrays are
float64, units in rows and indicators in columns; NaN means "missing".

normalise.py  per-indicator scoring rules (min-max, z-score, ranks, goalposts,
              功效系数, target ratio, distance to target, rank-to-points)
aggregate.py  weighted arithmetic, geometric and generalised means with
              missing values dropped and weights renormalised per unit
ranking.py    ranks with shared ties (1, 2, 2, 4), within classes
rules.py      capped bonuses, escalating capped deductions, vetoes, exemptions,
              rank-change and improvement credit, each point explained
grades.py     bands from their wording (以上/不满…), gap/overlap refused,
              quotas per class with declared rounding and ties, vetoes
uncertainty.py Monte Carlo over weights, normalisation and aggregation
coinr.py      the spreadsheet mode: COINr-layout files in, results out
"""
