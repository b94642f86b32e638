"""linear's constructions as jobs: identity nets collapsed to one affine map, XOR against
every threshold function of 2 bits."""
import numpy as np

from expressivity.nn import MLP
from expressivity.tasks import make_task
from expressivity.theory.linear import collapsed_network
from expressivity.theory.tables import table_codes
from expressivity.theory.threshold_sorted import count_until_stable, threshold_codes
from expressivity.constructions.seeds import generator


def collapse_rows(max_depth, seed, width, inputs, outputs, members):
    """Per (depth = 1..``max_depth``, bias): max|net − collapsed| / max|net| for ``members``
    random identity nets of that depth (``width`` units per layer) on 32 seeded inputs."""
    rows = []
    for depth in range(1, max_depth + 1):
        for bias in (True, False):
            rng = generator(seed, "collapse", depth, bias)
            sizes = (inputs, *[width] * depth, outputs)
            net = MLP.init(sizes, "identity", population=members, init="uniform", bias=bias, rng=rng)
            X = rng.normal(size=(32, inputs))
            out = net.forward(X)
            diff = np.abs(out - collapsed_network(net).forward(X)).max()
            rows.append({"depth": depth, "bias": bias, "relative_error": float(diff / np.abs(out).max())})
    return rows


def xor_code():
    """The truth-table code of XOR of 2 bits (bit i: row i in counting order is 1)."""
    task = make_task("parity", n=2, encoding="01")
    return int(table_codes((task.Y[:, :1].T > task.threshold).astype(np.int8))[0])


def xor_rows():
    """One row: is XOR among the threshold functions of 2 bits (integer weights |w| <= m, m
    widened until the count stops moving), their count, and the m it stopped at."""
    m, count = count_until_stable(2)[-1]
    separable = xor_code() in set(int(c) for c in threshold_codes(2, m).tolist())
    return [{"xor_linearly_separable": bool(separable), "threshold_functions": int(count),
             "stable_at_m": int(m)}]
