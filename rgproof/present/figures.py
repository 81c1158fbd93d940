"""The figures of ``rgproof report``: a registry, one entry per plot a reader wants to see.

A figure is registered once with :func:`figure`; it names the claims it illustrates (shell-style
patterns) and is drawn when the report contains one of them. Its ``draw(results, out)`` writes a
PNG to the binary stream ``out``; ``results`` maps claim ids to the rows of the report
(:meth:`rgproof.claims.Result.as_dict`), so a figure can reuse what a check already computed
instead of recomputing it. A topic module may register its own figure with the same decorator.

matplotlib is optional (the ``plot`` extra) and imported only inside the drawing functions.

>>> [f.id for f in FIGURES][:2]
['decimation-cobweb', 'annealed-coupling']
>>> [f.id for f in for_claims(["ising.fixed_points", "neuralrg.gbf_bound"])]
['decimation-cobweb']
"""
import fnmatch
import math
from dataclasses import dataclass
from typing import Callable, Union

import mpmath
import numpy as np
import sympy

from ..claims import ising_anneal as ising_anneal_claims
from ..claims import rbm as rbm_claims
from ..core.errors import InputError
from ..core.precision import workdps
from ..topics import ising, postwidder, rbm
from . import ising_anneal as ising_anneal_present
from .plotting import pyplot, save

#: Size of every figure drawn here, in inches, and its resolution.
FIGSIZE, DPI = (7.5, 4.2), 110


@dataclass(frozen=True)
class Figure:
    """One registered plot: ``claims`` are the patterns of the claim ids it illustrates.

    ``caption`` is text, or a function of the report's ``results`` giving it, for a caption
    that states what the plot computes (a stability, a level, a size) rather than restating it.
    """

    id: str
    title: str
    caption: Union[str, Callable]
    claims: tuple
    draw: Callable

    def describe(self, results):
        """The caption of the figure drawn for ``results``."""
        return self.caption(results) if callable(self.caption) else self.caption


FIGURES = []


def figure(id, *, title, caption, claims):
    """Register the decorated ``draw(results, out)`` as figure ``id``."""
    def register(draw):
        if any(f.id == id for f in FIGURES):
            raise ValueError(f"figure id {id!r} is registered twice")
        FIGURES.append(Figure(id, title, caption, tuple(claims), draw))
        return draw

    return register


def illustrates(fig, claim_id):
    return any(fnmatch.fnmatchcase(claim_id, pattern) for pattern in fig.claims)


def for_claims(claim_ids):
    """The registered figures that illustrate at least one of ``claim_ids``, in registry order."""
    return [f for f in FIGURES if any(illustrates(f, c) for c in claim_ids)]




def _save(fig, out):
    save(fig, out, dpi=DPI, format="png")


# --------------------------------------------------------------------------- 1-D Ising decimation

#: Starting coupling of the cobweb and the number of decimation steps drawn.
COBWEB_START, COBWEB_STEPS = 1.8, 8


def cobweb_caption(results):
    """The cobweb's caption, stating the stabilities that :func:`rgproof.topics.ising.fixed_point_analysis`
    computes (the ones the plot marks).

    >>> print(cobweb_caption({}))  # doctest: +ELLIPSIS
    Cobweb of ... from J = 1.8: J* = 0 is a stable fixed point (dJ~/dJ = 0 there); J* = infinity is unstable (J~ - J tends to -log(2)/2 < 0).
    """
    analysis = ising.fixed_point_analysis()
    parts = []
    if analysis.zero_is_fixed:
        kind = "a stable" if analysis.zero_is_stable else "an unstable"
        parts.append(f"J* = 0 is {kind} fixed point "
                     f"(dJ~/dJ = {sympy.sstr(analysis.derivative.subs(ising.J, 0))} there)")
    shift = analysis.shift_at_infinity
    if analysis.infinity_is_unstable:
        parts.append(f"J* = infinity is unstable (J~ - J tends to {sympy.sstr(shift)} < 0)")
    else:
        parts.append(f"J* = infinity is not shown unstable (J~ - J tends to {sympy.sstr(shift)})")
    return (f"Cobweb of J -> J~ = (1/2) ln cosh 2J (the map derived by sympy in rgproof.ising) "
            f"from J = {COBWEB_START:g}: " + "; ".join(parts) + ".")


@figure("decimation-cobweb", title="Decimation map of the 1-D Ising chain",
        caption=cobweb_caption,
        claims=("ising.decimation.recursion", "ising.fixed_points", "ising.partition.iterated"))
