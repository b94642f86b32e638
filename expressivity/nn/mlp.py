"""A population of layered feed-forward networks that share one architecture.

Every array carries a leading population axis ``P`` so that all restarts run
in the same batched matmuls: ``weights[l]`` is ``(P, fan_in, fan_out)``,
``biases[l]`` is ``(P, fan_out)`` and layer values are ``(P, batch, units)``.
"""
import numpy as np

from expressivity.nn.activations import ACTIVATIONS, DERIVATIVES
from expressivity.nn.backprop import backward
from expressivity.nn.init import INITIALISERS
from expressivity.nn import losses
from expressivity.nn.losses import LOSSES


def _check_name(key, value, allowed):
    if value not in allowed:
        raise ValueError(f"{key}={value!r} is not known; allowed: {', '.join(sorted(allowed))}")


class MLP:
    """Population of ``P`` networks ``z = a @ W + b``, ``a = f(z)``.

    Parameters
    ----------
    weights : list of ndarray, each (P, fan_in, fan_out)
    biases : list of ndarray, each (P, fan_out), or None for a net without bias neurons
    activations : sequence of str, one per non-input layer (a single str applies to all)
    """

    def __init__(self, weights, biases, activations):
        self.weights = [np.asarray(w) for w in weights]
        self.biases = None if biases is None else [np.asarray(b) for b in biases]
        if isinstance(activations, str):
            activations = [activations] * len(self.weights)
        self.activations = tuple(activations)
        if len(self.activations) != len(self.weights):
            raise ValueError(f"activations has {len(self.activations)} entries; "
                             f"allowed: exactly one per non-input layer ({len(self.weights)})")
        for name in self.activations:
            _check_name("activation", name, ACTIVATIONS)
        self.pre_activations, self.layer_outputs = [], []

    @classmethod
    def init(cls, sizes, activations, population=1, init="xavier", bias=True,
             rng=None, dtype=np.float64, scale=1.0):
        """Draw a population of random networks.

        ``rng`` is one ``np.random.Generator`` (the whole population is drawn from
        it) or a sequence of ``population`` generators, one per member, so that a
        member drawn alone from its own generator equals the same member drawn in
        a population. Biases start at zero, except for ``init="uniform"`` where
        they are drawn like the weights (the essay's bias edges are weights too).
        """
        _check_name("init", init, INITIALISERS)
        if isinstance(activations, str):
            activations = [activations] * (len(sizes) - 1)
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"activations has {len(activations)} entries; "
                             f"allowed: exactly one per non-input layer ({len(sizes) - 1})")
        rngs = rng if isinstance(rng, (list, tuple)) else None
        rng = np.random.default_rng() if rng is None and rngs is None else rng
        if rngs is not None and len(rngs) != population:
            raise ValueError(f"rng has {len(rngs)} generators; allowed: one per member ({population})")
        draw = INITIALISERS[init]

        def sample(fan_in, fan_out, shape, fn):
            if rngs is None:
                return fn(rng, (population, *shape), fan_in, fan_out, scale)
            return np.stack([fn(r, shape, fan_in, fan_out, scale) for r in rngs])

        weights, biases = [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            weights.append(sample(fan_in, fan_out, (fan_in, fan_out), draw).astype(dtype))
            bias_fn = draw if init == "uniform" else INITIALISERS["zeros"]
            biases.append(sample(fan_in, fan_out, (fan_out,), bias_fn).astype(dtype))
        return cls(weights, biases if bias else None, activations)

    @property
    def population(self):
        return self.weights[0].shape[0]

    @property
    def sizes(self):
        return (self.weights[0].shape[1], *(w.shape[2] for w in self.weights))

    @property
    def n_parameters(self):
        """Trainable numbers per member (weights plus biases)."""
        count = sum(w.shape[1] * w.shape[2] for w in self.weights)
        return count + (sum(b.shape[1] for b in self.biases) if self.biases is not None else 0)

    def forward(self, X):
        """Outputs for inputs ``X`` of shape (B, n_in) shared or (P, B, n_in) -> (P, B, n_out).

        Keeps every layer's ``z`` in ``pre_activations`` and ``a`` in
        ``layer_outputs`` (``layer_outputs[0]`` is the input) for ``backward``.
        """
        a = np.asarray(X, dtype=self.weights[0].dtype)
        if a.ndim == 2:
            a = np.broadcast_to(a, (self.population, *a.shape))
        self.pre_activations, self.layer_outputs = [], [a]
        for l, (W, name) in enumerate(zip(self.weights, self.activations)):
            z = a @ W
            if self.biases is not None:
                z = z + self.biases[l][:, None, :]
            a = ACTIVATIONS[name](z)
            self.pre_activations.append(z)
            self.layer_outputs.append(a)
        return a

    def backward(self, output_gradient, fused=False):
        """Backprop from ∂L/∂ŷ of shape (P, B, n_out), using the last ``forward``.

        With ``fused`` (``nn.losses.fused``: bce on a sigmoid output) ``output_gradient``
        is already ∂L/∂z of the output layer and the output's f' is not applied again.

        The essay's three steps, run by ``nn.backprop.backward`` (the one place
        they are written) on this class's layout. Returns (weight_gradients,
        bias_gradients or None), shaped like ``weights`` and ``biases``.
        """
        layout = _Layout(self)
        backward(layout, len(self.weights), output_gradient, fused)
        return layout.wgrads, (layout.bgrads if self.biases is not None else None)

    def loss(self, X, Y, loss="squared"):
        """Mean over the batch of the per-example loss: (P,)."""
        _check_name("loss", loss, LOSSES)
        prediction = self.forward(X)
        return losses.value(loss, self.activations[-1], prediction, self.pre_activations[-1],
                            self._targets(Y)).mean(axis=-1)

    def _targets(self, Y):
        Y = np.asarray(Y)
        if Y.shape[-1] != self.sizes[-1]:
            raise ValueError(f"targets have {Y.shape[-1]} columns; allowed: one per output "
                             f"unit ({self.sizes[-1]})")
        return Y

    def loss_and_gradients(self, X, Y, loss="squared"):
        """Batch loss (P,) and its gradients, shaped like ``weights`` and ``biases``.

        ``Y`` is (B, n_out) shared or (P, B, n_out).
        """
        _check_name("loss", loss, LOSSES)
        Y = self._targets(Y)
        prediction = self.forward(X)
        batch = prediction.shape[1]
        out = self.activations[-1]
        value = losses.value(loss, out, prediction, self.pre_activations[-1], Y).mean(axis=-1)
        gradient = losses.output_gradient(loss, out, prediction, Y) / batch
        wgrads, bgrads = self.backward(gradient, losses.fused(loss, out))
        return value, wgrads, bgrads

    def member(self, p):
        """Member ``p`` as a population of one (copies)."""
        return MLP([w[p:p + 1].copy() for w in self.weights],
                   None if self.biases is None else [b[p:p + 1].copy() for b in self.biases],
                   self.activations)


class _Layout:
    """``MLP``'s arrays, (P, batch, units), as a layout for ``nn.backprop.backward``."""

    def __init__(self, net):
        self.net = net
        self.wgrads = [None] * len(net.weights)
        self.bgrads = [None] * len(net.weights)

    def output_delta(self, output_gradient):
        return self.times_derivative(len(self.net.weights) - 1, output_gradient)

    def send_down(self, l, delta):
        return delta @ np.swapaxes(self.net.weights[l], 1, 2)

    def times_derivative(self, l, error):
        net = self.net
        return error * DERIVATIVES[net.activations[l]](net.pre_activations[l],
                                                       net.layer_outputs[l + 1])

    def weight_gradient(self, l, delta):
        self.wgrads[l] = np.swapaxes(self.net.layer_outputs[l], 1, 2) @ delta
        self.bgrads[l] = delta.sum(axis=1)
