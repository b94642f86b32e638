"""A tiny scalar reverse-mode autodiff (in the spirit of micrograd), used only as an
independent engine to check the population MLP's values and gradients.

It shares no code with ``expressivity.nn``: every formula here is written again.
"""
import math


class Value:
    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad = float(data), 0.0
        self._parents, self._local = parents, local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __rmul__ = __mul__

    def __sub__(self, other):
        return self + (-1.0) * other

    def __rsub__(self, other):
        return Value(other) - self

    def __pow__(self, k):
        return Value(self.data ** k, (self,), (k * self.data ** (k - 1),))

    def apply(self, name):
        x = self.data
        if name == "sigmoid":
            s = 1.0 / (1.0 + math.exp(-x))
            return Value(s, (self,), (s * (1 - s),))
        if name == "tanh":
            t = math.tanh(x)
            return Value(t, (self,), (1 - t * t,))
        if name == "relu":
            return Value(max(x, 0.0), (self,), (1.0 if x > 0 else 0.0,))
        if name == "softplus":
            return Value(math.log1p(math.exp(x)), (self,), (1.0 / (1.0 + math.exp(-x)),))
        if name == "identity":
            return Value(x, (self,), (1.0,))
        if name == "abs":
            return Value(abs(x), (self,), ((x > 0) - (x < 0),))
        if name == "log":
            return Value(math.log(x), (self,), (1.0 / x,))
        raise ValueError(name)

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for p in v._parents:
                    visit(p)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for p, g in zip(v._parents, v._local):
                p.grad += g * v.grad


def loss_of(prediction, target, loss):
    if loss == "squared":
        return (prediction - target) ** 2
    if loss == "absolute":
        return (prediction - target).apply("abs")
    if loss == "bce":
        return (-1.0) * (target * prediction.apply("log")
                         + (1.0 - target) * (1.0 - prediction).apply("log"))
    raise ValueError(loss)


def network_loss(weights, biases, activations, X, Y, loss):
    """Mean over rows of the summed per-unit loss, for one member given as nested lists."""
    total = Value(0.0)
    for x, y in zip(X, Y):
        a = [Value(v) for v in x]
        for l, W in enumerate(weights):
            z = [sum((a[i] * W[i][j] for i in range(len(a))), Value(0.0)) for j in range(len(W[0]))]
            if biases is not None:
                z = [zj + biases[l][j] for j, zj in enumerate(z)]
            a = [zj.apply(activations[l]) for zj in z]
        for aj, yj in zip(a, y):
            total = total + loss_of(aj, float(yj), loss)
    return total * (1.0 / len(X))
