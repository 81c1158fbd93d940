"""The Ising annealing experiment for people: summary table and plot."""
from ..claims.ising_anneal import _interval_text, fixed_point
from ..core.text import significant
from .plotting import loss_panel, pyplot, save


def summary(result, rows=10):
    """A table of about ``rows`` evenly spaced records and the verdict line on J_T vs J*."""
    records = result.records
    picked = sorted({round(i * (len(records) - 1) / rows) for i in range(rows + 1)})
    level = f"{result.config.level:.0%} CI"
    lines = [f"{'step':>7} {'t':>9} {'J_t':>11} {level:>27} {'loss':>10} roots"]
    for i in picked:
        r = records[i]
        lines.append(f"{r['step']:>7} {r['t']:>9.4g} {significant(r['J_t'], 4, none='none'):>11} "
                     f"{_interval_text(r['ci_low'], r['ci_high'], 4):>27} {r['loss']:>10.4g} "
                     f"{len(r['roots'])}")
    final = records[-1]
    if final["ci_low"] is None:
        lines.append(f"J_T: no root of equation (3) at t = {final['t']:g}")
        return "\n".join(lines)
    marks = [("J*", fixed_point(), "stable decimation fixed point")]
    if result.config.target is not None:
        marks.insert(0, ("J'", result.config.target, "the target g was chosen for"))
    verdicts = "; ".join(
        f"{name} = {value:g} ({what}) is "
        f"{'inside' if final['ci_low'] <= value <= final['ci_high'] else 'OUTSIDE'}"
        for name, value, what in marks)
    lines.append(f"J_T = {significant(final['J_t'])} at T = {final['t']:g}, {level} "
                 f"{_interval_text(final['ci_low'], final['ci_high'], 4)}: {verdicts}")
    return "\n".join(lines)


def plot(result, path):
    """PNG: J_t with its bootstrap band and the fixed point J* = 0 above, the loss below."""
    plt = pyplot()

    rows = [r for r in result.records if r["J_t"] is not None]
    t = [r["t"] for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(7, 6))
    top.plot(t, [r["J_t"] for r in rows], color="C0", label="$J_t$")
    band = [r for r in rows if r["ci_low"] is not None]
    top.fill_between([r["t"] for r in band], [r["ci_low"] for r in band],
                     [r["ci_high"] for r in band], color="C0", alpha=0.25,
                     label=f"{result.config.level:.0%} bootstrap interval")
    top.axhline(fixed_point(), color="k", linestyle="--", label="$J^* = 0$")
    top.set_ylabel("$J_t$")
    top.legend()
    loss_panel(bottom, result.records)
    cfg = result.config
    fig.suptitle(f"N = {cfg.N}, M = {cfg.M}, {cfg.chains} {cfg.activation} chains, "
                 f"seed {cfg.seed}")
    save(fig, path)


__all__ = ['summary', 'plot']