def draw_decimation_cobweb(results, out):
    plt = pyplot()
    decimated = sympy.lambdify(ising.J, ising.decimation().coupling, "numpy")
    analysis = ising.fixed_point_analysis()
    path = [float(c.value) for c in ising.flow(COBWEB_START, COBWEB_STEPS, dps=20)]
    top = 1.15 * COBWEB_START
    grid = np.linspace(0, top, 400)
    fig, ax = plt.subplots(figsize=(FIGSIZE[1] * 1.3, FIGSIZE[1] * 1.2))  # square axes
    ax.plot(grid, decimated(grid), color="C0", lw=2, label=r"$\tilde J = \frac{1}{2}\ln\cosh 2J$")
    ax.plot(grid, grid, color="0.5", lw=1, label=r"$\tilde J = J$")
    xs = [v for a in path[:-1] for v in (a, a)] + [path[-1]]
    ys = [0.0] + [v for b in path[1:] for v in (b, b)]
    ax.plot(xs, ys, color="C3", lw=1, label=f"flow from $J = {COBWEB_START:g}$")
    if analysis.zero_is_fixed:
        kind = "stable" if analysis.zero_is_stable else "unstable"
        ax.plot([0], [0], "o", color="k", ms=8, zorder=5, label=f"$J^* = 0$ ({kind})")
    if analysis.infinity_is_unstable:
        ax.annotate(r"$J^* = \infty$ (unstable)", xy=(top, top), xytext=(0.55 * top, 0.9 * top),
                    arrowprops={"arrowstyle": "->"})
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.set_xlabel("$J$")
    ax.set_ylabel(r"$\tilde J$")
    ax.legend(loc="upper left", fontsize=9)
    _save(fig, out)


# --------------------------------------------------------------------------- annealed networks

def annealed_coupling_caption(results):
    """The caption, with the interval's level of the run it plots.

    >>> "95% bootstrap" in annealed_coupling_caption({})
    True
    """
    config = ising_anneal_claims.CLAIM_CONFIG
    return (f"The run that the ising.anneal claims check (rgproof.claims.ising_anneal.CLAIM_CONFIG): "
            f"J_t solved from equation (3) at each recorded time, with its {config.level:.0%} "
            f"bootstrap interval ({config.bootstrap} replicates) over {config.chains} chains and "
            f"the decimation fixed point J* = 0; mean loss below.")


@figure("annealed-coupling", title="Output coupling J_t of the annealed ensemble",
        caption=annealed_coupling_caption,
        claims=("ising.anneal.*",))
def draw_annealed_coupling(results, out):
    ising_anneal_present.plot(ising_anneal_claims.claim_run(), out)  # the experiment's own figure


# --------------------------------------------------------------------------- Post-Widder

#: Terms, working digits and time t of the convergence figure (Salzer cancels ~0.55 digit/term).
POSTWIDDER_TERMS, POSTWIDDER_DPS, POSTWIDDER_T = 60, 120, 1


@figure("postwidder-convergence", title="Post-Widder inversion: error against k",
        caption="The one-sided control of the postwidder.one_sided check, "
                "phi(u) = exp(-u - u^2/2) at t = 1 from its exact Laplace moments: the error of "
                "the raw Post-Widder term f_n and of each accelerator using f_1..f_n, against "
                "phi(1) = exp(-3/2) (computed at 120 digits).",
        claims=("postwidder.*",))
def draw_postwidder_convergence(results, out):
    plt = pyplot()
    accelerators = {"raw $f_n$": postwidder.no_acceleration,
                    "Richardson": postwidder.richardson, "Salzer": postwidder.salzer,
                    r"Wynn $\rho$": postwidder.wynn_rho}
    phi = postwidder.BoltzmannFactor(postwidder.CONTROL_THETA)
    counts = range(2, POSTWIDDER_TERMS + 1)
    with workdps(POSTWIDDER_DPS):
        t = mpmath.mpf(POSTWIDDER_T)
        exact = phi(t)
        terms = phi.postwidder_terms(range(1, POSTWIDDER_TERMS + 1), (t,))
        floor = mpmath.mpf(10) ** -POSTWIDDER_DPS
        errors = {name: [float(mpmath.log10(max(abs(accelerate(range(1, n + 1), terms[:n]) - exact)
                                                / exact, floor)))
                         for n in counts]
                  for name, accelerate in accelerators.items()}
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for name, values in errors.items():
        ax.plot(list(counts), values, marker=".", label=name)
    ax.set_xlabel("terms $n$ (Post-Widder order $k = 1..n$)")
    ax.set_ylabel(r"$\log_{10}$ relative error")
    ax.grid(alpha=0.3)
    ax.legend()
    _save(fig, out)


# --------------------------------------------------------------------------- RBM training

RBM_CLAIM = "mehta_schwab.trained_rbm_coupling"


def rbm_curves(results):
    """``{connectivity: rows [step, KL, trace residual, ln E_P r, hidden coupling]}`` and J~.

    Taken from the details of the coupling claim when the report has them; otherwise the
    claim's training runs (:data:`rgproof.claims.rbm.TRAINING`) are repeated.
    """
    details = results.get(RBM_CLAIM, {}).get("details") or {}
    if "curves" in details and "decimated_coupling" in details:
        return details["curves"], details["decimated_coupling"]
    runs = {name: rbm.train_chain_rbm(connectivity=name, **rbm_claims.TRAINING) for name in ("block", "full")}
    curves = {name: [[c.step, c.kl, c.trace_residual, c.log_mean_trace, c.coupling]
                     for c in run.history] for name, run in runs.items()}
    return curves, runs["block"].decimated_coupling


