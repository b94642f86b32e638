"""The one figure writer of the claim analyses: a headless backend, one theme for
every figure, interval bands, and saving by name into the claim's figures folder."""
import warnings
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # reports are made on machines with no display
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from expressivity.claims.figure_theme import (finish, legend_facts, readable_legends,  # noqa: E402
                                              unlabelled_axes)

# Saved resolution; the PNG also records its smallest legend text (Legend-Font-Pt) and
# whether a legend covers data (Legend-Over-Data), which the browser test reads.
DPI = 120
PALETTE = {"sigmoid": "#c44e52", "tanh": "#8172b2", "relu": "#4c72b0",
           "squared": "#4c72b0", "absolute": "#dd8452"}


def figure(ncols=1, nrows=1, width=4.2, height=3.4, **kwargs):
    """A themed figure with ``nrows`` x ``ncols`` axes (always a 2-D array)."""
    sns.set_theme(style="whitegrid", context="paper")
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows),
                             squeeze=False, **kwargs)
    return fig, axes


def band(ax, x, centre, low, high, label=None, color=None, marker="o", linestyle="-"):
    """A line through ``centre`` with a shaded interval from ``low`` to ``high``."""
    line, = ax.plot(x, centre, marker=marker, linestyle=linestyle, label=label, color=color,
                    markersize=4)
    ax.fill_between(x, low, high, alpha=0.2, color=line.get_color(), linewidth=0)
    return line.get_color()


@contextmanager
def seeded_jitter(seed=0):
    """Seaborn's strip-plot jitter draws from NumPy's global generator: seed it for the body,
    so a figure's points sit in the same place on every run, then put the generator back."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def sequential(count):
    """``count`` colours from dark to light (viridis), for an ordered variable such as width."""
    return [matplotlib.colormaps["viridis"](x) for x in np.linspace(0.0, 0.9, max(count, 1))]


def colour(name, fallback=None):
    return PALETTE.get(name, fallback)


# Layout and legend-size passes at most (each pass only grows legend text).
LAYOUT_PASSES = 4


def save(fig, figures_dir, name):
    """Write ``fig`` to figures_dir/name (PNG) and close it; return the file name.

    Every figure gets the theme's finishing pass (``figure_theme.finish``: log axes
    labelled at every power, legends moved off the data) after its layout. An axis
    that shows tick labels but has no label gets an ``UnlabelledAxesWarning``
    (the test suite turns it into an error, so every figure a test draws is checked).
    """
    missing = unlabelled_axes(fig)
    if missing:
        warnings.warn(UnlabelledAxesWarning(f"figure {name}: no axis label on {', '.join(missing)}"))
    path = Path(figures_dir)
    path.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    finish(fig)
    # The last layout can widen the saved image (a legend moved outside), which shrinks it on
    # the page: size the legends again until the image stops growing.
    for _ in range(LAYOUT_PASSES):
        fig.tight_layout()
        if not readable_legends(fig):
            break
    facts = legend_facts(fig)
    fig.savefig(path / name, dpi=DPI, bbox_inches="tight",
                metadata={"Legend-Font-Pt": facts["legend_pt"],
                          "Legend-Over-Data": facts["legend_over_data"]})
    plt.close(fig)
    return name


class UnlabelledAxesWarning(UserWarning):
    """A report figure has an axis with tick labels but no label (and so no unit)."""


class FigureWriter:
    """Makes themed figures and writes them into one claim's figures folder.

    The engine hands one to each claim's ``figures(evidence, rule, writer)``.
    """

    def __init__(self, folder):
        self.folder = Path(folder)

    def figure(self, ncols=1, nrows=1, width=4.2, height=3.4, **kwargs):
        """(fig, axes): ``nrows`` x ``ncols`` axes, always a 2-D array."""
        return figure(ncols=ncols, nrows=nrows, width=width, height=height, **kwargs)

    def save(self, fig, name):
        """Write ``fig`` as ``name`` (PNG) into the folder, close it; the file name."""
        return save(fig, self.folder, name)
