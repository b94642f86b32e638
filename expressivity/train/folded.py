"""A chunk of the population with biases folded into the weights, for batched BLAS passes.

The readable reference is ``nn.MLP``; this is the same arithmetic laid out for
speed (docs/design.md, speed). Member ``c``'s layer ``l`` is one matrix
``theta[l][c]`` of shape (fan_out, fan_in + 1) whose last column is the bias,
and layer values are stored transposed, (members, units, rows), with a
constant row of ones under each hidden layer's units. Then

    z = theta @ [a; 1]            (the bias comes out of the matmul)
    ∂L/∂theta = delta @ [a; 1]ᵀ   (its last column is ∂L/∂b = Σ delta)

and every activation writes into a block that is contiguous per member.
Passes run over blocks of ``block`` members whose layer buffers are
allocated once and reused every epoch, so the working set stays near the
cache whatever the chunk. Each member's matmuls are separate BLAS calls
(NumPy loops over the leading axis), so a member's numbers do not depend on
which other members share its block. Where all members see the same table
(the first layer in full batch) the members' weights could be stacked into one
GEMM with the shared input; measured here (OpenBLAS, SkylakeX, n = 8, 12, 16)
that tall, thin GEMM was 1.1-3.5x slower than the per-member calls in every
regime, so the per-member layout is kept for all table sizes.
"""
import numpy as np

from expressivity.nn import losses
from expressivity.nn.backprop import backward
from expressivity.train.accelerator import kernels
from expressivity.train.inplace import FROM_HALF, Work
from expressivity.train.outcome import correct_rows

BLOCK = 32
# Layer buffers per block stay under this many bytes: big truth tables get
# smaller blocks (down to one member) instead of exhausting memory.
BLOCK_BYTES = 64 * 2 ** 20
ARRAYS_PER_LAYER = 5        # z, a, delta, scratch, and the loss pass's temporaries


