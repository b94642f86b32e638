"""Figures of claim `activation`: gradient norms by layer at init, success and epochs by depth."""
import numpy as np

from expressivity.claims import plots


def _init_style(init):
    """Xavier solid with circles, He dashed with squares: the two inits stay apart in print."""
    return {"linestyle": "-", "marker": "o"} if init == "xavier" else {"linestyle": "--", "marker": "s"}


def plot_gradients(members, writer):
    cells = sorted(members["cell"].unique())
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        part = members[members["cell"] == cell]
        depth = int(part["model.depth"].max())
        deepest = part[part["model.depth"] == depth]
        layers = np.arange(depth + 1)
        for (activation, init), g in deepest.groupby(["model.activation", "model.init"]):
            values = g[[f"grad_norm_init.{l}" for l in layers]]
            plots.band(ax, layers + 1, values.median(), values.quantile(0.25), values.quantile(0.75),
                       label=f"{activation}/{init}", color=plots.colour(activation),
                       **_init_style(init))
        ax.set(yscale="log", title=f"{cell}, depth {depth}, at init",
               xlabel="weight layer (1 = next to the input)", ylabel="gradient norm (median, IQR)")
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_gradient_norms.png")


def plot_success(rates, writer):
    cells = sorted(rates["cell"].unique())
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        for (activation, init), g in rates[rates["cell"] == cell].groupby(["model.activation", "model.init"]):
            g = g.sort_values("model.depth")
            plots.band(ax, g["model.depth"], g["rate"], g["low"], g["high"], label=f"{activation}/{init}",
                       color=plots.colour(activation), **_init_style(init))
        ax.set(title=cell, xlabel="hidden layers", ylabel="success rate (Wilson 95%)", ylim=(-0.03, 1.03))
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_success.png")


def plot_epochs(rates, writer):
    boolean = rates[np.isfinite(rates["median_epochs"]) & (rates["successes"] >= 3)]
    cells = sorted(boolean["cell"].unique()) or ["(none)"]
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        for (activation, init), g in boolean[boolean["cell"] == cell].groupby(["model.activation", "model.init"]):
            g = g.sort_values("model.depth")
            plots.band(ax, g["model.depth"], g["median_epochs"], g["epochs_low"], g["epochs_high"],
                       label=f"{activation}/{init}", color=plots.colour(activation),
                       **_init_style(init))
        ax.set(yscale="log", title=cell, xlabel="hidden layers",
               ylabel="median epochs to fit (bootstrap 95%)")
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_epochs.png")
