"""The population kernel on PyTorch (``trainer.backend=torch``): a CUDA device when present.

Same interface as ``train.folded.Folded`` (the chunk loop in ``train.chunk``
drives either), same folded layout: member ``c``'s layer ``l`` is
``theta[l][c]``, (fan_out, fan_in + 1) with the bias last, and layer values are
(members, units, rows). All members of a chunk run in one batched matmul per
layer; gradients come from PyTorch's autograd, an implementation independent
of ``nn.backprop``, and tests hold its numbers to the NumPy kernels' (see
``TOLERANCE``). Stopping rules, curves and records stay on the CPU in NumPy.

Full batch and minibatch only: per-example SGD runs on the NumPy backend.
bce on a sigmoid output is computed from the logit (``nn.losses.fused``), so
autograd's gradient is sigmoid(z) - y, as the NumPy kernels' fused delta.
Known difference: for ``bce`` on any other output the NumPy loss derivative keeps
its slope where the prediction is clipped to [1e-12, 1 - 1e-12]; autograd gives 0 there.
"""
import numpy as np

from expressivity.nn import losses
from expressivity.train.folded import Folded
from expressivity.train.outcome import correct_rows

# float64 numbers agree with the NumPy backend to this (absolute) after tens of epochs.
TOLERANCE = 1e-10


def _torch():
    import torch
    return torch


def device():
    """``"cuda"`` when PyTorch sees a CUDA device, else ``"cpu"``."""
    return "cuda" if _torch().cuda.is_available() else "cpu"


def _activation(name, z):
    torch = _torch()
    if name == "sigmoid":
        return 0.5 * torch.tanh(0.5 * z) + 0.5      # nn.activations' form
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)                        # subgradient 0 at 0, as nn
    if name == "softplus":
        return torch.logaddexp(torch.zeros_like(z), z)
    return z


def _loss(name, p, t, z=None):
    """Per-example loss summed over outputs: (C, units, rows) -> (C, rows), as nn.losses.

    ``z`` (the output's pre-activation) is given when the pair is fused: bce from the logit.
    """
    torch = _torch()
    if z is not None:
        return (torch.logaddexp(torch.zeros_like(z), z) - t * z).sum(1)
    if name == "squared":
        return ((p - t) ** 2).sum(1)
    if name == "absolute":
        return (p - t).abs().sum(1)
    q = p.clamp(1e-12, 1 - 1e-12)
    return -(t * torch.log(q) + (1 - t) * torch.log1p(-q)).sum(1)


class TorchFolded:
    """Parameters and gradients of C members as torch tensors (the ``Folded`` interface)."""

    def __init__(self, weights, biases, activations, on=None):
        folded = Folded(weights, biases, activations)
        torch = _torch()
        self.device = on or device()
        self.bias, self.activations = folded.bias, activations
        self.fan_in, self.fan_out, self.dtype = folded.fan_in, folded.fan_out, folded.dtype
        self.theta = [torch.as_tensor(t, device=self.device) for t in folded.theta]
        self.grads = [torch.zeros_like(t) for t in self.theta]
        self.velocity = None

    @property
    def size(self):
        return self.theta[0].shape[0]

    def changed(self):
        """Nothing is cached from ``theta`` here."""

    def subset(self, rows):
        part = TorchFolded.__new__(TorchFolded)
        part.__dict__.update(self.__dict__)
        index = _torch().as_tensor(np.flatnonzero(rows) if np.asarray(rows).dtype == bool
                                   else np.asarray(rows), device=self.device)
        part.theta = [t[index] for t in self.theta]
        part.grads = [g[index] for g in self.grads]
        part.velocity = None if self.velocity is None else [v[index] for v in self.velocity]
        return part

    def put(self, rows, other):
        index = _torch().as_tensor(np.asarray(rows), device=self.device)
        for t, o in zip(self.theta, other.theta):
            t[index] = o

    def unfold(self):
        thetas = [t.cpu().numpy() for t in self.theta]
        weights = [t[:, :, :k].transpose(0, 2, 1).copy() for t, k in zip(thetas, self.fan_in)]
        biases = [t[:, :, -1].copy() for t in thetas] if self.bias else None
        return weights, biases

    def run(self, inputs, targets, loss, gradients=True, threshold=None, summary=False):
        """As ``Folded.run``: a dict of (C,) NumPy arrays; gradients go to ``self.grads``."""
        torch = _torch()
        x = torch.as_tensor(np.ascontiguousarray(inputs), device=self.device)
        y = torch.as_tensor(np.ascontiguousarray(targets), device=self.device)
        with torch.enable_grad():
            theta = [t.detach().requires_grad_(gradients) for t in self.theta]
            out, z = self._forward(theta, x)
            fused = losses.fused(loss, self.activations[-1])
            value = _loss(loss, out, y, z if fused else None).mean(-1)
            if gradients:
                self.grads = list(torch.autograd.grad(value.sum(), theta))
        out_np, y_np = out.detach().cpu().numpy(), np.asarray(targets)
        result = {"loss": value.detach().cpu().numpy()}
        if threshold is not None:
            right = correct_rows(out_np, y_np > threshold, threshold)
            result["fits"] = right.all(axis=(1, 2))
            if summary:
                result["accuracy"] = right.mean(axis=(1, 2))
        elif summary:
            result["accuracy"] = np.full(self.size, np.nan)
        if summary:
            result["max_error"] = np.abs(out_np - y_np).max(axis=(1, 2))
        return result

    def _forward(self, theta, x):
        torch = _torch()
        """(output, output pre-activation z), each (C, n_out, rows)."""
        a = x
        for l, t in enumerate(theta):
            z = t @ a
            a = _activation(self.activations[l], z)
            if self.bias and l < len(theta) - 1:
                ones = torch.ones((a.shape[0], 1, a.shape[2]), dtype=a.dtype, device=a.device)
                a = torch.cat([a, ones], dim=1)
        return a, z

    def weight_grad_norms(self):
        return np.stack([np.sqrt((g[:, :, :k] ** 2).sum(axis=(1, 2)).cpu().numpy())
                         for g, k in zip(self.grads, self.fan_in)])

    def step(self, scale, keep, momentum):
        """theta -= scale·grad (or with momentum), as ``Folded.step``."""
        torch = _torch()
        s = torch.as_tensor(scale.astype(self.dtype), device=self.device)[:, None, None]
        if momentum == 0:
            for t, g in zip(self.theta, self.grads):
                t -= g * s
            return
        if self.velocity is None:
            self.velocity = [torch.zeros_like(t) for t in self.theta]
        k = torch.as_tensor((momentum * keep).astype(self.dtype), device=self.device)[:, None, None]
        for t, g, v in zip(self.theta, self.grads, self.velocity):
            v.mul_(k).sub_(g * s)
            t += v
