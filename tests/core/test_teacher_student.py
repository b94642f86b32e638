"""Teacher-student population loss (Safran & Shamir 2018): closed form against oracles; the job."""
import numpy as np

from expressivity.job.runner import run_job
from expressivity.theory import teacher_student as ts
from tests.support.jobs import compose_job


def test_the_closed_form_loss_matches_a_monte_carlo_estimate():
    rng = np.random.default_rng(0)
    W, V = rng.normal(size=(1, 4, 3)), ts.teacher(3)
    X = rng.normal(size=(200_000, 3))
    relu = lambda z: np.maximum(z, 0)   # noqa: E731
    mc = ((relu(X @ W[0].T).sum(1) - relu(X @ V.T).sum(1)) ** 2).mean()
    assert abs(ts.loss(W, V)[0] - mc) < 0.02 * mc


def test_the_gradient_matches_central_differences_and_the_teacher_has_zero_loss():
    rng = np.random.default_rng(1)
    W, V = rng.normal(size=(2, 5, 4)), ts.teacher(4)
    g, h, fd = ts.gradient(W, V), 1e-6, np.zeros_like(W)
    for idx in np.ndindex(*W.shape):
        E = np.zeros_like(W)
        E[idx] = h
        fd[idx] = (ts.loss(W + E, V)[idx[0]] - ts.loss(W - E, V)[idx[0]]) / (2 * h)
    assert np.abs(fd - g).max() < 1e-7
    assert np.allclose(ts.loss(V[None], V), 0) and np.allclose(ts.gradient(V[None], V), 0)


def test_the_hessian_at_the_teacher_has_no_negative_eigenvalue():
    V = ts.teacher(3)
    eig = np.linalg.eigvalsh(ts.hessian(V, V))
    assert eig.min() > -1e-6 and eig.max() > 0.1


def test_a_teacher_student_job_fits_a_small_teacher_and_records_how_failures_ended(tmp_path):
    record = run_job(compose_job("task=teacher_student", "task.n=3", "model.width=3",
                                 "model.activation=relu", "trainer.lr=0.1", "trainer.max_epochs=800",
                                 "trainer.tol=1e-4", "trainer.restarts=16", "cache_dir=null",
                                 "diagnose.enabled=true"), tmp_path)
    members = record["probes"][0]["members"]
    assert np.mean(members["fitted"]) > 0.5   # k = n = 3: no spurious minima are known
    failed = np.flatnonzero(~np.asarray(members["fitted"]))
    assert record["probes"][0]["diagnosis"]["member"] == failed[:16].tolist()


def test_a_teacher_student_job_without_a_loss_target_is_refused(tmp_path):
    import pytest
    from expressivity.job.config import ConfigError
    with pytest.raises(ConfigError, match="trainer.tol"):
        run_job(compose_job("task=teacher_student", "trainer.tol=0", "cache_dir=null"), tmp_path)
    with pytest.raises(ConfigError, match="model.depth"):
        run_job(compose_job("task=teacher_student", "trainer.tol=1e-4", "model.depth=2",
                            "cache_dir=null"), tmp_path)
