"""A job on ``task=teacher_student``: gradient descent on the exact population loss, as a probe record.

``task.n`` is k (teacher units = input dimension), ``model.width`` is the
student's n; ``trainer.lr``, ``trainer.max_epochs`` (gradient steps),
``trainer.tol`` (a member "fits" when its loss ends at or below it; must be
> 0), ``trainer.restarts``, ``trainer.record_every`` and ``model.init_scale``
are used, the rest of ``model`` and ``trainer`` is not (the student is the
paper's: ReLU units, no biases, output weights fixed to 1). With
``diagnose.enabled`` every failed member (up to ``max_members``) is classified
``moving`` (gradient norm >= grad_tol), ``saddle`` (an eigenvalue of the
finite-difference Hessian below -hess_tol) or ``local_minimum`` (a spurious
one: small gradient, no negative curvature, loss above tol).
"""
import numpy as np

from expressivity.theory import teacher_student as ts


def teacher_probe(cfg, task, widths, rngs):
    """Train one student population (one per generator in ``rngs``); a runner probe record."""
    k, n, tr = task.X.shape[0], widths[0], cfg.trainer
    V = task.X
    W = ts.init_students(rngs, n, k) * cfg.model.init_scale
    with np.errstate(all="ignore"):   # a step too large diverges: recorded, not an error
        epochs, curve, g0 = ts.descend(W, V, tr.lr, tr.max_epochs, tr.record_every)
        grad = np.linalg.norm(ts.gradient(W, V).reshape(len(W), -1), axis=1)
        below = curve <= tr.tol
    final = curve[-1]
    finite = final[np.isfinite(final)]
    fitted = below[-1] & np.isfinite(final)
    fit_epoch = np.where(below.any(axis=0), epochs[np.argmax(below, axis=0)], -1)
    members = {"final_loss": final, "max_error": np.full(len(W), np.nan),
               "accuracy": np.full(len(W), np.nan), "fitted": fitted,
               "fit_epoch": np.where(fitted, fit_epoch, -1), "diverged": ~np.isfinite(final),
               "converged": grad < cfg.diagnose.grad_tol,
               "grad_norm_init": g0[:, None], "grad_norm_final": grad[:, None]}
    q = np.quantile(np.where(np.isfinite(curve), curve, np.inf), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    record = {"widths": [n], "sizes": [k, n, 1], "parameters": n * k, "members": members,
              "curve": {"epochs": epochs, "q05": q[0], "q25": q[1], "median": q[2], "q75": q[3],
                        "q95": q[4], "first_members": curve[:, :8].T},
              "summary": {"restarts": len(W), "success_rate": float(fitted.mean()),
                          "any_fit": bool(fitted.any()), "best_loss": float(finite.min()) if finite.size else None,
                          "median_loss": float(np.median(finite)) if finite.size else None,
                          "diverged_rate": float((~np.isfinite(final)).mean()),
                          "median_fit_epoch": float(np.median(fit_epoch[fitted])) if fitted.any() else None},
              "member_epochs": int(len(W) * tr.max_epochs)}
    if cfg.diagnose.enabled:
        failed = np.flatnonzero(~fitted)[:cfg.diagnose.max_members]
        record["diagnosis"] = classify(W, V, failed, grad, final, cfg.diagnose)
    return record


def classify(W, V, members, grad, final, d):
    """How each failed member ended: diverged, moving, saddle or (spurious) local_minimum."""
    out = {"member": [int(i) for i in members], "class": [], "grad_norm": [], "saturated": [],
           "hess_min": [], "hess_max": []}
    for i in members:
        low = high = None
        if not np.isfinite(final[i]):
            kind = "diverged"
        elif grad[i] >= d.grad_tol:
            kind = "moving"
        else:
            eig = np.linalg.eigvalsh(ts.hessian(W[i], V, d.step))
            low, high = float(eig[0]), float(eig[-1])
            kind = "saddle" if low < -d.hess_tol else "local_minimum"
        out["class"].append(kind)
        out["grad_norm"].append(float(grad[i]) if np.isfinite(grad[i]) else None)
        out["saturated"].append(False)
        out["hess_min"].append(low)
        out["hess_max"].append(high)
    return out
