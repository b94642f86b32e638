"""Deciding numbers in words: labels, units, and no raw nan, inf, None or Python lists."""
import numpy as np
import pytest

from expressivity.report.wording import find_label, format_value, humanise_key, labelled_rows, say


@pytest.mark.parametrize("value, unit, text", [
    (1.4712, "×", "1.471×"),
    (0.25, "s", "0.25 s"),
    (3.0, "", "3"),
    (12000, "epochs", "12,000 epochs"),
    (-0.5, "", "−0.5"),
    (2e-5, "", "2 × 10⁻⁵"),
    (-1.25e7, "", "−1.25 × 10⁷"),
    (float("nan"), "×", "not measured"),
    (np.float64("nan"), "", "not measured"),
    ("nan", "", "not measured"),
    (None, "s", "not measured"),
    (float("inf"), "", "unbounded"),
    (True, "", "yes"),
    (np.bool_(False), "", "no"),
    ([8], "", "8"),
    ([3, 4], "bits", "3 bits and 4 bits"),
    ((1, 2, 3), "", "1, 2 and 3"),
    (list(range(1, 11)), "", "1, 2, 3, 4, 5, … and 10 (10 values)"),
    ([], "", "none"),
    (np.array([0.5, 1.5]), "", "0.5 and 1.5"),
    ({"relu": 0.9, "sigmoid_rate": float("nan")}, "", "relu: 0.9; sigmoid rate: not measured"),
    ("exponential", "", "exponential"),
    (np.int64(7), "", "7"),
])
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize("value", [float("nan"), None, [8], [1.5, float("nan")], (1, 2),
                                   np.array([1.0]), float("inf")])
def test_no_raw_python_or_nan_text_leaks(value):
    text = format_value(value)
    for raw in ("nan", "None", "[", "]", "(", "inf"):
        assert raw not in text


def test_labels_exact_then_pattern_then_made_from_the_key():
    labels = {"searches": ("width searches run", ""),
              "*.growth_factor": ("{} tables: minimal width grows per extra input bit", "×"),
              "*.seconds": "time on {} (s)"}
    assert find_label("searches", labels) == ("width searches run", "")
    assert find_label("random.growth_factor", labels) == \
        ("random tables: minimal width grows per extra input bit", "×")
    assert find_label("big_net.seconds", labels) == ("time on big net (s)", "")
    assert find_label("parity.r2", labels) == ("parity r2", "")
    assert humanise_key("random.growth_factor") == "random growth factor"


def test_say_and_rows_never_show_the_key_when_a_label_exists():
    labels = {"*.growth_factor": ("{} tables: width growth per input bit", "×")}
    sentence = say("random.growth_factor", 1.4712, labels)
    assert sentence == "random tables: width growth per input bit: 1.471×"
    assert "growth_factor" not in sentence
    rows = labelled_rows({"random.growth_factor": 1.4712, "n": [8]}, labels)
    assert rows == [("random tables: width growth per input bit", "1.471×"), ("n", "8")]


def test_every_claims_number_labels_are_words_and_a_unit():
    from expressivity.claims.registry import discover
    seen = 0
    for claim in discover().values():
        labels = getattr(claim.module(), "NUMBER_LABELS", {})
        for pattern, entry in labels.items():
            label, unit = entry
            assert isinstance(label, str) and label.strip() and isinstance(unit, str), pattern
            assert pattern.count("*") <= 1 and ("{}" in label) == ("*" in pattern), pattern
            seen += 1
    assert seen >= 20
