"""What a network without bias neurons provably cannot fit (one hidden layer, as trained).

Without biases, ``z_out = v · f(W x)``. Three symmetries follow:

- tanh units on ±1 inputs with a tanh read-out: the network is odd,
  net(−x) = −net(x), so the truth table must be odd on every antipodal pair.
- sigmoid units on ±1 inputs: σ(−z) = 1 − σ(z) makes z_out(x) + z_out(−x) = Σv,
  one constant, so every pair with f(x) = f(−x) must carry the same value.
- ReLU units on ±1 inputs: relu(z) − relu(−z) = z makes z_out(x) − z_out(−x) = u · x
  for u = Wᵀv, so the inputs x with f(x) = +1, f(−x) = −1 must lie strictly on one
  side of a hyperplane through the origin (searched over integer u, |u_i| ≤ 3).
- ReLU or tanh units on 0/1 inputs: every unit is 0 at x = 0 and the sigmoid
  read-out gives exactly 0.5 there: a tie. If ties count as class 0 (the
  exact-fit flag's ``>``), f(0) must be 0; if a fit needs a margin, no
  function can be fitted.

Each returns a reason when the function is out of reach, None when no
obstruction is known (which does not prove that one is reachable).
"""
import itertools

import numpy as np

# Integer search range for the ReLU hyperplane; enough for n <= 3 (the sweep's functions).
HYPERPLANE_RANGE = 3


def antipodes(rows):
    """Row of −x for each row x of a ±1 truth table in counting order: i -> rows − 1 − i."""
    return np.arange(rows)[::-1]


def bias_free_obstruction(activation, encoding, X, Y, ties_fit=True):
    """Why a bias-free one-hidden-layer net cannot fit (X (2ⁿ, n), Y (2ⁿ,)), or None.

    ``ties_fit``: whether an output exactly on the threshold counts (as class 0) toward a fit.
    """
    Y = np.asarray(Y).ravel()
    if encoding == "01":
        if activation in ("relu", "tanh") and not ties_fit:
            return "all units are 0 at x = 0, so the output there is exactly the 0.5 threshold"
        if activation in ("relu", "tanh") and Y[0] == 1:
            return "all units are 0 at x = 0, so the output is the 0.5 tie (class 0) but f(0) = 1"
        return None
    flipped = Y[antipodes(len(Y))]
    if activation == "tanh" and not np.all(Y == -flipped):
        return "the network is odd but the function is not"
    if activation == "sigmoid":
        even_values = set(Y[Y == flipped].tolist())
        if len(even_values) > 1:
            return "z(x) + z(-x) is one constant, but pairs with f(x) = f(-x) take both values"
    if activation == "relu":
        positive = np.asarray(X)[(Y > 0) & (flipped < 0)]
        if len(positive) and not _separable_through_origin(positive):
            return "z(x) - z(-x) is linear, but no hyperplane through 0 has {f(x)=1, f(-x)=-1} on one side"
    return None


def _separable_through_origin(points):
    """True if some integer u (|u_i| <= HYPERPLANE_RANGE) has u·x > 0 for every row of points."""
    span = range(-HYPERPLANE_RANGE, HYPERPLANE_RANGE + 1)
    U = np.array(list(itertools.product(span, repeat=points.shape[1])))
    return bool(((points @ U.T) > 0).all(axis=0).any())