#: The columns of a row of the RBM figure's ``curves``: what :func:`rbm_curves` gives.
RBM_CURVE_COLUMNS = ("step", "KL", "trace residual", "ln E_P r", "hidden coupling")


def check_details(rows, option):
    """Refuse, naming the path inside the JSON, ``details`` of ``rows`` (read from the file of
    ``option``) that the figures cannot read: a row's details must be an object (or null), and
    the details the RBM figure reuses numbers: ``J``, ``decimated_coupling``, and the ``curves``,
    an object of lists of rows of :data:`RBM_CURVE_COLUMNS` (the step a number, the others
    numbers or null).

    >>> check_details([{"id": RBM_CLAIM, "details": {"curves": {"block": [[0, 1, 2, "x", None]]}}}],
    ...               "--from-json")
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: --from-json row 'mehta_schwab.trained_rbm_coupling'
    details.curves.block[0][3]: must be a finite number or null (got 'x')
    """
    for row in rows:
        where = f"{option} row {row['id']!r} details"
        details = row.get("details")
        if details is not None and not isinstance(details, dict):
            raise InputError(where, "must be an object", details)
        if row["id"] != RBM_CLAIM or not details:
            continue
        for key in ("J", "decimated_coupling"):
            if key in details:
                _check_number(details[key], f"{where}.{key}")
        curves = details.get("curves", {})
        if not isinstance(curves, dict):
            raise InputError(f"{where}.curves", "must be an object of lists of rows", curves)
        for name, curve in curves.items():
            if not isinstance(curve, list):
                raise InputError(f"{where}.curves.{name}", "must be a list of rows", curve)
            for i, point in enumerate(curve):
                if not isinstance(point, list) or len(point) != len(RBM_CURVE_COLUMNS):
                    raise InputError(f"{where}.curves.{name}[{i}]", "must be a list of "
                                     + ", ".join(RBM_CURVE_COLUMNS), point)
                for j, value in enumerate(point):
                    _check_number(value, f"{where}.curves.{name}[{i}][{j}]", null=j > 0)


def _check_number(value, where, null=False):
    """A finite number (JSON knows NaN and Infinity as extensions), or null where allowed."""
    if value is None and null:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise InputError(where, "must be a finite number" + (" or null" if null else ""), value)


def rbm_caption(results):
    """The caption, with the sizes and coupling of the claim's training runs: the claim's
    details give J; the sizes are those of :data:`rgproof.claims.rbm.TRAINING` (an ``N -> N/2``
    machine, :func:`rgproof.topics.rbm.train_chain_rbm`), which the details do not repeat.

    >>> rbm_caption({})[:74]
    'The training runs of mehta_schwab.trained_rbm_coupling (N = 8 visible, 4 h'
    """
    details = results.get(RBM_CLAIM, {}).get("details") or {}
    visible = rbm_claims.TRAINING["N"]
    coupling = details.get("J", rbm_claims.TRAINING["J"])
    return (f"The training runs of {RBM_CLAIM} (N = {visible} visible, {visible // 2} hidden "
            f"units, data coupling J = {coupling:g}): KL(P || p_RBM), the trace-condition "
            f"residual max_v |tr_h e^T - 1| with the constant matched, and the coupling induced "
            f"on the hidden units against the decimation value J~ = (1/2) ln cosh 2J.")


@figure("rbm-training", title="RBM training on the 1-D Ising chain (exact KL gradient)",
        caption=rbm_caption,
        claims=("mehta_schwab.*",))
def draw_rbm_training(results, out):
    plt = pyplot()
    curves, target = rbm_curves(results)
    fig, axes = plt.subplots(1, 3, figsize=(FIGSIZE[0] * 1.35, FIGSIZE[1]))
    columns = ((1, "KL$(P\\,\\|\\,p_{RBM})$", True), (2, "trace residual", True),
               (4, "hidden coupling", False))
    for ax, (column, label, log) in zip(axes, columns):
        for name, rows in curves.items():
            points = [(r[0], r[column]) for r in rows if r[column] is not None
                      and not (log and r[column] <= 0)]
            ax.plot(*zip(*points), marker=".", label=f"{name} RBM")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("training iteration")
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
    axes[2].axhline(target, color="k", ls="--", label=rf"$\tilde J = {target:.4f}$")
    axes[2].legend(fontsize=8)
    _save(fig, out)


__all__ = ['Figure', 'FIGURES', 'figure', 'illustrates', 'for_claims', 'rbm_curves',
           'RBM_CURVE_COLUMNS', 'check_details', 'cobweb_caption', 'annealed_coupling_caption', 'rbm_caption', 'draw_decimation_cobweb', 'draw_annealed_coupling', 'draw_postwidder_convergence', 'draw_rbm_training']
