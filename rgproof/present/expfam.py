"""The exponential-family experiment for people: summary table and plot."""
from ..experiments.expfam import _fit_entry, _joint_text, _vector
from ..topics.expfam_fit import GOF_ALPHA
from .plotting import loss_panel, pyplot, save


def _fit_text(record):
    fit = record["fit"]
    if record["theta_t"] is None:
        gof = fit["gof"]
        if fit["mle"] is not None:
            return f"not in the radial family (GOF p = {gof['p_value']:.2g})"
        boundary = fit.get("boundary")
        if boundary is None:
            return f"no ML fit with theta_R > 0 (directions: p = {gof['p_value']:.2g})"
        p = boundary["gof"]["p_value"]
        return (f"no ML fit with theta_R > 0: the ML fit sits on the boundary theta_R -> 0, fit "
                f"with fewer coefficients (R = {boundary['R']}: {_vector(boundary['theta'])}, "
                f"{'in the family' if p >= GOF_ALPHA else 'rejected too'}: GOF p = {p:.2g})")
    return (f"{_vector(record['theta_t'])} CI {_vector(record['ci_low'], 3)}.."
            f"{_vector(record['ci_high'], 3)}")


def summary(result, rows=10):
    """A table of about ``rows`` records and the comparison of theta~_T with the references."""
    records = result.records
    picked = sorted({round(i * (len(records) - 1) / rows) for i in range(rows + 1)})
    lines = [f"{'step':>7} {'t':>9} {'loss':>10}  theta~_t ({result.config.level:.0%} CI)"]
    for i in picked:
        r = records[i]
        lines.append(f"{r['step']:>7} {r['t']:>9.4g} {r['loss']:>10.4g}  {_fit_text(r)}")
    final = records[-1]
    teacher = result.teacher_fit
    refs = []
    if teacher.in_family:
        refs.append(("teacher's theta~(W*)", teacher.theta))
    else:
        lines.append(f"teacher's theta~(W*): {_fit_text(_fit_entry(teacher))}")
    if result.prediction is not None:
        refs.append(("RG prediction theta' s^(-2r)", result.prediction))
    if result.theta_star is not None:
        refs.append((f"paper's theta* (Z_lambda = Z, kappa = {result.kappa:g})",
                     result.theta_star))
    for name, value in refs:
        lines.append(f"{name} = {_vector(value)}: {_joint_text(final, value, result.config.level)}")
    return "\n".join(lines)


def plot(result, path):
    """PNG: theta~_t per r with its bootstrap band and the reference lines, the loss below."""
    plt = pyplot()
    R = result.config.R
    fig, axes = plt.subplots(R + 1, 1, sharex=True, figsize=(7, 2.4 * (R + 1)))
    rows = [r for r in result.records if r["theta_t"] is not None]
    t = [r["t"] for r in rows]
    for k, ax in enumerate(axes[:-1]):
        ax.plot(t, [r["theta_t"][k] for r in rows], color="C0", marker=".",
                label=r"$\tilde\theta_t$")
        ax.fill_between(t, [r["ci_low"][k] for r in rows], [r["ci_high"][k] for r in rows],
                        color="C0", alpha=0.25, label=f"{result.config.level:.0%} bootstrap")
        if result.teacher_fit.in_family:
            ax.axhline(result.teacher_fit.theta[k], color="C2", label=r"teacher $\tilde\theta(W^*)$")
        if result.prediction is not None:
            ax.axhline(result.prediction[k], color="k", linestyle="--",
                       label=r"RG: $\theta'_r s^{-2r}$")
        if result.theta_star is not None and k < len(result.theta_star):
            ax.axhline(result.theta_star[k], color="C3", linestyle=":",
                       label=r"paper: $\theta^*$ ($Z_\lambda = Z$)")
        ax.set_ylabel(rf"$\tilde\theta_{k + 1}$")
        ax.legend(fontsize=7)
    loss_panel(axes[-1], result.records)
    cfg = result.config
    fig.suptitle(f"{cfg.teacher} teacher, N = {cfg.N}, M = {cfg.M}, {cfg.chains} chains, "
                 f"seed {cfg.seed}")
    save(fig, path)


__all__ = ['summary', 'plot']