def block_for(members, rows, units, itemsize, block=BLOCK):
    """Members per block: up to ``block``, fewer when their layer values pass BLOCK_BYTES.

    ``units`` is the number of non-input units of one member (all layers).
    """
    per_member = ARRAYS_PER_LAYER * rows * units * itemsize
    return max(1, min(block, members, int(BLOCK_BYTES // per_member)))


def with_ones(X):
    """Inputs (B, n) -> (B, n + 1) with a last column of ones (the bias input)."""
    return np.concatenate([X, np.ones((X.shape[0], 1), X.dtype)], axis=1)


class Folded:
    """Parameters, gradients and buffers of C members; ``biases=None`` folds nothing.

    Parameters
    ----------
    weights : list of (C, fan_in, fan_out) arrays
    biases : list of (C, fan_out) arrays, or None
    activations : tuple of str, one per layer
    """

    def __init__(self, weights, biases, activations, block=BLOCK):
        self.bias = biases is not None
        self.activations = activations
        self.fan_in = [w.shape[1] for w in weights]
        self.fan_out = [w.shape[2] for w in weights]
        self.dtype = weights[0].dtype
        self.block = block
        self.forward, self.from_half, self.times_derivative = kernels()
        self.theta = []
        for l, w in enumerate(weights):
            t = np.empty((w.shape[0], w.shape[2], w.shape[1] + self.bias), self.dtype)
            t[:, :, :w.shape[1]] = w.transpose(0, 2, 1)
            if self.bias:
                t[:, :, -1] = biases[l]
            self.theta.append(t)
        self.grads = [np.empty_like(t) for t in self.theta]
        self.velocity = None
        self._buffers, self._plans = {}, {}
        # θ/2 for layers whose activation wants z/2 (sigmoid = ½ tanh(z/2) + ½):
        # halving is exact in binary floating point, so θ/2 @ a is z/2 to the bit.
        self._half = {l: np.empty_like(t) for l, t in enumerate(self.theta)
                      if activations[l] in FROM_HALF}
        self.changed()

    def changed(self):
        """Say that ``theta`` was written to (refreshes θ/2 before the next pass)."""
        self._half_fresh = False

    @property
    def size(self):
        return self.theta[0].shape[0]

    def subset(self, rows):
        """A new ``Folded`` of the members ``rows`` (copies of parameters, the last gradients
        and momentum velocities)."""
        part = Folded.__new__(Folded)
        part.__dict__.update(self.__dict__)
        part.theta = [t[rows] for t in self.theta]
        part.grads = [g[rows] for g in self.grads]
        part.velocity = None if self.velocity is None else [v[rows] for v in self.velocity]
        part._buffers, part._plans = {}, {}
        part._half = {l: np.empty_like(part.theta[l]) for l in self._half}
        part.changed()
        return part

    def put(self, rows, other):
        """Copy ``other``'s parameters into members ``rows`` of this one."""
        for t, o in zip(self.theta, other.theta):
            t[rows] = o
        self.changed()

    def unfold(self):
        """(weights, biases) in ``nn.MLP``'s layout (copies)."""
        weights = [t[:, :, :k].transpose(0, 2, 1).copy() for t, k in zip(self.theta, self.fan_in)]
        biases = [t[:, :, -1].copy() for t in self.theta] if self.bias else None
        return weights, biases

    def run(self, inputs, targets, loss, gradients=True, threshold=None, summary=False):
        """Forward (and backward) passes over all members, block by block.

        inputs : (n_in [+1], rows) shared by all members, or (C, n_in [+1], rows);
            with bias the last input row is ones (see ``with_ones``)
        targets : (n_out, rows) or (C, n_out, rows)
        Returns a dict of (C,) arrays: ``loss``; given ``threshold``, ``fits``
        (every output on the targets' side of it by more than FIT_MARGIN) and, with ``summary``,
        ``accuracy``; with ``summary``, ``max_error`` (sup |ŷ - y|).
        Gradients go to ``self.grads``.
        """
        C, rows = self.size, inputs.shape[-1]
        block = block_for(min(self.block, C), rows, sum(self.fan_out), self.dtype.itemsize)
        result = {"loss": np.empty(C, self.dtype)}
        if threshold is not None:
            result["fits"] = np.empty(C, bool)
            truth = targets > threshold
        if summary:
            result["max_error"] = np.empty(C, self.dtype)
            result["accuracy"] = np.full(C, np.nan)
        self._refresh_half()
        fused = losses.fused(loss, self.activations[-1])
        for s in range(0, C, block):
            e = min(s + block, C)
            x = inputs if inputs.ndim == 2 else inputs[s:e]
            y = targets if targets.ndim == 2 else targets[s:e]
            plan = self._plan(rows, block, s, e)
            out = self._forward(plan, x)
            logit = self._logit(plan).transpose(0, 2, 1) if fused else None
            per_example = losses.value(loss, self.activations[-1], out.transpose(0, 2, 1),
                                       logit, y.swapaxes(-1, -2))
            result["loss"][s:e] = np.add.reduce(per_example, axis=-1) / rows   # as .mean(-1)
            if threshold is not None:
                right = correct_rows(out, truth if truth.ndim == 2 else truth[s:e], threshold)
                result["fits"][s:e] = right.all(axis=(1, 2))
                if summary:
                    result["accuracy"][s:e] = right.mean(axis=(1, 2))
            if summary:
                result["max_error"][s:e] = np.abs(out - y).max(axis=(1, 2))
            if gradients:
                self._backward(plan, x, out, y, loss)
        return result

    def _logit(self, plan):
        """The output layer's pre-activation z, (m, n_out, rows) (the buffer holds z/2 for a
        θ/2 layer; doubling is exact)."""
        z = plan[-1]["z"]
        return 2 * z if len(plan) - 1 in self._half else z

    def _refresh_half(self):
        if not self._half_fresh:
            for l, half in self._half.items():
                np.multiply(self.theta[l], 0.5, out=half)
            self._half_fresh = True

    def _plan(self, rows, block, s, e):
        """Every view one block's passes use, made once and reused every epoch.

        Views stay valid because parameters, gradients and buffers are only
        ever written in place.
        """
        key = (rows, s, e)
        if key in self._plans:
            return self._plans[key]
        if rows not in self._buffers:
            self._buffers[rows] = self._allocate(rows, block)
        full, m, L = self._buffers[rows], e - s, len(self.theta)
        layers = []
        for l in range(L):
            half = l in self._half
            a_in = None if l == 0 else full["a"][l][:m]
            layers.append({
                "forward_weights": (self._half[l] if half else self.theta[l])[s:e],
                "a_in": a_in, "a_in_t": None if l == 0 else a_in.transpose(0, 2, 1),
                "z": full["z"][l][:m], "delta": full["delta"][l][:m],
                "work": Work.view(full["work"][l], m),
                "out": full["out"][:m] if l == L - 1 else full["a"][l + 1][:m, :self.fan_out[l], :],
                "forward": (self.from_half if half else self.forward)[self.activations[l]],
                "derivative": self.times_derivative[self.activations[l]],
                "grad": self.grads[l][s:e],
                "down": None if l == 0 else np.multiply if self.fan_out[l] == 1 else np.matmul,
                "weights_t": self.theta[l][s:e, :, :self.fan_in[l]].transpose(0, 2, 1)})
        self._plans[key] = layers
        return layers

    def _allocate(self, rows, block):
        """Layer buffers for ``block`` members and ``rows`` examples (a[0] is the data)."""
        extra = int(self.bias)
        a = [None] + [np.ones((block, v + extra, rows), self.dtype) for v in self.fan_out[:-1]]
        z = [np.empty((block, v, rows), self.dtype) for v in self.fan_out]
        return {"a": a, "z": z, "out": np.empty((block, self.fan_out[-1], rows), self.dtype),
                "delta": [np.empty_like(zl) for zl in z],
                "work": [Work(zl.shape, self.dtype) for zl in z]}

    @staticmethod
    def _forward(plan, inputs):
        a = inputs
        for layer, above in zip(plan, plan[1:] + [None]):
            np.matmul(layer["forward_weights"], a, out=layer["z"])   # z/2 for θ/2 layers
            layer["forward"](layer["z"], layer["out"], layer["work"])
            a = None if above is None else above["a_in"]
        return plan[-1]["out"]

    def _backward(self, plan, inputs, out, targets, loss):
        delta = plan[-1]["delta"]
        out_name = self.activations[-1]
        np.divide(losses.output_gradient(loss, out_name, out, targets), out.shape[-1], out=delta)
        backward(_BlockLayout(plan, inputs), len(plan), delta, losses.fused(loss, out_name))

    def weight_grad_norms(self):
        """Frobenius norm of ∂L/∂W per layer and member, biases left out: (L, C)."""
        return np.stack([np.sqrt((g[:, :, :k] ** 2).sum(axis=(1, 2)))
                         for g, k in zip(self.grads, self.fan_in)])

    def step(self, scale, keep, momentum):
        """theta -= scale·grad (or with momentum); ``scale`` (C,) is 0 for frozen members."""
        self.changed()
        s = scale.astype(self.dtype)[:, None, None]
        if momentum == 0:
            for t, g in zip(self.theta, self.grads):
                np.multiply(g, s, out=g)
                np.subtract(t, g, out=t)
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(t) for t in self.theta]
        k = (momentum * keep).astype(self.dtype)[:, None, None]
        for t, g, v in zip(self.theta, self.grads, self.velocity):
            np.multiply(v, k, out=v)
            np.multiply(g, s, out=g)
            np.subtract(v, g, out=v)
            np.add(t, v, out=t)


class _BlockLayout:
    """One block's plan (see ``Folded._plan``) as a layout for ``nn.backprop.backward``.

    Every product writes into the plan's buffers: deltas (m, units, rows),
    gradients (m, fan_out, fan_in + 1), the bias column coming out of the matmul.
    """

    def __init__(self, plan, inputs):
        self.plan, self.inputs = plan, inputs

    def output_delta(self, output_gradient):
        return self.times_derivative(len(self.plan) - 1, output_gradient)

    def send_down(self, l, delta):
        # fan_out 1: an outer product, where a broadcast multiply beats a K=1 matmul ~3x.
        layer, below = self.plan[l], self.plan[l - 1]["delta"]
        layer["down"](layer["weights_t"], delta, out=below)
        return below

    def times_derivative(self, l, error):
        layer = self.plan[l]
        layer["derivative"](error, layer["z"], layer["out"], layer["work"])
        return error

    def weight_gradient(self, l, delta):
        a_in_t = self.inputs.swapaxes(-1, -2) if l == 0 else self.plan[l]["a_in_t"]
        np.matmul(delta, a_in_t, out=self.plan[l]["grad"])
