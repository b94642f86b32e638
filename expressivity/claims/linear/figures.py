"""Figures of claim `linear`: XOR fit rates by depth, identity nets' MSE above the affine floor."""
import numpy as np


def plot_xor(summary, members, floor, writer, name):
    """Left: XOR fit rate per depth and activation (Wilson bars); right: identity nets' final
    MSE above the affine floor ``floor``, rounding ties in orange."""
    fig, axes = writer.figure(ncols=2, width=5.0, height=3.6)
    ax = axes[0][0]
    for activation, g in summary.groupby("activation"):
        g = g.sort_values("depth")
        bars = [g["fit_rate"] - g["ci_low"], g["ci_high"] - g["fit_rate"]]
        ax.errorbar(g["depth"], g["fit_rate"], yerr=bars, marker="o", capsize=3,
                    label=f"{activation} hidden units")
    ax.set(xlabel="hidden layers", ylabel="share of restarts fitting XOR", ylim=(-0.05, 1.05),
           title="XOR fitted (rounding ties excluded)", xticks=sorted(summary["depth"].unique()))
    ax.legend(fontsize=8)
    ax = axes[0][1]
    ident = members[(members["model.activation"] == "identity") & ~members["diverged"].astype(bool)]
    for depth, g in ident.groupby("depth"):
        jitter = np.linspace(-0.15, 0.15, len(g))
        ax.scatter(depth + jitter, g["final_loss"] - floor, s=10,
                   c=np.where(g["tie"], "tab:orange", "tab:blue"))
    ax.axhline(0, color="red", lw=1)
    ax.set(yscale="symlog", xlabel="hidden layers", ylabel=f"final MSE - {floor:.2f} (symlog)",
           title="identity nets: MSE above the affine floor", xticks=sorted(summary["depth"].unique()))
    ax.set_yscale("symlog", linthresh=1e-16)
    ax.text(0.02, 0.95, "orange: flagged 'fit' that is a rounding tie", transform=ax.transAxes,
            fontsize=8, va="top")
    return writer.save(fig, name)
