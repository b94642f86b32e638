"""scikit-learn estimators: the sklearn contract (check_estimator) and oracles."""
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

import expressivity.estimators as estimators
from expressivity.estimators import (PopulationMLPClassifier, PopulationMLPRegressor,
                                     unscale_outputs)
from expressivity.nn import MLP

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])


@parametrize_with_checks([PopulationMLPClassifier(n_restarts=4),
                          PopulationMLPRegressor(n_restarts=4)])
def test_sklearn_contract(estimator, check):
    check(estimator)


def xor_classifier(**kwargs):
    settings = dict(hidden_layer_sizes=(2,), activation="sigmoid", n_restarts=16, lr=2.0,
                    max_epochs=2000, random_state=0)
    return PopulationMLPClassifier(**{**settings, **kwargs}).fit(XOR_X, XOR_Y)


def test_xor_is_fitted_exactly_by_the_best_of_sixteen():
    clf = xor_classifier()
    assert list(clf.predict(XOR_X)) == [0, 1, 1, 0]
    assert clf.restart_fitted_[clf.best_restart_]
    # Two sigmoid hidden units on XOR: some restarts stall (the essay's local
    # minima), which is why the best of several is kept.
    assert not clf.restart_fitted_.all()
    assert clf.restart_fitted_.any()
    np.testing.assert_array_equal(clf.restart_fitted_, clf.restart_accuracies_ == 1.0)


def test_best_member_is_the_one_with_the_lowest_training_loss():
    clf = xor_classifier()
    assert clf.best_restart_ == int(np.argmin(clf.restart_losses_))
    assert clf.loss_ == clf.restart_losses_.min()
    # The kept network, evaluated afresh, has exactly that loss.
    recomputed = clf.network_.loss(XOR_X, XOR_Y[:, None].astype(float), "bce")[0]
    assert recomputed == pytest.approx(clf.loss_, rel=1e-12)
    assert clf.restart_losses_.shape == clf.restart_fitted_.shape == (16,)


def test_all_restarts_are_one_batched_fit(monkeypatch):
    calls = []
    real_train = estimators.train

    def spy(net, *args, **kwargs):
        calls.append(net.population)
        return real_train(net, *args, **kwargs)

    monkeypatch.setattr(estimators, "train", spy)
    xor_classifier(n_restarts=12, max_epochs=5)
    assert calls == [12]


def test_a_member_does_not_depend_on_how_many_restarts_share_the_fit():
    eight = xor_classifier(n_restarts=8, max_epochs=200)
    one = xor_classifier(n_restarts=1, max_epochs=200)
    assert one.restart_losses_[0] == pytest.approx(eight.restart_losses_[0], rel=1e-12)


def test_same_random_state_gives_identical_fits_and_another_differs():
    a, b, c = (xor_classifier(random_state=s, max_epochs=300) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.restart_losses_, b.restart_losses_)
    np.testing.assert_array_equal(a.predict_proba(XOR_X), b.predict_proba(XOR_X))
    assert not np.array_equal(a.restart_losses_, c.restart_losses_)


def test_multiclass_probabilities_sum_to_one_and_agree_with_predict():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 3], [3, 0], [-3, -3]])
    X = np.repeat(centres, 30, axis=0) + rng.normal(0, 0.5, (90, 2))
    y = np.repeat(["a", "b", "c"], 30)
    clf = PopulationMLPClassifier(n_restarts=4, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(clf.classes_) == ["a", "b", "c"]
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, y) == 1.0


def test_linear_regressor_converges_to_least_squares():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 3))
    y = 50 * X @ np.array([3.0, -2.0, 0.5]) + 200 + rng.normal(0, 5, 60)
    reg = PopulationMLPRegressor(hidden_layer_sizes=(4,), activation="identity", lr=0.02,
                                 max_epochs=3000, n_restarts=3, random_state=0).fit(X, y)
    exact = LinearRegression().fit(X, y)
    np.testing.assert_allclose(reg.predict(X), exact.predict(X), rtol=0, atol=1e-6 * 200)
    residual = np.mean((exact.predict(X) - y) ** 2)
    assert reg.restart_losses_ == pytest.approx(np.full(3, residual), rel=1e-6)


def test_unscale_outputs_maps_standardised_predictions_to_target_units():
    net = MLP.init([2, 3, 2], ["tanh", "identity"], population=4, rng=np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(5, 2))
    before = net.forward(X).copy()
    mean, std = np.array([10.0, -1.0]), np.array([3.0, 0.5])
    unscale_outputs(net, mean, std)
    np.testing.assert_allclose(net.forward(X), before * std + mean, rtol=1e-12)


def test_multi_output_regression_keeps_the_shape_of_y():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    Y = np.column_stack([X.sum(axis=1), X[:, 0] - X[:, 1]])
    reg = PopulationMLPRegressor(n_restarts=2, max_epochs=50, random_state=0).fit(X, Y)
    assert reg.predict(X).shape == (40, 2)
    assert reg.fit(X, Y[:, 0]).predict(X).shape == (40,)


@pytest.mark.parametrize("key, value, allowed", [
    ("activation", "softmax", "allowed: sigmoid, tanh"),
    ("loss", "bce", "allowed: squared, absolute"),
    ("n_restarts", 0, "allowed: an integer >= 1"),
    ("hidden_layer_sizes", (4, -1), "allowed: positive integers"),
    ("lr", -0.1, "allowed: a positive finite number"),
])
def test_bad_parameters_name_key_value_and_what_is_allowed(key, value, allowed):
    reg = PopulationMLPRegressor(**{key: value})
    with pytest.raises(ValueError, match=f"{key}=.*{allowed}"):
        reg.fit(np.zeros((4, 2)), np.arange(4.0))


def test_divergence_of_every_restart_is_a_clear_error():
    X = np.random.default_rng(0).normal(size=(20, 2)) * 10
    with pytest.raises(ValueError, match="all 2 restarts diverged.*lr=1000.0"):
        PopulationMLPRegressor(n_restarts=2, lr=1000.0, max_epochs=50,
                               random_state=0).fit(X, X.sum(axis=1))


def test_grid_search_chooses_width_for_xor():
    X = np.tile(XOR_X, (5, 1))
    y = np.tile(XOR_Y, 5)
    grid = GridSearchCV(PopulationMLPClassifier(activation="sigmoid", lr=2.0, max_epochs=1500,
                                                n_restarts=8, random_state=0),
                        {"hidden_layer_sizes": [(1,), (4,)]}, cv=2)
    grid.fit(X, y)
    # One hidden unit cannot separate XOR (it is not linearly separable); four can.
    assert grid.best_params_ == {"hidden_layer_sizes": (4,)}
    assert grid.best_score_ == 1.0


def test_readme_grid_search_example_runs_and_prints_what_the_readme_says(capsys):
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("## With scikit-learn", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    printed = section.split("prints (", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == printed
