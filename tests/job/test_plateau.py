"""Issue 19, point 4: the diagnosis' plateau class (slow loss, small gradient, negative
curvature) apart from true minima and real progress, on constructed nets."""
import numpy as np
from omegaconf import OmegaConf

from tests.support.jobs import compose_job
from expressivity.job.diagnose import diagnose, loss_drop_per_1000, plateau_class
from expressivity.nn import MLP
from expressivity.storage.records import config_hash


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def _near_origin(scale):
    """A tanh 2-2-1 net with small weights: near the saddle at the origin of XOR's loss."""
    rng = np.random.default_rng(0)
    return MLP([scale * rng.normal(size=(1, 2, 2)), scale * rng.normal(size=(1, 2, 1))],
               [np.zeros((1, 2)), np.full((1, 1), 0.5)], ["tanh", "identity"])


def test_a_slow_member_at_negative_curvature_is_a_plateau_not_moving():
    net = _near_origin(0.1)   # like the wide-sigmoid cells: gradient ~0.004, lambda_min ~ -0.006
    plain = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0])
    assert plain["class"] == ["moving"]                      # any gradient >= 1e-4 was "moving"
    assert 1e-4 < plain["grad_norm"][0] < 1e-2
    slow = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2,
                    plateau_drop=1e-3, loss_drop=np.array([1e-4]))
    assert slow["class"] == ["plateau"] and slow["hess_min"][0] < 0
    progress = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2,
                        plateau_drop=1e-3, loss_drop=np.array([0.05]))
    assert progress["class"] == ["moving"]                   # real progress: the loss still falls


def test_a_slow_member_near_a_true_minimum_is_not_a_plateau():
    # least squares on XOR by an affine map: minimum at w = 0, b = 0.5 (convex: Hessian >= 0)
    net = MLP([np.array([[[3e-3], [0.0]]])], [np.array([[0.5]])], ["identity"])
    d = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2, plateau_drop=1e-3,
                 loss_drop=np.array([1e-5]))
    assert d["class"] == ["moving"] and d["hess_min"][0] > 0
    assert plateau_class(1e-5, 1e-3, -1e-3, 1e-2, 1e-3, 1e-6) == "plateau"
    assert plateau_class(1e-5, 5e-2, -1e-3, 1e-2, 1e-3, 1e-6) == "moving"   # gradient not small


def test_the_loss_drop_is_per_1000_epochs_over_the_last_1000():
    curve = np.array([[1.0, 0.5, 0.30, 0.29], [1.0, 0.9, 0.8, 0.7]])
    epochs = np.array([0, 1000, 2000, 3000])
    assert np.allclose(loss_drop_per_1000(curve, epochs, [0, 1]), [0.01, 0.1])
    assert np.allclose(loss_drop_per_1000(curve, [0, 100, 200, 300], [0]), [0.71 / 300 * 1000])   # shorter: from the start


def test_the_plateau_keys_at_null_leave_every_diagnosed_config_hash_alone():
    config = OmegaConf.to_container(compose_job("diagnose.enabled=true"))
    before = {**config, "diagnose": {k: v for k, v in config["diagnose"].items()
                                     if not k.startswith("plateau")}}
    assert config["diagnose"]["plateau_grad_tol"] is None
    assert config_hash(config) == config_hash(before)
    changed = {**config, "diagnose": {**config["diagnose"], "plateau_grad_tol": 0.01,
                                      "plateau_drop": 1e-3}}
    assert config_hash(changed) != config_hash(before)
