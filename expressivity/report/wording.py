"""Deciding numbers in words: a label and a unit per number, and values a reader can read.

A claim module may give ``NUMBER_LABELS``: ``{key pattern: (label, unit)}``.
A pattern is a number's key, or a key with one ``*`` that matches any text
(``"*.growth_factor"``); the label may use ``{}`` for what ``*`` matched::

    NUMBER_LABELS = {"*.growth_factor": ("{} tables: minimal width grows per extra input bit", "×")}

Numbers without a label get one made from their key (``random.growth_factor`` ->
"random growth factor"). ``format_value`` never prints a raw ``nan``, ``inf``,
``None`` or a Python list.
"""
import math
import re

import numpy as np

# What a value that was not measured or not defined reads as.
NOT_MEASURED = "not measured"
# Units written straight after the number, without a space.
TIGHT_UNITS = ("×", "%", "°")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
LIST_SHOWN = 6


def format_value(value, unit="", digits=4):
    """``value`` as text with its unit: 1.471×, 0.25 s, 3 and 4, 2.0 × 10⁻⁵, yes, not measured.

    Parameters
    ----------
    value : number, bool, str, None, or a list/tuple/array/dict of those
    unit : str written after numbers ("" for none)
    digits : significant digits of floats
    """
    value = _plain(value)
    if value is None:
        return NOT_MEASURED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return _join([format_value(v, unit, digits) for v in value])
    if isinstance(value, dict):
        return "; ".join(f"{humanise_key(k)}: {format_value(v, unit, digits)}"
                         for k, v in value.items()) or "none"
    if isinstance(value, int):
        return _with_unit(f"{value:,}", unit)
    if isinstance(value, float):
        return _float(value, unit, digits)
    text = " ".join(str(value).split())
    return _float(float(text), unit, digits) if text.lower() in ("nan", "inf", "-inf") else text


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _float(value, unit, digits):
    if math.isnan(value):
        return NOT_MEASURED
    if math.isinf(value):
        return "unbounded" if value > 0 else "unbounded below"
    if value == int(value) and abs(value) < 1e6:
        return _with_unit(f"{int(value):,}", unit)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e6):
        mantissa, exponent = f"{value:.{max(digits - 1, 0)}e}".split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"
        return _with_unit(text.replace("-", "−", 1) if text.startswith("-") else text, unit)
    text = f"{value:.{digits}g}"
    return _with_unit(text.replace("-", "−"), unit)


def _with_unit(text, unit):
    if not unit:
        return text
    return f"{text}{unit}" if unit in TIGHT_UNITS else f"{text} {unit}"


def _join(items):
    """'a', 'a and b', 'a, b and c', or the first few and the count for long lists."""
    if not items:
        return "none"
    if len(items) > LIST_SHOWN:
        return f"{', '.join(items[:LIST_SHOWN - 1])}, … and {items[-1]} ({len(items)} values)"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def humanise_key(key):
    """A readable label made from a number's key: 'random.growth_factor' -> 'random growth factor'."""
    parts = [p.replace("_", " ").strip() for p in str(key).split(".")]
    return " ".join(p for p in parts if p) or str(key)


def find_label(key, labels):
    """(label, unit) for ``key`` from ``labels`` (exact key first, then ``*`` patterns)."""
    labels = labels or {}
    if key in labels:
        return _entry(labels[key], ())
    for pattern, entry in labels.items():
        if "*" not in pattern:
            continue
        regex = "^" + re.escape(pattern).replace(r"\*", "(.+?)") + "$"
        match = re.match(regex, key)
        if match:
            return _entry(entry, match.groups())
    return humanise_key(key), ""


def _entry(entry, groups):
    label, unit = (entry, "") if isinstance(entry, str) else (entry[0], entry[1] or "")
    return label.format(*(g.replace("_", " ").replace(".", " ") for g in groups)), unit


def say(key, value, labels=None, digits=4):
    """'label: value unit' for one deciding number."""
    label, unit = find_label(key, labels)
    return f"{label}: {format_value(value, unit, digits)}"


def labelled_rows(numbers, labels=None, digits=4):
    """[(label, value with unit)] for every deciding number, in order."""
    rows = []
    for key, value in numbers.items():
        label, unit = find_label(key, labels)
        rows.append((label, format_value(value, unit, digits)))
    return rows
