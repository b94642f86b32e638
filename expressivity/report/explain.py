"""The essay's running example with concrete numbers: one forward pass, one backprop step.

The essay's network (its figure in chapter I) has one input neuron (1), two
hidden layers of two neurons (3, 4 and 6, 7), one output neuron (9) and a bias
neuron in every layer but the last (2, 5, 8). Neuron 3 feeds only neuron 6;
neuron 4 feeds both 6 and 7 (the essay's example of the "advanced chain rule"),
so the edge 3 → 7 does not exist: its weight is held at 0 and never trained.

``walkthrough`` evaluates that network on one training point and carries out
the essay's three backprop steps with every number kept: the output delta,
the deltas layer by layer in reverse, the weight gradients ``a_i · δ_j``. The
gradients are checked twice, against central finite differences of the loss
and against the core's ``MLP.loss_and_gradients`` (``∂L/∂W = aᵀ δ``), and one
gradient-descent step is taken. Neurons carry the essay's numbers.
"""
from dataclasses import dataclass

import numpy as np

from expressivity.nn import DERIVATIVES, MLP, TRAINABLE

# Layer sizes of the essay's network, and its edges that do not exist (layer, from, to).
ESSAY_SIZES = (1, 2, 2, 1)
MISSING_EDGES = ((1, 0, 1),)   # neuron 3 -> neuron 7
# Hand-picked weights, round enough to follow by hand: weights[l][from, to], biases[l][to].
ESSAY_WEIGHTS = ([[0.5, -1.0]], [[0.8, 0.0], [-0.6, 1.2]], [[1.5], [-0.9]])
ESSAY_BIASES = ([0.1, 0.2], [0.3, -0.4], [0.05])
FD_STEP = 1e-6


@dataclass(frozen=True)
class Edge:
    """One edge ``source -> target`` (essay numbers) into layer ``layer + 1``; ``row`` is
    the source unit's index, or None for the bias neuron."""
    source: int
    target: int
    layer: int
    row: object
    column: int


@dataclass
class Walkthrough:
    """Every number of one forward pass and one backprop step (layers l = 0 … L).

    z[l], a[l] : (units,) per layer (z[0] is None: input neurons apply no function)
    delta[l] : (units,) ∂L/∂z per non-input layer (delta[0] is None)
    gradients, finite_differences, core_gradients, new_weights : {Edge: float}
    """
    x: float
    y: float
    lr: float
    activation: str
    neurons: list
    bias_neurons: list
    edges: list
    weights: dict
    z: list
    a: list
    loss: float
    delta: list
    gradients: dict
    finite_differences: dict
    core_gradients: dict
    new_weights: dict
    new_loss: float


def number_neurons(sizes):
    """Essay numbering: per layer its units, then its bias neuron (none after the last)."""
    neurons, bias_neurons, count = [], [], 0
    for l, units in enumerate(sizes):
        neurons.append(list(range(count + 1, count + units + 1)))
        count += units
        if l < len(sizes) - 1:
            count += 1
            bias_neurons.append(count)
    return neurons, bias_neurons


def essay_edges(sizes=ESSAY_SIZES, missing=MISSING_EDGES):
    """Every edge of the network in layer order, bias edges last in each layer."""
    neurons, bias_neurons = number_neurons(sizes)
    edges = []
    for l in range(len(sizes) - 1):
        for j, target in enumerate(neurons[l + 1]):
            sources = [(i, s) for i, s in enumerate(neurons[l]) if (l, i, j) not in missing]
            edges += [Edge(s, target, l, i, j) for i, s in sources]
            edges.append(Edge(bias_neurons[l], target, l, None, j))
    return edges


def essay_network(activation="sigmoid"):
    """The running example as a population of one ``MLP``."""
    if activation not in TRAINABLE:
        raise ValueError(f"activation={activation!r} is not known; allowed: {', '.join(TRAINABLE)}")
    weights = [np.array(w, dtype=float)[None] for w in ESSAY_WEIGHTS]
    biases = [np.array(b, dtype=float)[None] for b in ESSAY_BIASES]
    return MLP(weights, biases, activation)


