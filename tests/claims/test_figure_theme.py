"""The figure theme: log axes labelled at every power, legends off the data, labels required."""
import numpy as np

from expressivity.claims.plots import figure, save
from expressivity.claims.figure_theme import covers_data, finish, unlabelled_axes


def labelled_ticks(axis):
    """Texts of the labelled major ticks inside the view."""
    low, high = sorted(axis.get_view_interval())
    return [t.get_text() for t, at in zip(axis.get_majorticklabels(), axis.get_majorticklocs())
            if t.get_visible() and t.get_text() and low * (1 - 1e-9) <= at <= high * (1 + 1e-9)]


def test_log_axis_gets_a_labelled_tick_at_every_power_in_view():
    fig, axes = figure()
    ax = axes[0, 0]
    ax.plot([1, 1e12], [1, 2])
    ax.set_xscale("log")
    ax.set_xlim(1, 1e12)
    fig.canvas.draw()
    assert len(labelled_ticks(ax.xaxis)) < 13      # matplotlib alone skips powers here
    finish(fig)
    fig.canvas.draw()
    assert labelled_ticks(ax.xaxis) == [f"$\\mathdefault{{10^{{{k}}}}}$" for k in range(13)]


def test_base_two_log_axis_is_labelled_at_every_power_of_two():
    fig, axes = figure()
    ax = axes[0, 0]
    ax.plot([2, 1024], [1, 2])
    ax.set_xscale("log", base=2)
    ax.set_xlim(2, 1024)
    fig.canvas.draw()
    assert len(labelled_ticks(ax.xaxis)) < 10
    finish(fig)
    fig.canvas.draw()
    assert len(labelled_ticks(ax.xaxis)) == 10          # 2^1 … 2^10


def test_a_legend_over_the_data_is_moved_outside_and_one_clear_of_it_stays():
    fig, axes = figure()
    ax = axes[0, 0]
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.ones_like(x), label="flat at the top")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="upper right")
    fig.canvas.draw()
    assert covers_data(ax, ax.get_legend())
    finish(fig)
    fig.canvas.draw()
    legend = ax.get_legend()
    assert not covers_data(ax, legend)
    assert legend.get_window_extent().x0 >= ax.get_window_extent().x1
    assert [t.get_text() for t in legend.get_texts()] == ["flat at the top"]

    fig, axes = figure()
    ax = axes[0, 0]
    ax.plot(x, 0.1 * x, label="low line")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    finish(fig)
    assert ax.get_legend().get_window_extent().x1 <= ax.get_window_extent().x1


def test_a_legend_over_a_band_counts_as_covering_data():
    fig, axes = figure()
    ax = axes[0, 0]
    ax.fill_between([0, 1], [0, 0], [1, 1], alpha=0.2)
    ax.plot([0, 1], [-1, -1], label="line below the view")
    ax.set_ylim(0, 1)
    ax.legend(loc="center")
    fig.canvas.draw()
    assert covers_data(ax, ax.get_legend())


def test_unlabelled_axes_are_named(tmp_path):
    fig, axes = figure(ncols=2)
    axes[0, 0].plot([0, 1], [0, 1])
    axes[0, 0].set(xlabel="width (hidden units)", ylabel="success rate (share of restarts)")
    axes[0, 1].plot([0, 1], [0, 1])
    axes[0, 1].set_title("right")
    assert unlabelled_axes(fig) == ["right: x", "right: y"]
    fig.supxlabel("epochs")
    fig.supylabel("loss")
    assert unlabelled_axes(fig) == []
    assert save(fig, tmp_path, "two.png") == "two.png" and (tmp_path / "two.png").stat().st_size


def test_a_strip_plot_draws_the_same_bytes_whatever_the_global_generator_did(tmp_path):
    import numpy as np
    import pandas as pd
    import seaborn as sns

    from expressivity.claims import plots
    data = pd.DataFrame({"arm": ["a"] * 20 + ["b"] * 20, "value": np.arange(40.0)})
    written = []
    for seed in (1, 2):
        np.random.seed(seed)     # whatever ran before the figure left the generator elsewhere
        fig, axes = plots.figure()
        with plots.seeded_jitter():
            sns.stripplot(data=data, x="arm", y="value", ax=axes[0, 0])
        axes[0, 0].set(xlabel="arm", ylabel="value (count)")
        written.append(plots.save(fig, tmp_path / str(seed), "strip.png"))
        after = np.random.random()
        np.random.seed(seed)
        assert after == np.random.random()   # the caller's generator is put back as it was
    assert (tmp_path / "1" / "strip.png").read_bytes() == (tmp_path / "2" / "strip.png").read_bytes()


