"""``expressivity explain``: arguments, printing, and writing the Markdown page."""
from pathlib import Path

from expressivity.report.explain import largest_disagreement, walkthrough
from expressivity.report.explain_page import AGREEMENT, explain_markdown
from expressivity.nn import TRAINABLE


def add_arguments(parser, func):
    parser.add_argument("--x", type=float, default=0.5, help="the training input (default 0.5)")
    parser.add_argument("--y", type=float, default=1.0, help="its target (default 1.0)")
    parser.add_argument("--lr", type=float, default=0.5, help="step size η (default 0.5)")
    parser.add_argument("--activation", default="sigmoid", choices=TRAINABLE,
                        help="function in every non-input neuron (default: the essay's logistic)")
    parser.add_argument("--out", help="also write the page here as Markdown (docs/explain.md)")
    parser.set_defaults(func=func)


def command_line(x, y, lr, activation, out):
    """The command that regenerates this page, as the page names it."""
    words = ["expressivity explain"]
    defaults = {"x": (x, 0.5), "y": (y, 1.0), "lr": (lr, 0.5)}
    words += [f"--{k} {v:g}" for k, (v, d) in defaults.items() if v != d]
    if activation != "sigmoid":
        words.append(f"--activation {activation}")
    return " ".join(words + ([f"--out {out}"] if out else []))


def explain(x=0.5, y=1.0, lr=0.5, activation="sigmoid", out=None):
    """Print the walkthrough; 1 if a gradient disagrees with its checks, else 0."""
    walk = walkthrough(x=x, y=y, lr=lr, activation=activation)
    text = explain_markdown(walk, command_line(x, y, lr, activation, out))
    print(text, end="")
    if out:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"\nwrote {path}")
    return 0 if max(largest_disagreement(walk)) < AGREEMENT else 1
