"""The finishing pass every report figure gets before it is saved.

``finish(fig)`` makes each log axis carry a labelled tick at every power of
its base within the view (when the view spans at least two powers), and
moves a legend that covers plotted data (lines, markers, bands, bars,
heatmaps) outside the axes, to the right (panels that each have one get one
legend for the whole figure, right of every panel), with text large enough to read 9 pt
on the report's page at the width the page shows it (``legend_points``).
``unlabelled_axes(fig)`` names the axes that show tick labels but have no axis
label, so a test can insist on labels (with units) for every figure.
"""
import math

import matplotlib
import numpy as np
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.patches import Rectangle
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullFormatter

# Points sampled per plotted line segment when testing whether a legend covers it.
SEGMENT_SAMPLES = 24
GRID = 7


# The report shows a figure at most TEXT_COLUMN_PX CSS pixels wide (html.STYLE: the body is
# 60rem); legend text should read at least MIN_LEGEND_PT there (9 pt = 12 CSS px).
TEXT_COLUMN_PX = 960
MIN_LEGEND_PT = 9.0
# savefig's tight box can come out a few pixels wider than the drawn one (5 px of 2,513 seen):
# legends are sized for an image this much wider.
SAVE_SLACK_INCHES = 0.1


def finish(fig):
    """Theme pass over every axes of ``fig``; returns ``fig``."""
    for ax in fig.axes:
        for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
            if scale == "log":
                label_every_power(axis, axis.get_view_interval())
    fig.canvas.draw()
    one_legend_for_all_panels(fig)
    readable_legends(fig)
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_visible() and covers_data(ax, legend):
            move_outside(ax, legend)
    readable_legends(fig)       # a legend moved outside widens the saved image
    return fig