def test_legend_text_reads_nine_points_on_the_page_at_any_figure_width(tmp_path):
    from PIL import Image

    from expressivity.claims.figure_theme import TEXT_COLUMN_PX, legend_points
    assert legend_points(4.2) == 9.0                       # shown at its size: 9 pt
    assert legend_points(20.0) == 9.0 * 96 * 20.0 / TEXT_COLUMN_PX   # shrunk to the column
    for ncols in (1, 3):
        fig, axes = figure(ncols=ncols)
        for ax in axes[0]:
            x = np.linspace(0, 1, 30)
            ax.plot(x, x, label="rising")
            ax.plot(x, 1 - x, label="falling")
            ax.set(xlabel="x (units)", ylabel="y (units)")
            ax.legend(loc="center")
        name = save(fig, tmp_path, f"wide{ncols}.png")
        with Image.open(tmp_path / name) as png:
            shown_px = min(png.width, TEXT_COLUMN_PX)
            legend_pt = float(png.info["Legend-Font-Pt"])
            on_page_px = legend_pt * 120 / 72 * shown_px / png.width
            assert on_page_px >= 12 - 1e-6, (ncols, legend_pt, png.width)
            assert png.info["Legend-Over-Data"] == "no"


def test_panels_with_legends_get_one_legend_right_of_every_panel():
    fig, axes = figure(ncols=3)
    x = np.linspace(1, 2, 10)
    for i, ax in enumerate(axes[0]):
        ax.plot(x, x, label="relu")
        if i == 2:
            ax.scatter([1.5], [1.5], marker="x", label="no fit")
        ax.set(xlabel="x (units)", ylabel="y (units)")
        ax.legend()
    finish(fig)
    fig.canvas.draw()
    assert all(ax.get_legend() is None for ax in axes[0])
    [legend] = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["relu", "no fit"]
    assert legend.get_window_extent().x0 >= max(ax.get_window_extent().x1 for ax in axes[0])


def test_a_horizontal_reference_line_counts_as_data_under_a_legend():
    fig, axes = figure()
    ax = axes[0, 0]
    ax.plot([10, 20], [0, 0.1], label="low")      # data x far from axhline's axes x (0 to 1)
    ax.axhline(0.95, color="grey", label="reference")
    ax.set(ylim=(0, 1), xlabel="x (units)", ylabel="y (units)")
    legend = ax.legend(loc="upper center")
    fig.canvas.draw()
    assert covers_data(ax, legend)


def test_a_legend_moved_outside_still_reads_nine_points_after_the_last_layout(tmp_path):
    """approximation's figure: panels whose legends cover the data are merged into one legend
    right of every panel, with long entries; the image that widens must not shrink the text
    below 9 pt on the page (11.7 px of 12 before the layout passes)."""
    from PIL import Image

    from expressivity.claims.figure_theme import TEXT_COLUMN_PX
    fig, axes = figure(ncols=3, width=4.2)
    for k, ax in enumerate(axes[0]):
        x = np.geomspace(1, 128, 20)
        for j in range(3):
            ax.plot(x, 1 / x ** (j + 1), marker="o", label=f"task {j}: trained (best), panel {k}, "
                                                             "a long description of the line")
        ax.set(xscale="log", yscale="log", xlabel="hidden units N", ylabel="sup error")
        ax.legend(loc="upper right")
    name = save(fig, tmp_path, "outside.png")
    with Image.open(tmp_path / name) as png:
        shown_px = min(png.width, TEXT_COLUMN_PX)
        on_page_px = float(png.info["Legend-Font-Pt"]) * 120 / 72 * shown_px / png.width
    assert on_page_px >= 12 - 1e-6, (png.width, png.info["Legend-Font-Pt"])
