"""Figures for claim `loss`: learned constants, convergence, jitter vs step, net training."""
import numpy as np
import seaborn as sns

from expressivity.claims import plots
from expressivity.claims.loss.subclaims import FULL_BATCH, PER_EXAMPLE
from expressivity.claims.summaries import median_interval, rate_table


def draw(constants, curves, regression, boolean, rule, writer):
    """Every figure that has data; returns their file names."""
    names = []
    if len(constants):
        names.append(_constants(constants, rule, writer))
        names.append(_spread(constants, writer))
    if len(curves):
        names.append(_convergence(curves, rule, writer))
    if len(regression) or len(boolean):
        names.append(_nets(regression, boolean, writer))
    return names


def _constants(constants, rule, writer):
    sel = constants[(constants["trainer.batch_size"] == PER_EXAMPLE)
                    & (constants["trainer.schedule"] == "inverse_time")
                    & np.isclose(constants["trainer.lr"], rule.setting_lr)]
    dists = sorted(sel["task.distribution"].unique())
    fig, axes = writer.figure(ncols=max(1, len(dists)))
    for ax, dist in zip(axes.flat, dists):
        part = sel[sel["task.distribution"] == dist]
        with plots.seeded_jitter():
            sns.stripplot(data=part, x="trainer.loss", y="b", hue="trainer.loss", ax=ax, size=3,
                          palette=plots.PALETTE, legend=False, order=["squared", "absolute"])
        first = part.iloc[0]
        ax.axhline(first["mean"], color=plots.colour("squared"), linestyle="-", label="sample mean")
        ax.axhline(first["median"], color=plots.colour("absolute"), linestyle="--", label="sample median")
        if first["outliers"]:
            ax.axhline(first["clean_median"], color="grey", linestyle=":", label="clean median")
        ax.set(title=f"{dist}: per-example SGD, decaying step",
               xlabel="loss", ylabel="learned constant b")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    return writer.save(fig, "loss_constants.png")


def _convergence(curves, rule, writer):
    sel = curves[np.isclose(curves["trainer.lr"], rule.setting_lr)
                 & (curves["task.distribution"] == "lognormal")]
    fig, axes = writer.figure(ncols=2, sharey=True)
    for ax, (batch, title) in zip(axes.flat, ((FULL_BATCH, "full batch"), (PER_EXAMPLE, "per-example SGD"))):
        part = sel[sel["trainer.batch_size"] == batch]
        for (loss, schedule), g in part.groupby(["trainer.loss", "trainer.schedule"]):
            g = g.sort_values("epoch")
            floor = 1e-16 * g["best"].iloc[0]
            plots.band(ax, g["epoch"], g["excess_median"].clip(lower=floor),
                       g["excess_q25"].clip(lower=floor), g["excess_q75"].clip(lower=floor),
                       label=f"{loss}, {schedule}", color=plots.colour(loss), marker=None,
                       linestyle="-" if schedule == "constant" else "--")
        ax.set(yscale="log", title=f"lognormal, lr {rule.setting_lr:g}, {title}", xlabel="epoch",
               ylabel="loss above its minimum (median, IQR)")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    return writer.save(fig, "loss_convergence.png")


def _spread(constants, writer):
    sel = constants[constants["trainer.batch_size"] == PER_EXAMPLE]
    table = sel.groupby(["task.distribution", "trainer.loss", "trainer.schedule", "trainer.lr"])["b"] \
        .std().rename("spread").reset_index()
    dists = sorted(table["task.distribution"].unique())
    fig, axes = writer.figure(ncols=max(1, len(dists)), sharey=True)
    for ax, dist in zip(axes.flat, dists):
        for (loss, schedule), g in table[table["task.distribution"] == dist].groupby(["trainer.loss", "trainer.schedule"]):
            g = g.sort_values("trainer.lr")
            ax.plot(g["trainer.lr"], g["spread"], marker="o", color=plots.colour(loss),
                    linestyle="-" if schedule == "constant" else "--", label=f"{loss}, {schedule}")
        lrs = np.array(sorted(table["trainer.lr"].unique()))
        ax.plot(lrs, lrs, color="grey", linestyle=":", label="sd = lr")
        ax.set(xscale="log", yscale="log", title=f"{dist}: jitter of the learned constant",
               xlabel="step size lr", ylabel="sd of b over restarts")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    return writer.save(fig, "loss_jitter.png")


def _nets(regression, boolean, writer):
    fig, axes = writer.figure(ncols=2)
    left, right = axes[0]
    if len(regression):
        stats = []
        for (loss, schedule), g in regression.groupby(["trainer.loss", "trainer.schedule"]):
            stats.append((f"{loss}\n{schedule}", loss, *median_interval(g["max_error"])))
        for i, (label, loss, med, low, high) in enumerate(stats):
            left.errorbar(i, med, yerr=[[med - low], [high - med]], fmt="o", color=plots.colour(loss), capsize=4)
        left.set_xticks(range(len(stats)), [s[0] for s in stats], fontsize=7)
        left.set(yscale="log", title="regression (sin): final sup error", xlabel="loss and step schedule",
                 ylabel="median max|y_hat - y| (bootstrap 95%)")
    if len(boolean):
        rates = rate_table(boolean, ["cell", "trainer.loss"])
        for i, ((cell, loss), r) in enumerate(rates.set_index(["cell", "trainer.loss"]).iterrows()):
            right.errorbar(i, r["rate"], yerr=[[r["rate"] - r["low"]], [r["high"] - r["rate"]]], fmt="o",
                           color=plots.colour(loss), capsize=4)
        right.set_xticks(range(len(rates)), [f"{c}\n{l}" for c, l in zip(rates["cell"], rates["trainer.loss"])],
                         fontsize=7)
        right.set(title="boolean: per-restart success", xlabel="task and loss",
                  ylabel="success rate (share of restarts, Wilson 95%)", ylim=(-0.03, 1.03))
    return writer.save(fig, "loss_nets.png")
