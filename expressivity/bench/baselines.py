"""Timing the baselines on a ``Work``: scikit-learn restarts one after another, PyTorch batched.

scikit-learn's ``MLPRegressor(solver="sgd")`` trains one network per fit, so
its restarts run one after another; a few are timed and the time per
member-epoch is scaled to the population. Its epochs include the per-epoch
shuffle it always does (``shuffle=True`` is its default; ours draws a data
order only for minibatch and per-example SGD). PyTorch trains every member at
once with batched matmuls (``torch.bmm``) and autograd.
"""
import time
import warnings

import numpy as np

from expressivity.job.parallel import limited_blas


def time_sklearn(work, restarts, epochs, blas_threads=None):
    """Seconds for ``restarts`` fits of ``epochs`` epochs each, one after another."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    X, Y = work.data()
    y = Y.ravel()
    activation = "logistic" if work.activation == "sigmoid" else work.activation
    with warnings.catch_warnings(), limited_blas(blas_threads):
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        for seed in range(restarts):
            MLPRegressor(hidden_layer_sizes=(work.width,) * work.depth, activation=activation,
                         solver="sgd", learning_rate_init=work.lr, momentum=0.0, alpha=0.0,
                         batch_size=len(X) if work.batch == 0 else work.batch,
                         max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                         random_state=seed).fit(X, y)
        return time.perf_counter() - start


def torch_available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def time_torch(work, members, epochs, threads):
    """Seconds for full-batch SGD of ``members`` members batched with ``torch.bmm``."""
    import torch
    torch.set_num_threads(threads)
    dtype = {"float64": torch.float64, "float32": torch.float32}[work.dtype]
    X, Y = (torch.as_tensor(a, dtype=dtype) for a in work.data())
    generator = torch.Generator().manual_seed(0)
    params = []
    for fan_in, fan_out in zip(work.sizes[:-1], work.sizes[1:]):
        bound = (6.0 / (fan_in + fan_out)) ** 0.5
        W = (torch.rand(members, fan_in, fan_out, generator=generator, dtype=dtype) * 2 - 1) * bound
        params += [W.requires_grad_(), torch.zeros(members, 1, fan_out, dtype=dtype, requires_grad=True)]
    f = torch.sigmoid if work.activation == "sigmoid" else torch.relu
    inputs = X.expand(members, *X.shape)
    start = time.perf_counter()
    for _ in range(epochs):
        a = inputs
        for l in range(0, len(params), 2):
            z = torch.baddbmm(params[l + 1], a, params[l])
            a = z if l == len(params) - 2 else f(z)
        loss = ((a - Y) ** 2).sum(-1).mean(-1).sum()     # members are independent: sum their losses
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= work.lr * g
    return time.perf_counter() - start
