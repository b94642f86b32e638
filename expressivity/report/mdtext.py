"""Small Markdown helpers for the report: numbers as text, table cells, tables, heading anchors."""
import math
import re

import numpy as np


def format_number(value, digits=4):
    """A deciding number as short text: 4 significant digits, n/a for NaN, ∞ for infinity.

    Parameters
    ----------
    value : int, float, bool, str, None, or a list/tuple of those
    digits : significant digits for floats
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        return f"{value:.{digits}g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_number(v, digits) for v in value) + "]"
    return str(value)


def cell(text):
    """Text safe inside one Markdown table cell: pipes escaped, line breaks removed."""
    return " ".join(str(text).split()).replace("|", "\\|")


def table(header, rows):
    """A Markdown pipe table.

    Parameters
    ----------
    header : sequence of column titles
    rows : sequence of rows, each a sequence of cell values (converted with ``str``)
    """
    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def plain_text(markdown):
    """The text a reader sees of inline Markdown (code ticks, emphasis and link targets dropped)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*]", "", text)


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens.

    The HTML page uses the same ids, so one link works in both.
    """
    text = plain_text(heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
