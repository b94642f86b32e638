"""Every network of a small architecture with weights from a small set, and what it computes.

With N parameters that each take one of k values there are kᴺ networks, so at
most kᴺ different functions; there are 2^(2ⁿ) boolean functions of n bits.
We enumerate all kᴺ networks as populations (chunks of members of one
architecture, step units throughout), run each on all 2ⁿ inputs and count the
distinct truth tables: the number the counting argument bounds from above.
"""
import numpy as np

from expressivity.nn import MLP
from expressivity.tasks import all_inputs
from expressivity.theory.tables import MAX_CODED_ROWS, table_codes

# Enumerations past this many networks belong in a sweep, not in one call.
MAX_NETWORKS = 20_000_000
CHUNK = 1 << 15


def parameter_shapes(sizes, bias=True):
    """(shape, is_bias) per parameter array, in the order the enumeration fills them."""
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        shapes.append(((fan_in, fan_out), False))
        if bias:
            shapes.append(((fan_out,), True))
    return shapes


def networks_in(sizes, weight_values, bias_values=None, bias=True):
    """How many networks the enumeration holds: k_w^(#weights) · k_b^(#biases)."""
    bias_values = weight_values if bias_values is None else bias_values
    total = 1
    for shape, is_bias in parameter_shapes(sizes, bias):
        total *= len(bias_values if is_bias else weight_values) ** int(np.prod(shape))
    return total


def enumerated_population(sizes, weight_values, bias_values=None, bias=True, start=0, stop=None):
    """Networks number start … stop−1 of the enumeration as one population (activations: step).

    Network ``i`` reads its parameters as the digits of ``i`` in mixed radix
    (each weight a digit over ``weight_values``, each bias over ``bias_values``).
    """
    bias_values = np.asarray(weight_values if bias_values is None else bias_values, float)
    weight_values = np.asarray(weight_values, float)
    total = networks_in(sizes, weight_values, bias_values, bias)
    stop = total if stop is None else min(stop, total)
    index = np.arange(start, stop, dtype=np.int64)
    arrays = []
    for shape, is_bias in parameter_shapes(sizes, bias):
        values = bias_values if is_bias else weight_values
        count = int(np.prod(shape))
        k = len(values)
        digits = np.empty((len(index), count), dtype=np.int64)
        for j in range(count):
            index, digits[:, j] = np.divmod(index, k)
        arrays.append(values[digits].reshape(len(digits), *shape))
    weights = arrays[0::2] if bias else arrays
    biases = arrays[1::2] if bias else None
    return MLP(weights, biases, "step")


def count_functions(sizes, weight_values, bias_values=None, bias=True):
    """Distinct truth tables computed by every network of ``sizes`` with parameters from the sets.

    Returns a dict: ``networks`` (kᴺ), ``parameters`` (N), ``functions`` (2^(2ⁿ)),
    ``distinct`` (how many different truth tables the networks compute) and ``codes``
    (their sorted integer codes, see ``tables.table_codes``).
    """
    n = sizes[0]
    if sizes[-1] != 1 or 2 ** n > MAX_CODED_ROWS:
        raise ValueError(f"sizes={tuple(sizes)}; allowed: one output and n <= 5 inputs")
    total = networks_in(sizes, weight_values, bias_values, bias)
    if total > MAX_NETWORKS:
        raise ValueError(f"sizes={tuple(sizes)} with these value sets makes {total} networks; "
                         f"allowed: at most {MAX_NETWORKS}")
    X = all_inputs(n).astype(float)
    found = []
    for start in range(0, total, CHUNK):
        net = enumerated_population(sizes, weight_values, bias_values, bias, start, start + CHUNK)
        bits = net.forward(X)[:, :, 0].astype(np.int8)
        found.append(np.unique(table_codes(bits)))
    seen = np.unique(np.concatenate(found))
    parameters = sum(int(np.prod(s)) for s, _ in parameter_shapes(sizes, bias))
    return {"networks": total, "parameters": parameters, "functions": 2 ** 2 ** n,
            "distinct": len(seen), "codes": seen}
