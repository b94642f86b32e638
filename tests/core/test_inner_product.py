"""Inner product mod 2: the task against a hand-computed table, and the two-layer construction
run as an MLP on every input for n = 1..10."""
import numpy as np
import pytest

from expressivity.tasks import truth_table
from expressivity.theory import inner_product_deep


def test_task_by_hand():
    X, Y = truth_table("inner_product", 4)
    x0, x1, y0, y1 = X.T.astype(int)
    assert np.array_equal(Y[:, 0], (x0 * y0) ^ (x1 * y1))
    X, Y = truth_table("inner_product", 3)                       # x0*y0 xor z
    assert np.array_equal(Y[:, 0], (X[:, 0].astype(int) & X[:, 1].astype(int)) ^ X[:, 2].astype(int))


@pytest.mark.parametrize("n", range(1, 11))
def test_construction_computes_it_with_n_units(n):
    X, Y = truth_table("inner_product", n)
    net = inner_product_deep(n)
    assert np.array_equal(net.forward(X)[0], Y)
    assert sum(net.sizes[1:-1]) == 2 * (n // 2 + n % 2)


def test_bad_n():
    with pytest.raises(ValueError, match="n=0"):
        inner_product_deep(0)
