"""Half-up rounding (四舍五入) for every number shown to a person.

Python's round() rounds half to even (round(2.5) == 2); an official table
must show 3. Floats are converted through repr so 2.675 rounds as written.
"""

from decimal import ROUND_HALF_UP, Decimal


def half_up(value: float | Decimal | int, places: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    # float() first: numpy scalars are floats whose repr is "np.float64(…)".
    return Decimal(repr(float(value)) if isinstance(value, float) else value).quantize(
        quantum, rounding=ROUND_HALF_UP
    )
