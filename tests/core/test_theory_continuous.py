"""Linear collapse, the sawtooth and exact piece counts, ReLU interpolants: run as MLPs."""
import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.tasks import truth_table
from expressivity.tasks.continuous import sawtooth
from expressivity.theory import (best_affine_loss, candidate_points, collapse, collapsed_network,
                                 interpolant_error, linear_pieces, relu_interpolant, sawtooth_deep,
                                 sawtooth_shallow, shallow_units_needed)


@pytest.mark.parametrize("depth", [1, 2, 5])
@pytest.mark.parametrize("bias", [True, False])
def test_identity_networks_collapse_to_one_affine_map(depth, bias):
    rng = np.random.default_rng(depth)
    net = MLP.init((3, *[4] * depth, 2), "identity", population=5, init="uniform", bias=bias, rng=rng)
    X = rng.normal(size=(9, 3))
    W, b = collapse(net)
    assert W.shape == (5, 3, 2) and (b is None) == (not bias)
    expected = net.forward(X)
    assert np.abs(collapsed_network(net).forward(X) - expected).max() <= 1e-12 * np.abs(expected).max()


def test_collapse_by_hand():
    net = MLP([np.array([[[2.0]]]), np.array([[[3.0]]])], [np.array([[1.0]]), np.array([[-4.0]])],
              "identity")
    W, b = collapse(net)            # 3(2x + 1) - 4 = 6x - 1
    assert W[0, 0, 0] == 6.0 and b[0, 0] == -1.0


def test_collapse_refuses_a_nonlinear_network():
    net = MLP.init((2, 3, 1), ["relu", "identity"], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="only 'identity'"):
        collapse(net)


def test_best_affine_fit_of_xor_is_a_quarter_and_and_is_lower():
    assert best_affine_loss(*truth_table("parity", 2)) == pytest.approx(0.25, abs=1e-15)
    assert best_affine_loss(*truth_table("and", 2)) == pytest.approx(1 / 16, abs=1e-15)


@pytest.mark.parametrize("L", range(1, 11))
def test_deep_sawtooth_has_2_to_the_L_pieces_with_2L_units(L):
    deep = sawtooth_deep(L)
    assert sum(deep.sizes[1:-1]) == 2 * L
    breakpoints, pieces = linear_pieces(deep, 0.0, 1.0)
    assert pieces == 2 ** L
    assert np.allclose(breakpoints, np.arange(1, 2 ** L) / 2 ** L, atol=1e-12)
    x = np.linspace(0, 1, 1001)[:, None]
    # against the tasks' own (independent) tent-map implementation
    assert np.abs(deep.forward(x)[0] - sawtooth(x, L=L)[:, None]).max() < 1e-12


@pytest.mark.parametrize("L", [1, 3, 6])
def test_shallow_sawtooth_is_the_same_function_with_2_to_the_L_units(L):
    shallow, deep = sawtooth_shallow(L), sawtooth_deep(L)
    assert sum(shallow.sizes[1:-1]) == 2 ** L >= shallow_units_needed(2 ** L)
    assert linear_pieces(shallow, 0.0, 1.0)[1] == 2 ** L
    x = np.linspace(0, 1, 4097)[:, None]
    assert np.abs(shallow.forward(x) - deep.forward(x)).max() < 1e-12


def test_pieces_ignore_dead_units_and_cancelled_kinks():
    # relu(x) - relu(x - 1/2) on [0, 1]: bends once at 1/2 -> 2 pieces
    net = MLP([np.array([[[1.0, 1.0]]]), np.array([[[1.0], [-1.0]]])],
              [np.array([[0.0, -0.5]]), np.array([[0.0]])], ["relu", "identity"])
    assert linear_pieces(net, 0.0, 1.0)[1] == 2
    # a unit that bends at 1/2 but has output weight 0 adds no piece
    net.weights[1][0, 1, 0] = 0.0
    assert 0.5 in candidate_points(net, 0.0, 1.0)
    assert linear_pieces(net, 0.0, 1.0)[1] == 1
    # two units bending at the same point with opposite kinks cancel: relu(x - a) - relu(x - a)
    twin = MLP([np.array([[[1.0, 1.0]]]), np.array([[[1.0], [-1.0]]])],
               [np.array([[-0.3, -0.3]]), np.array([[0.0]])], ["relu", "identity"])
    assert linear_pieces(twin, 0.0, 1.0)[1] == 1


def test_pieces_refuse_smooth_activations():
    net = MLP.init((1, 2, 1), ["sigmoid", "identity"], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="activations in"):
        linear_pieces(net, 0.0, 1.0)


def test_interpolant_passes_through_its_points():
    knots = np.array([-1.0, -0.2, 0.5, 1.0])
    values = np.array([0.3, -1.0, 2.0, 0.0])
    net = relu_interpolant(knots, values)
    assert net.sizes == (1, 3, 1)
    assert np.allclose(net.forward(knots[:, None])[0, :, 0], values, atol=1e-14)
    assert linear_pieces(net, -1.0, 1.0)[1] == 3
    with pytest.raises(ValueError, match="strictly increasing"):
        relu_interpolant([0.0, 0.0], [1.0, 2.0])


@pytest.mark.parametrize("N", [1, 2, 5, 16, 64])
def test_interpolant_of_x_squared_has_sup_error_one_over_n_squared(N):
    # on [-1, 1] each piece has width h = 2/N and error max (x - a)(b - x) = h^2 / 4
    assert interpolant_error(lambda x: x ** 2, -1.0, 1.0, N) == pytest.approx(1 / N ** 2, rel=1e-12)
