"""A claim's view of its construction jobs' records: one construction's rows as a frame.

Construction claims read their numbers from records (``Results.rows``, written by construction
jobs, ``expressivity.constructions``), never compute them. The parameters a record was made
with must be the ones the claim registered: a mismatch stops the analysis with a message
naming the parameter, the record's value and the claim's.
"""
import pandas as pd

META = ("job", "config_hash", "experiment")


def construction_frame(tables, name, expected):
    """The rows of construction ``name`` in ``tables.rows``, only the rows' own columns.

    ``expected`` ({parameter: value}) are the values the claim's rule registered; every one
    must equal the record's ``construction.<parameter>``. Raises ValueError when no record of
    ``name`` is present or a parameter differs.
    """
    rows = getattr(tables, "rows", None)
    if rows is None or rows.empty or "construction.name" not in rows:
        raise ValueError(f"no records of construction {name!r}: run its sweep first")
    part = rows[rows["construction.name"] == name]
    if part.empty:
        raise ValueError(f"no records of construction {name!r} among "
                         f"{sorted(set(rows['construction.name']))}: run its sweep first")
    if part["job"].nunique() > 1:
        raise ValueError(f"construction {name!r} has {part['job'].nunique()} records "
                         f"({sorted(set(part['job']))}); a claim reads exactly one")
    for key, value in expected.items():
        column = f"construction.{key}"
        want = str(list(value)) if isinstance(value, (list, tuple)) else value
        got = part[column].iloc[0] if column in part else None
        if got != want:
            raise ValueError(f"construction {name!r}: the record's {key}={got!r} is not the claim's "
                             f"registered {key}={want!r}; re-run the sweep with the registered values")
    own = [c for c in part.columns if not c.startswith("construction.") and c not in META]
    # Columns of other constructions are all missing here; the rest are re-inferred from the
    # record's own values, as a frame built from the rows directly would be.
    kept = part[own].dropna(axis=1, how="all")
    return pd.DataFrame(kept.to_dict("records"))


def construction_params(rule, names):
    """{parameter: rule value} for ``names`` ({parameter: rule field})."""
    return {param: getattr(rule, field) for param, field in names.items()}



