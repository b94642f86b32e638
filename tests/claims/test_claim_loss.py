"""Claim `loss`: the learned constant recovered from a record (checked against a
trained net's own bias), and synthetic tables for which every sub-claim must
hold (supported) or fail (refuted)."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims.loss import claim as loss
from expressivity.claims.loss import subclaims as loss_subclaims
from tests.support.claimkit import analyse, rule_of
from expressivity.claims.loss.constant import data_statistics, implied_loss, learned_constants, samples
from expressivity.nn import MLP
from expressivity.storage.results import Results
from expressivity.tasks import make_task
from expressivity.train import SGDSettings, train

RULE = rule_of("loss")
TASK = {"task.name": "constant", "task.points": 256, "task.outlier_fraction": 0.1, "task.seed": 0}
RNG = np.random.default_rng(0)


def constant_rows(dist, which, schedule, batch, lr, bs):
    base = {**TASK, "task.distribution": dist, "trainer.loss": which, "trainer.schedule": schedule,
            "trainer.batch_size": batch, "trainer.lr": lr}
    y = samples(base)
    bs = np.asarray(bs, float)
    return pd.DataFrame([{**base, "member": i, "max_error": np.abs(b - y).max(),
                          "final_loss": implied_loss([b], y, which)[0]} for i, b in enumerate(bs)])


def stats(dist):
    return data_statistics(samples({**TASK, "task.distribution": dist}))


def frames(good):
    """Members and curves whose numbers make every sub-claim hold (good) or fail."""
    rows, noise = [], lambda sd: RNG.normal(0, sd, 60)
    for dist in ("lognormal", "outliers"):
        s = stats(dist)
        sq, ab = (s["mean"], s["median"]) if good else (s["median"], s["mean"])
        if dist == "outliers" and not good:
            sq, ab = s["mean"], s["mean"]          # the absolute fit follows the outliers
        rows += [constant_rows(dist, "squared", "inverse_time", 1, 0.05, sq + noise(0.01)),
                 constant_rows(dist, "absolute", "inverse_time", 1, 0.05, ab + noise(0.01 if good else 0.15))]
        for lr in (0.01, 0.05):
            spread = 3 * lr if good else 0.01 * lr
            rows.append(constant_rows(dist, "absolute", "constant", 1, lr, ab + noise(spread)))
        rows.append(constant_rows(dist, "absolute", "inverse_time", 1, 0.01,
                                  ab + noise(0.001 if good else 0.01 * 0.01)))
    regression = pd.DataFrame({"task.name": "sin", "task.n": 1, "task.seed": 0, "trainer.batch_size": 0,
                               "trainer.schedule": "constant",
                               "trainer.loss": ["squared"] * 40 + ["absolute"] * 40,
                               "max_error": np.r_[0.01 + 0.001 * RNG.random(40),
                                                  (0.1 if good else 0.01) + 0.001 * RNG.random(40)]})
    boolean = pd.DataFrame({"task.name": "parity", "task.n": 3, "task.seed": 0,
                            "trainer.loss": ["squared"] * 50 + ["absolute"] * 50,
                            "fitted": np.r_[np.ones(50, bool), np.zeros(50, bool)] if good
                            else np.tile(np.arange(50) < 25, 2),
                            "fit_epoch": np.r_[np.arange(50), np.arange(50)]})
    curves = []
    for dist in ("lognormal", "outliers"):
        best = stats(dist)["best_squared"]
        for lr in (0.01, 0.05):
            epochs = np.arange(51)
            excess = 3.0 * (1 - 2 * lr) ** (2 * epochs) if good else np.full(51, 0.5)
            curves.append(pd.DataFrame({**TASK, "task.distribution": dist, "trainer.loss": "squared",
                                        "trainer.schedule": "constant", "trainer.batch_size": 0,
                                        "trainer.lr": lr, "epoch": epochs, "median": best + excess,
                                        "q25": best + excess, "q75": best + excess}))
    curves += settle_curves(good)
    members = pd.concat(rows + [regression, boolean], ignore_index=True)
    return Results(members, pd.concat(curves, ignore_index=True), pd.DataFrame())


def settle_curves(good, epochs=100):
    """Curves of the point fit (all targets 1) from the exact iterations; swapped when not good."""
    out = []
    for loss_name in ("squared", "absolute"):
        for lr in (0.02, 0.05, 0.1):
            b, values = 0.0, []
            rule = loss_name if good else ("absolute" if loss_name == "squared" else "squared")
            for _ in range(epochs + 1):
                values.append((b - 1) ** 2 if loss_name == "squared" else abs(b - 1))
                b -= lr * (2 * (b - 1) if rule == "squared" else np.sign(b - 1))
            values = np.array(values)
            out.append(pd.DataFrame({**TASK, "task.distribution": "point", "trainer.loss": loss_name,
                                     "trainer.schedule": "constant", "trainer.batch_size": 0,
                                     "trainer.lr": lr, "epoch": np.arange(epochs + 1), "median": values,
                                     "q25": values, "q75": values}))
    return out


def test_recovered_constant_equals_the_trained_bias():
    task = make_task("constant", distribution="lognormal", points=256, seed=0)
    net = MLP.init((1, 1), "identity", population=4, rng=np.random.default_rng(1))
    rngs = [np.random.default_rng(i) for i in range(4)]
    out = train(net, task.X, task.Y, SGDSettings(loss="absolute", lr=0.05, batch_size=1, max_epochs=3),
                rngs=rngs, threshold=None)
    frame = pd.DataFrame({**TASK, "task.distribution": "lognormal", "trainer.loss": "absolute",
                          "max_error": out.max_error, "final_loss": out.final_loss})
    np.testing.assert_allclose(learned_constants(frame)["b"], net.biases[0][:, 0], rtol=0, atol=1e-12)


def test_a_constant_whose_loss_disagrees_with_the_record_is_rejected():
    frame = constant_rows("lognormal", "squared", "constant", 0, 0.05, [1.0, 1.5])
    frame.loc[0, "final_loss"] *= 1.01
    b = learned_constants(frame)["b"].to_numpy()
    assert np.isnan(b[0]) and b[1] == pytest.approx(1.5)


def test_data_statistics_of_the_outlier_samples():
    s = stats("outliers")
    assert s["outliers"] == round(0.1 * 256)
    assert s["mean"] > 4 and abs(s["clean_median"]) < 0.3 and s["median"] < 0.5


def test_every_sub_claim_holds_on_data_made_to_support(tmp_path):
    finding = analyse("loss", frames(good=True), tmp_path)
    failed = [k for k, v in finding.numbers.items() if k.endswith(".holds") and v is not True]
    assert failed == [] and finding.verdict == "supported"
    assert finding.numbers["geometric convergence (squared, full batch).lognormal.lr0.05.factor"] == \
        pytest.approx((1 - 2 * 0.05) ** 2)
    assert finding.numbers["absolute jitters by about the step.lognormal.exponent"] == pytest.approx(1, abs=0.3)
    assert len(finding.figures) == 4 and all((tmp_path / f).exists() for f in finding.figures)


def test_every_sub_claim_fails_on_data_made_to_refute(tmp_path):
    finding = analyse("loss", frames(good=False), tmp_path)
    held = [k for k, v in finding.numbers.items() if k.endswith(".holds") and v is not False]
    assert held == [] and finding.verdict == "refuted"


def test_sub_claims_combine_into_the_training_verdict():
    sub = lambda holds: {"holds": holds}
    assert loss.combine([sub(True), sub(True)]) == "supported"
    assert loss.combine([sub(True), sub(False)]) == "mixed"
    assert loss.combine([sub(False), sub(False)]) == "refuted"
    assert loss.combine([sub(True), sub(None)]) == "inconclusive"


def test_the_epoch_absolute_descent_reaches_its_minimum_is_reported():
    best = stats("lognormal")["best_absolute"]
    epochs = np.arange(40)
    rows = []
    for lr, excess in ((0.05, np.where(epochs < 20, 0.1, 0.0)), (0.01, np.full(40, 0.1))):
        rows.append(pd.DataFrame({**TASK, "task.distribution": "lognormal", "trainer.loss": "absolute",
                                  "trainer.schedule": "constant", "trainer.batch_size": 0, "trainer.lr": lr,
                                  "epoch": epochs, "median": best + excess, "q25": best, "q75": best}))
    numbers = {}
    parts = loss_subclaims._absolute_full_batch(loss.excess_curves(pd.concat(rows)), numbers)
    assert numbers == {"lognormal.lr0.01.absolute_settled_epoch": None,
                       "lognormal.lr0.05.absolute_settled_epoch": 20}
    assert "still 0.1 above it" in parts[0] and "from epoch 20" in parts[1]
