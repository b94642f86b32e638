"""Truth tables against brute-force enumeration; continuous targets by formula."""
import itertools

import numpy as np
import pytest

from expressivity.tasks import all_inputs, make_task, sample, truth_table


def _rows(n):
    return list(itertools.product([0, 1], repeat=n))


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_named_functions_match_enumeration(n):
    rows = _rows(n)
    expected = {
        "parity": [sum(r) % 2 for r in rows],
        "majority": [int(sum(r) > n / 2) for r in rows],
        "and": [int(all(r)) for r in rows],
        "or": [int(any(r)) for r in rows],
    }
    np.testing.assert_array_equal(all_inputs(n), rows)
    for name, y in expected.items():
        X, Y = truth_table(name, n)
        np.testing.assert_array_equal(X, rows)
        np.testing.assert_array_equal(Y[:, 0], y)


def test_majority_tie_gives_zero():
    X, Y = truth_table("majority", 2)
    assert Y[:, 0].tolist() == [0, 0, 0, 1]


def test_compositional_is_majority_of_pair_xors():
    X, Y = truth_table("compositional", 5)
    for x, y in zip(X.astype(int), Y[:, 0]):
        blocks = [x[0] ^ x[1], x[2] ^ x[3], x[4]]
        assert y == int(sum(blocks) >= 2)
    assert not np.array_equal(Y, truth_table("parity", 5)[1])


def test_pm1_encoding():
    X, Y = truth_table("parity", 2, encoding="pm1")
    assert X.tolist() == [[-1, -1], [-1, 1], [1, -1], [1, 1]] and Y[:, 0].tolist() == [-1, 1, 1, -1]
    assert make_task("parity", n=2, encoding="pm1").threshold == 0.0


def test_random_functions_are_seeded():
    a, b, c = (make_task("random", n=6, seed=s).Y for s in (1, 1, 2))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c) and 10 < a.sum() < 54


def test_dnf_is_an_or_of_terms():
    task = make_task("dnf", n=6, terms=1, seed=3)
    ones = task.X[task.Y[:, 0] == 1]
    # one conjunction of k literals is true on exactly 2^(6-k) rows: a power of two
    assert len(ones) & (len(ones) - 1) == 0


def test_too_large_truth_table_is_refused():
    with pytest.raises(ValueError, match=r"task.n=21 cannot be enumerated; allowed: an integer 1..20"):
        make_task("parity", n=21)


def test_unknown_task_is_refused():
    with pytest.raises(ValueError, match="task.name='xor3' is not known"):
        make_task("xor3")


def test_continuous_targets_by_formula():
    X, Y = sample("square", points=5)
    np.testing.assert_allclose(X[:, 0], [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_allclose(Y[:, 0], X[:, 0] ** 2)
    X, Y = sample("sin", points=3)
    np.testing.assert_allclose(Y[:, 0], [0, 0, 0], atol=1e-12)
    X, Y = sample("product", n=3, points=100, sampling="uniform", rng=np.random.default_rng(0))
    np.testing.assert_allclose(Y[:, 0], X.prod(axis=1))
    assert X.shape == (100, 3) and np.abs(X).max() <= 1


def test_sawtooth_has_2_to_the_L_teeth():
    X, Y = sample("sawtooth", points=2 ** 8 + 1, L=3)
    # peaks of the 3-fold tent map sit at odd multiples of 1/8, value 1; zeros at multiples of 1/4
    peaks = X[np.isclose(Y[:, 0], 1.0), 0]
    np.testing.assert_allclose(peaks, [1 / 8, 3 / 8, 5 / 8, 7 / 8])


def test_constant_data_skew_and_outliers():
    lognormal = make_task("constant", distribution="lognormal", points=500)
    assert lognormal.Y.mean() > np.median(lognormal.Y) and not lognormal.X.any()
    outliers = make_task("constant", distribution="outliers", points=100, outlier_fraction=0.1)
    assert (outliers.Y == 50).sum() == 10