def get_weight(net, edge):
    if edge.row is None:
        return float(net.biases[edge.layer][0, edge.column])
    return float(net.weights[edge.layer][0, edge.row, edge.column])


def set_weight(net, edge, value):
    if edge.row is None:
        net.biases[edge.layer][0, edge.column] = value
    else:
        net.weights[edge.layer][0, edge.row, edge.column] = value


def essay_deltas(net, y):
    """The essay's steps 1 and 2 from the last forward pass: δ per non-input layer."""
    zs, outs, names = net.pre_activations, net.layer_outputs, net.activations
    y_hat = outs[-1][0, 0, 0]
    derivative = [DERIVATIVES[n](z[0, 0], a[0, 0]) for n, z, a in zip(names, zs, outs[1:])]
    deltas = [2 * (y_hat - y) * derivative[-1]]                         # step 1
    for l in range(len(zs) - 2, -1, -1):                               # step 2, in reverse
        deltas.insert(0, (net.weights[l + 1][0] @ deltas[0]) * derivative[l])
    return [None, *deltas]


def loss_at(net, x, y):
    return float(net.loss([[x]], [[y]], "squared")[0])


def central_difference(net, edge, x, y, step=FD_STEP):
    """(L(w + h) - L(w - h)) / 2h for the weight on ``edge``."""
    w = get_weight(net, edge)
    set_weight(net, edge, w + step)
    above = loss_at(net, x, y)
    set_weight(net, edge, w - step)
    below = loss_at(net, x, y)
    set_weight(net, edge, w)
    return (above - below) / (2 * step)


def walkthrough(x=0.5, y=1.0, lr=0.5, activation="sigmoid"):
    """Forward pass, the three backprop steps and one SGD step on the point (x, y)."""
    for key, value in (("x", x), ("y", y), ("lr", lr)):
        if not np.isfinite(value):
            raise ValueError(f"{key}={value!r}; allowed: a finite number")
    if lr <= 0:
        raise ValueError(f"lr={lr!r}; allowed: a positive number")
    net, edges = essay_network(activation), essay_edges()
    neurons, bias_neurons = number_neurons(ESSAY_SIZES)
    loss, core_w, core_b = net.loss_and_gradients([[x]], [[y]], "squared")
    z = [None, *(v[0, 0].copy() for v in net.pre_activations)]
    a = [v[0, 0].copy() for v in net.layer_outputs]
    delta = essay_deltas(net, y)
    # Step 3: ∂L/∂w_ij = a_i δ_j (a bias neuron's a_i is 1).
    gradients = {e: float((1.0 if e.row is None else a[e.layer][e.row]) * delta[e.layer + 1][e.column])
                 for e in edges}
    core = {e: float((core_b if e.row is None else core_w)[e.layer][0][
        (e.column,) if e.row is None else (e.row, e.column)]) for e in edges}
    differences = {e: central_difference(net, e, x, y) for e in edges}
    weights = {e: get_weight(net, e) for e in edges}
    new_weights = {e: weights[e] - lr * gradients[e] for e in edges}
    for e, w in new_weights.items():
        set_weight(net, e, w)
    return Walkthrough(x=x, y=y, lr=lr, activation=activation, neurons=neurons,
                       bias_neurons=bias_neurons, edges=edges, weights=weights, z=z, a=a,
                       loss=float(loss[0]), delta=delta, gradients=gradients,
                       finite_differences=differences, core_gradients=core,
                       new_weights=new_weights, new_loss=loss_at(net, x, y))


def largest_disagreement(walk):
    """Largest |essay gradient - finite difference| and |essay gradient - core gradient|."""
    fd = max(abs(walk.gradients[e] - walk.finite_differences[e]) for e in walk.edges)
    core = max(abs(walk.gradients[e] - walk.core_gradients[e]) for e in walk.edges)
    return fd, core
