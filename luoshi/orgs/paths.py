"""Materialised paths for the unit tree.

A unit's path is its ancestors' ids and its own, each zero-padded to a fixed
width of digits. "Everything under X" is then a range scan,
``X.path <= path < upper_bound(X.path)``, which uses the plain B-tree index on
SQLite and PostgreSQL alike (a LIKE 'X%' would not on SQLite, whose ESCAPE
clause disables the optimisation). Digits only, so every collation orders them
the same way.
"""

SEGMENT = 8


def segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}"


def child_path(parent_path: str, pk: int) -> str:
    return parent_path + segment(pk)


def upper_bound(path: str) -> str:
    """The smallest path greater than every path that starts with ``path``."""
    # Fixed-width digit strings: incrementing the number gives the next
    # sibling prefix, which sorts after all of path's descendants.
    return str(int(path) + 1).zfill(len(path))


def depth_of(path: str) -> int:
    return len(path) // SEGMENT