def one_legend_for_all_panels(fig):
    """Panels that each carry a legend get one legend for the figure instead, to the right of
    every panel (entries in order, one per label: a label names one style in every panel)."""
    panels = [ax for ax in fig.axes if ax.get_legend() is not None and ax.get_legend().get_visible()]
    if len(panels) < 2:
        return
    entries = {}
    for ax in panels:
        legend = ax.get_legend()
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            entries.setdefault(text.get_text(), handle)
        title = legend.get_title().get_text()
        size = min((t.get_fontsize() for t in legend.get_texts()), default=None)
        legend.remove()
    fig.legend(list(entries.values()), list(entries), title=title or None, fontsize=size,
               loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def legends(fig):
    """Every visible legend of ``fig`` (the axes' and the figure's own)."""
    found = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    return [lg for lg in found if lg is not None and lg.get_visible()]


def legend_points(width_inches):
    """The legend font size (pt) that reads >= MIN_LEGEND_PT on the page when an image
    ``width_inches`` wide is shown at most TEXT_COLUMN_PX CSS pixels (96 per inch) wide."""
    shrink = min(1.0, TEXT_COLUMN_PX / (96 * width_inches))
    return max(MIN_LEGEND_PT, MIN_LEGEND_PT / shrink)


def readable_legends(fig):
    """Make every legend's text at least ``legend_points`` of the saved (tight) width; True if
    any text had to grow (the image may then have widened: call again)."""
    fig.canvas.draw()
    # The saved image: the tight box plus savefig's padding on both sides.
    width = fig.get_tightbbox(fig.canvas.get_renderer()).width + \
        2 * float(matplotlib.rcParams["savefig.pad_inches"]) + SAVE_SLACK_INCHES
    size = legend_points(width)
    grew = False
    for legend in legends(fig):
        for text in [*legend.get_texts(), legend.get_title()]:
            if text.get_fontsize() < size:
                text.set_fontsize(size)
                grew = True
    fig.canvas.draw()
    return grew


def legend_facts(fig):
    """{"legend_pt": smallest legend text (pt) or "", "legend_over_data": "yes"/"no"} of a
    finished figure: saved into its PNG so that a test can check the page that shows it."""
    sizes = [t.get_fontsize() for lg in legends(fig) for t in lg.get_texts()]
    over = any(covers_data(ax, ax.get_legend()) for ax in fig.axes
               if ax.get_legend() is not None and ax.get_legend().get_visible())
    return {"legend_pt": f"{min(sizes):.2f}" if sizes else "",
            "legend_over_data": "yes" if over else "no"}


def label_every_power(axis, view):
    """Major ticks, labelled, at every power of the axis's log base inside ``view``."""
    base = getattr(axis.get_transform(), "base", 10)
    low, high = sorted(v for v in view)
    if low <= 0 or not math.isfinite(high):
        return
    powers = math.floor(math.log(high, base) + 1e-9) - math.ceil(math.log(low, base) - 1e-9) + 1
    if powers < 2:
        return      # under two powers in view: matplotlib labels the minor ticks instead
    axis.set_major_locator(LogLocator(base=base, subs=(1.0,), numticks=powers + 2))
    axis.set_major_formatter(LogFormatterSciNotation(base=base, labelOnlyBase=True))
    axis.set_minor_formatter(NullFormatter())


def covers_data(ax, legend):
    """Whether the legend's box overlaps anything plotted in ``ax`` (display coordinates)."""
    box = legend.get_window_extent()
    inside = box.contains
    for points in _plotted_points(ax):
        if any(inside(x, y) for x, y in points):
            return True
    probes = np.array([(x, y) for x in np.linspace(box.x0, box.x1, GRID)
                       for y in np.linspace(box.y0, box.y1, GRID)])
    for artist in ax.collections:
        if not artist.get_visible():
            continue
        if isinstance(artist, QuadMesh) or (isinstance(artist, PolyCollection) and any(
                path.contains_points(probes, transform=artist.get_transform()).any()
                for path in artist.get_paths())):
            return True
    return any(p.get_visible() and p.get_window_extent().overlaps(box)
               for p in ax.patches if isinstance(p, Rectangle)) or bool(ax.images)


def _plotted_points(ax):
    """Display-space points along every visible line and every scatter marker."""
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = np.column_stack(line.get_data()).astype(float)
        xy = xy[np.isfinite(xy).all(axis=1)]
        if not len(xy):
            continue
        pixels = line.get_transform().transform(xy)   # axhline: x in axes, y in data
        if len(pixels) > 1:
            t = np.linspace(0, 1, SEGMENT_SAMPLES)[None, :, None]
            pixels = (pixels[:-1, None] * (1 - t) + pixels[1:, None] * t).reshape(-1, 2)
        yield pixels
    for artist in ax.collections:
        if isinstance(artist, PathCollection) and artist.get_visible():
            offsets = np.asarray(artist.get_offsets(), dtype=float)
            if len(offsets):
                yield artist.get_offset_transform().transform(offsets)


def move_outside(ax, legend):
    """Re-make ``legend`` to the right of the axes, keeping its entries and title."""
    handles = legend.legend_handles
    labels = [t.get_text() for t in legend.get_texts()]
    title = legend.get_title().get_text()
    size = min((t.get_fontsize() for t in legend.get_texts()), default=None)
    ax.legend(handles, labels, title=title or None, loc="upper left", fontsize=size,
              bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, frameon=False)


def unlabelled_axes(fig):
    """['<axes title or index>: x' / ': y'] for axes that show tick labels but no axis label.

    A figure-level ``supxlabel``/``supylabel`` counts as the label of every panel.
    """
    sup_x = getattr(fig, "_supxlabel", None) is not None and fig._supxlabel.get_text()
    sup_y = getattr(fig, "_supylabel", None) is not None and fig._supylabel.get_text()
    missing = []
    fig.canvas.draw()
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        name = ax.get_title() or f"axes {i}"
        for letter, axis, sup in (("x", ax.xaxis, sup_x), ("y", ax.yaxis, sup_y)):
            shown = any(t.get_visible() and t.get_text() for t in axis.get_ticklabels())
            if shown and not axis.get_label_text().strip() and not sup:
                missing.append(f"{name}: {letter}")
    return missing
