"""Per-example SGD (batch size 1) over a chunk, with the member axis innermost.

With one example per step every matmul shrinks to a vector times a small
matrix; one BLAS call per member and layer would cost more in call overhead
than in arithmetic. So here parameters are stored (fan_in + 1, fan_out, C),
members last, and a step is a few NumPy passes over long contiguous arrays:

    z[v, c]      = Σ_k theta[k, v, c] · a[k, c]         (multiply, reduce over k)
    delta_in[k, c] = Σ_v theta[k, v, c] · delta[v, c]   (multiply, reduce over v)
    theta[k, v, c] -= a[k, c] · (scale[c] · delta[v, c])

Every pass is elementwise along the member axis, so a member's numbers do not
depend on the chunk it is in. Parameters pass to and from ``Folded`` (which
evaluates the full-batch loss each epoch) by a transposed copy.
"""
import numpy as np

from expressivity.nn import losses
from expressivity.nn.backprop import backward
from expressivity.train import accelerator
from expressivity.train.inplace import FORWARD, TIMES_DERIVATIVE, Work


class PerExample:
    """Members-last copy of a ``Folded`` chunk's parameters, with its step buffers."""

    def __init__(self, folded):
        self.folded = folded
        self.activations = folded.activations
        self.fan_in, self.fan_out, bias = folded.fan_in, folded.fan_out, int(folded.bias)
        C, dtype = folded.size, folded.dtype
        self.theta = [np.ascontiguousarray(t.transpose(2, 1, 0)) for t in folded.theta]
        self.product = [np.empty_like(t) for t in self.theta]
        self.a = [np.ones((k + bias, C), dtype) for k in self.fan_in]
        self.z = [np.empty((v, C), dtype) for v in self.fan_out]
        self.out = np.empty((self.fan_out[-1], C), dtype)
        self.target = np.empty_like(self.out)
        self.delta = [np.empty_like(z) for z in self.z]
        self.scaled = [np.empty_like(z) for z in self.z]
        self.work = [Work(z.shape, dtype) for z in self.z]
        self.velocity = None
        # Views and functions each step uses, looked up once.
        L = len(self.theta)
        self.outs = [self.out if l == L - 1 else self.a[l + 1][:v] for l, v in enumerate(self.fan_out)]
        self.forward = [FORWARD[name] for name in self.activations]
        self.derivative = [TIMES_DERIVATIVE[name] for name in self.activations]
        self._scale = (None, None)   # (the chunk's scale array, it in this dtype)
        self.compiled = accelerator.compiled()

    def subset(self, folded, rows):
        """A ``PerExample`` over ``folded`` (already cut to ``rows``), keeping velocities."""
        part = PerExample(folded)
        if self.velocity is not None:
            part.velocity = [np.ascontiguousarray(v[..., rows]) for v in self.velocity]
        return part

    def to_folded(self):
        """Copy the parameters into the ``Folded`` chunk (for full-batch passes)."""
        for t, mine in zip(self.folded.theta, self.theta):
            t[...] = mine.transpose(2, 1, 0)
        self.folded.changed()

    def epoch(self, order, inputs_t, targets_t, scale, keep, loss, momentum):
        """One epoch of steps: member c sees examples ``order[c]`` (C, B) in turn.

        The compiled accelerator runs the whole epoch in one call when it is on
        (``train.per_example_compiled``); otherwise ``step`` runs once per example.
        """
        if self.compiled is None:
            for i in range(order.shape[1]):
                self.step(order[:, i], inputs_t, targets_t, scale, keep, loss, momentum)
            return
        if momentum != 0 and self.velocity is None:
            self.velocity = [np.zeros_like(t) for t in self.theta]
        dtype, fast = self.out.dtype, self.compiled
        self.compiled.epoch(
            fast.as_list(self.theta), fast.as_list(self.velocity or self.theta), momentum != 0,
            np.ascontiguousarray(order, dtype=np.int64), inputs_t, targets_t,
            scale.astype(dtype), (momentum * keep).astype(dtype),
            np.array([fast.ACTIVATION_CODES[a] for a in self.activations], np.int64),
            fast.loss_code(loss, self.activations[-1]), int(self.folded.bias))

    def step(self, rows, inputs_t, targets_t, scale, keep, loss, momentum):
        """One SGD step, member c on example ``rows[c]``.

        inputs_t : (n_in [+1], B) all examples, transposed (with the ones row if biased)
        targets_t : (n_out, B); rows : (C,) int; scale, keep : (C,) step size and 0/1
        """
        np.take(inputs_t, rows, axis=1, out=self.a[0])
        np.take(targets_t, rows, axis=1, out=self.target)
        if self._scale[0] is not scale:      # the same array for a whole epoch of steps
            self._scale = (scale, scale.astype(self.out.dtype))
        scale = self._scale[1]
        self._forward()
        out_name = self.activations[-1]
        np.copyto(self.delta[-1], losses.output_gradient(loss, out_name, self.out, self.target))
        self._step = (scale, keep, momentum)
        backward(self, len(self.theta), self.delta[-1], losses.fused(loss, out_name))

    # The layout ``nn.backprop.backward`` runs on: (units, members) vectors.
    def output_delta(self, output_gradient):
        return self.times_derivative(len(self.theta) - 1, output_gradient)

    def send_down(self, l, delta):
        # The error sent down uses this layer's weights before they move (step 3 moves them).
        below = self.product[l][:self.fan_in[l]]
        np.multiply(self.theta[l][:self.fan_in[l]], delta[None], out=below)
        np.add.reduce(below, axis=1, out=self.delta[l - 1])
        return self.delta[l - 1]

    def times_derivative(self, l, error):
        self.derivative[l](error, self.z[l], self.outs[l], self.work[l])
        return error

    def weight_gradient(self, l, delta):
        """∂L/∂theta = a ⊗ delta, applied at once as this step's update of layer ``l``."""
        self._update(l, delta, *self._step)

    def _forward(self):
        for l in range(len(self.theta)):
            np.multiply(self.theta[l], self.a[l][:, None, :], out=self.product[l])
            np.add.reduce(self.product[l], axis=0, out=self.z[l])
            self.forward[l](self.z[l], self.outs[l], self.work[l])

    def _update(self, l, delta, scale, keep, momentum):
        grad = self.product[l]
        if momentum == 0:
            # theta -= a ⊗ (scale·delta): the step size rides on the short vector.
            np.multiply(delta, scale, out=self.scaled[l])
            np.multiply(self.a[l][:, None, :], self.scaled[l][None], out=grad)
            np.subtract(self.theta[l], grad, out=self.theta[l])
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(t) for t in self.theta]
        v = self.velocity[l]
        np.multiply(self.a[l][:, None, :], delta[None], out=grad)
        np.multiply(grad, scale, out=grad)
        np.multiply(v, (momentum * keep).astype(grad.dtype), out=v)
        np.subtract(v, grad, out=v)
        np.add(self.theta[l], v, out=self.theta[l])
