"""loss: settle-versus-jump, on curves built from the exact iterations (closed forms)."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims.loss.settle import distance, settle_table, settles_versus_jumps

RULE = (0.2, 0.8, [0.25, 2.0])


def _iterate(loss, lr, epochs):
    """b_{t+1} = b_t - lr * dL/db on all-ones targets from b = 0: the loss at every epoch."""
    b, out = 0.0, []
    for _ in range(epochs + 1):
        out.append((b - 1) ** 2 if loss == "squared" else abs(b - 1))
        b -= lr * (2 * (b - 1) if loss == "squared" else np.sign(b - 1))
    return np.array(out)


def _curves(losses=("squared", "absolute"), lrs=(0.02, 0.05, 0.1), epochs=200, swap=False):
    rows = []
    for loss in losses:
        for lr in lrs:
            values = _iterate(("absolute" if loss == "squared" else "squared") if swap else loss, lr, epochs)
            rows.append(pd.DataFrame({"task.name": "constant", "task.distribution": "point",
                                      "trainer.loss": loss, "trainer.lr": lr, "epoch": np.arange(epochs + 1),
                                      "median": values, "q25": values, "q75": values}))
    return pd.concat(rows, ignore_index=True)


def test_exact_iterations_say_holds():
    holds, numbers, line = settles_versus_jumps(_curves(), *RULE)
    assert holds is True
    assert numbers["absolute.lr0.1.amplitude_over_lr"] == pytest.approx(1.0, abs=0.05)
    assert numbers["absolute.amplitude_exponent"] == pytest.approx(1.0, abs=0.1)
    assert numbers["squared.lr0.02.shrink"] == pytest.approx(0.96 ** 20, rel=0.05)   # (1 - 2 lr)^(epochs in half a window)


def test_swapped_behaviour_says_fails_and_missing_data_says_none():
    assert settles_versus_jumps(_curves(swap=True), *RULE)[0] is False
    assert settles_versus_jumps(_curves(losses=("squared",)), *RULE)[0] is None
    assert settles_versus_jumps(_curves(lrs=(0.1,)), *RULE)[0] is None


def test_distance_and_window_check():
    assert distance("squared", [0.04])[0] == pytest.approx(0.2)
    assert distance("absolute", [0.04])[0] == pytest.approx(0.04)
    with pytest.raises(ValueError, match="window"):
        settle_table(_curves(), 1.5)


def test_a_squared_error_at_the_rounding_floor_settles_under_rule_v3_only():
    # lr 0.5: b jumps to 1 in one step; the loss then sits at one ulp, (2.2e-16)^2, in both halves
    curves = _curves(lrs=(0.02, 0.05))
    floor = curves["trainer.loss"].eq("squared") & curves["trainer.lr"].eq(0.05) & (curves["epoch"] > 10)
    curves.loc[floor, ["median", "q25", "q75"]] = np.spacing(1.0) ** 2
    assert settles_versus_jumps(curves, *RULE)[0] is False               # v2: shrink 1.0, "neither"
    holds, _, line = settles_versus_jumps(curves, *RULE, floor_ulps=4)
    assert holds is True and "within 4 ulp of 1" in line
    # the floor does not make a jumping absolute error settle: its amplitude is ~ lr, not ~ ulp
    assert settles_versus_jumps(_curves(swap=True), *RULE, floor_ulps=4)[0] is False
