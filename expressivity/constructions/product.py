"""product's constructions as jobs: the 4-unit multiplication gate, and tree vs shallow product nets."""
import numpy as np

from expressivity.theory.product import multiplication_gate, product_error, product_shallow, product_tree
from expressivity.constructions.seeds import generator


def gate_rows(scales):
    """Sup error of the softplus gate on a 41x41 grid of [−1, 1]² at each scale λ in ``scales``."""
    g = np.linspace(-1, 1, 41)
    X = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    return [{"scale": s, "error": product_error(multiplication_gate(s), X)} for s in scales]


def network_rows(max_n, scales, samples, shallow_shift, seed):
    """Per n = 2..max_n: units, hidden layers, best sup error over ``scales`` and its scale, of
    the tree and of the one-hidden-layer net, on ``samples`` seeded points of [−1, 1]ⁿ."""
    rows = []
    for n in range(2, max_n + 1):
        X = generator(seed, "product", n).uniform(-1, 1, size=(samples, n))
        row = {"n": n}
        for kind, build in (("tree", lambda s: product_tree(n, s)),
                            ("shallow", lambda s: product_shallow(n, s, shift=shallow_shift))):
            errors = {s: product_error(build(s), X) for s in scales}
            best = min(errors, key=errors.get)
            net = build(best)
            row.update({f"{kind}_units": int(sum(net.sizes[1:-1])), f"{kind}_layers": len(net.sizes) - 2,
                        f"{kind}_error": errors[best], f"{kind}_scale": best})
        row["ratio"] = row["shallow_units"] / row["tree_units"]
        rows.append(row)
    return rows
