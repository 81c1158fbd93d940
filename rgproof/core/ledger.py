"""The claims ledger: every checkable statement from the sources, defined once.

A claim has a stable dotted id, the statement as its source makes it (typos and gaps included),
the source (a :class:`Source`: document, place and a verbatim quote), the method and a check
function. The check computes an :class:`Outcome`; nothing here or in the front ends writes a
verdict by hand. Each module of :mod:`rgproof.claims` declares one
:class:`Topic` and registers its checks with the topic's :meth:`Topic.claim` decorator. The
ledger names no topic: :mod:`rgproof.claims` imports the claims modules, and :func:`select` and
:func:`get` see the claims registered so far.

>>> topic = Topic("demo", title="A demonstration", paper="nobody")
>>> here = Source("this docstring", "the demonstration", "1 = 1")
>>> @topic.claim("demo.one_is_one", statement="1 = 1", source=here, method="symbolic")
... def _check(ctx):
...     return holds("1 - 1 = 0 exactly") if 1 - 1 == 0 else fails("1 - 1 != 0")
>>> result = run(get("demo.one_is_one"), Context(dps=30))
>>> result.outcome.verdict, result.claim.topic.paper
('holds', 'nobody')
>>> unregister("demo.one_is_one")
"""
import fnmatch
import time
import traceback
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

import mpmath

from . import mathml
from .errors import InputError
from .precision import check_dps
from .stats import Equivalence, expected_false_verdicts, holm, stability

VERDICTS = ("holds", "fails", "inconclusive")
METHODS = ("symbolic", "high-precision", "numeric", "stochastic")
#: How a row's digits are certified: a ball-arithmetic enclosure, two working precisions that
#: agree, independent methods that agree, or not at all (no digits: a symbolic proof, a float64
#: or a statistical result). "Certified" is never used without one of these words.
CERTIFICATIONS = ("proved", "two-precision", "agreement", "none")
#: A high-precision "holds" under --dps D must certify at least D - HOLDS_SLACK digits.
HOLDS_SLACK = 10
#: The seeds every ``stochastic`` row runs under (``Context.seed``), in the default tier and
#: under ``--thorough``: a row's verdict is the seeds' verdict when they all agree, and
#: "inconclusive" when they do not (a verdict that changes with the seed is not decided).
SEEDS = (0, 1, 2)
THOROUGH_SEEDS = (0, 1, 2, 3, 4, 5)
#: The family-wise error rate of the Holm line under the verdict table.
FAMILY_ALPHA = 0.05


@dataclass(frozen=True)
class Context:
    """What a check is asked for: ``dps`` is the number of digits a high-precision "holds"
    needs; ``seed`` the seed of a stochastic check's random draws (set by :func:`run` from
    :func:`seeds`); ``thorough`` asks for the long horizons and bigger sizes of
    ``rgproof verify --thorough``."""

    dps: int = 50
    seed: int = 0
    thorough: bool = False


def seeds(context):
    """The seeds a stochastic row runs under in ``context``'s tier."""
    return THOROUGH_SEEDS if context.thorough else SEEDS


@dataclass(frozen=True)
class Outcome:
    """The computed result of one check.

    ``digits`` counts the certified significant digits of the quantity that decides the verdict
    (for a "fails", of the margin that proves it) and ``certification`` says how they are
    certified (:data:`CERTIFICATIONS`); no digits, no certification ("none"). ``details`` holds
    machine-readable evidence (counterexamples, residuals) for the JSON output.

    ``tests`` are the equivalence tests (:class:`~rgproof.core.stats.Equivalence`) that decide
    a stochastic verdict: "holds" needs each of them decisive the way the statement predicts
    (mostly "holds"; "fails" where the statement says two things differ), "fails" any one
    that fails (see :func:`p_value`).
    ``statistics`` is what :func:`run` reports of them over the seeds (JSON-ready).
    """

    verdict: str
    evidence: str
    digits: Optional[int] = None
    details: dict = field(default_factory=dict)
    certification: str = "none"
    tests: tuple = ()
    statistics: Optional[dict] = None

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.certification not in CERTIFICATIONS:
            raise ValueError(f"certification must be one of {CERTIFICATIONS}, "
                             f"got {self.certification!r}")
        if (self.digits is None) != (self.certification == "none"):
            raise ValueError("digits need a certification kind, and a certification needs digits "
                             f"(digits {self.digits!r}, certification {self.certification!r})")
        if not all(isinstance(t, Equivalence) for t in self.tests):
            raise ValueError(f"tests must be stats.Equivalence objects, got {self.tests!r}")

    # a notebook shows the verdict and evidence (rgproof.core.mathml sets them)
    def _repr_html_(self):
        return mathml.outcome_html(self)

    def _repr_latex_(self):
        return mathml.outcome_latex(self)


def holds(evidence, digits=None, certification=None, tests=(), **details):
    return _outcome("holds", evidence, digits, certification, tests, details)


def fails(evidence, digits=None, certification=None, tests=(), **details):
    return _outcome("fails", evidence, digits, certification, tests, details)


def inconclusive(evidence, digits=None, certification=None, tests=(), **details):
    return _outcome("inconclusive", evidence, digits, certification, tests, details)


def outcome(verdict, evidence, digits=None, certification=None, tests=(), **details):
    """The Outcome of a verdict computed elsewhere (e.g. by
    :func:`~rgproof.core.stats.combined_verdict`)."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    return _outcome(verdict, evidence, digits, certification, tests, details)


def _outcome(verdict, evidence, digits, certification, tests, details):
    """An Outcome; digits given without a kind are two-precision digits (the digit counts of
    :func:`~rgproof.core.precision.certify` and ``compare``; a ball or an agreement of methods
    says so with ``certification=``)."""
    if certification is None:
        certification = "none" if digits is None else "two-precision"
    return Outcome(verdict, evidence, digits, details, certification, tuple(tests))


def p_value(outcome):
    """A bound on the chance that a decisive stochastic verdict is wrong by chance, from its
    tests' p-values; None for "inconclusive".

    "holds" needs every test decisive, so it is wrong only if one of them is: the largest of
    their p-values bounds it (an intersection-union test). "fails" needs any one failing test,
    so the smallest of their p-values times the number of tests bounds it (Bonferroni over the
    union).
    """
    if outcome.verdict == "inconclusive":
        return None
    if outcome.verdict == "holds":
        return max(t.p_value for t in outcome.tests)
    return min(1.0, len(outcome.tests) * min(t.p_value for t in outcome.tests
                                             if t.verdict == "fails"))


def enforce_contract(claim, outcome, dps):
    """The outcome of ``claim`` under the verdict contract at ``--dps dps``.

    Only ``high-precision`` rows carry digits (symbolic proofs are exact; float64 and statistical
    results are not certified to digits): digits elsewhere are a ``ValueError`` (a bug of the
    check). A high-precision "holds" needs ``dps - HOLDS_SLACK`` certified digits, or the
    claim's own fixed ``target`` (declared with a reason from its source); with fewer it is
    inconclusive and says why.
    """
    if claim.method == "stochastic":
        _check_tests(outcome)
    elif outcome.tests:
        raise ValueError(f"a {claim.method} row has no statistical tests")
    if claim.method != "high-precision":
        if outcome.digits is not None:
            raise ValueError(f"a {claim.method} row carries no certified digits "
                             f"(got {outcome.digits})")
        return outcome
    if outcome.verdict == "holds":
        if outcome.digits is None:
            raise ValueError("a high-precision 'holds' must say how many digits it certifies")
        needed, why = dps - HOLDS_SLACK, f"--dps {dps} needs {dps - HOLDS_SLACK}"
        if claim.target is not None:
            needed, why = claim.target[0], f"the claim's target is {claim.target[0]} digits " \
                                           f"({claim.target[1]})"
        if outcome.digits < needed:
            return Outcome("inconclusive",
                           f"{outcome.evidence} [would hold, but {outcome.digits} "
                           f"{outcome.certification} digits are fewer than {why}]",
                           outcome.digits, dict(outcome.details, digits_needed=needed),
                           outcome.certification)
    return outcome


def _check_tests(outcome):
    """A decisive stochastic verdict without the tests that make it is a bug of the check."""
    verdicts = [t.verdict for t in outcome.tests]
    if outcome.verdict == "holds" and ("holds" not in verdicts or "inconclusive" in verdicts):
        raise ValueError(f"a stochastic 'holds' needs decisive equivalence tests, one at least "
                         f"holding, got {verdicts}")
    if outcome.verdict == "fails" and "fails" not in verdicts:
        raise ValueError(f"a stochastic 'fails' needs an equivalence test that fails, got "
                         f"{verdicts}")


def by_comparison(comparison, dps, what, **details):
    """Verdict for 'lhs equals rhs' from a :class:`~rgproof.core.precision.Comparison`.

    holds: the sides agree to at least ``dps`` certified digits; fails: they are certified to
    differ; inconclusive otherwise (the precision reached does not decide it). ``details`` go
    into the outcome whatever the verdict.
    """
    agree, certified = comparison.agree, comparison.certified
    # Evidence is read by people: 15 digits show a difference; details keep every digit.
    lhs, rhs = (mpmath.nstr(side.value, 15) for side in (comparison.lhs, comparison.rhs))
    kind = comparison.kind
    if agree >= dps:
        return holds(f"{what}: sides agree to {agree} digits", digits=agree, certification=kind,
                     **details)
    if comparison.differs():
        # the verdict rests on the difference: its digits are those of the margin
        return fails(f"{what}: sides differ ({lhs} vs {rhs}); agree to {agree} of "
                     f"{certified} certified digits", digits=comparison.margin_digits,
                     certification=kind, lhs=str(comparison.lhs), rhs=str(comparison.rhs),
                     **details)
    return inconclusive(f"{what}: only {agree} digits agree, {certified} certified, "
                        f"{dps} requested", digits=agree, certification=kind, **details)


@dataclass(frozen=True)
class Source:
    """Where a claim's statement comes from.

    ``document`` is the paper or slides (with the arXiv id where there is one), ``place`` the
    section, equation number or slide title as the document names it, and ``quote`` a short
    passage copied verbatim (whitespace aside) from the document's text in ``shared/seeds/``.
    A document that is not in the seeds takes its quote from ``shared/MATH.md`` when that has
    one, or leaves it empty and says why in ``place``. ``str(source)`` is ``"document, place"``:
    the row's ``"source"`` in the JSON and the derivations.

    >>> source = Source("Xia 2024 slides (arXiv:2212.00005)", "eq. (2)", "a verbatim passage")
    >>> str(source)
    'Xia 2024 slides (arXiv:2212.00005), eq. (2)'
    """

    document: str
    place: str
    quote: str

    def __post_init__(self):
        for name in ("document", "place"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"a source's {name} must be a non-empty string, got {value!r}")
        if not isinstance(self.quote, str):
            raise ValueError(f"a source's quote must be a string (empty: say why in place), "
                             f"got {self.quote!r}")

    def __str__(self):
        return f"{self.document}, {self.place}"


@dataclass(frozen=True)
class Claim:
    """One checkable statement. ``latex`` is the statement as a LaTeX formula, when there is one."""

    id: str
    statement: str
    source: Source
    method: str
    check: Callable[[Context], Outcome]
    latex: Optional[str] = None
    topic: Optional["Topic"] = None
    target: Optional[tuple] = None

    # a notebook shows the statement as mathematics (rgproof.core.mathml sets it)
    def _repr_html_(self):
        return mathml.claim_html(self)

    def _repr_latex_(self):
        return mathml.claim_latex(self)


@dataclass(frozen=True)
class Result:
    claim: Claim
    outcome: Outcome
    seconds: float
    crashed: bool = False

    def _repr_html_(self):
        return mathml.result_html(self)

    def _repr_latex_(self):
        return mathml.result_latex(self)

    def as_dict(self):
        c, o = self.claim, self.outcome
        return {"id": c.id, "source": str(c.source), "source_quote": c.source.quote,
                "statement": c.statement, "latex": c.latex,
                "method": c.method, "verdict": o.verdict, "digits": o.digits,
                "certification": o.certification, "evidence": o.evidence, "details": o.details,
                "statistics": o.statistics, "seconds": round(self.seconds, 4),
                "crashed": self.crashed}


@dataclass(frozen=True)
class Topic:
    """One topic of the ledger: ``name`` (the claims module's), the ``title`` its derivation and
    report section carry, and the ``paper`` its claims are grouped under in the report."""

    name: str
    title: str
    paper: str

    def claim(self, id, *, statement, source, method, latex=None, target=None):
        """Register the decorated function as the check of claim ``id`` of this topic."""
        return claim(id, statement=statement, source=source, method=method, latex=latex,
                     topic=self, target=target)


_REGISTRY = {}


def claim(id, *, statement, source, method, latex=None, topic=None, target=None):
    """Register the decorated function as the check of claim ``id``.

    ``source`` is a :class:`Source` (a plain string is refused). An id is registered once: a
    second registration (even of a same-named function in another module) is an error, so two
    checks can never hide behind one id. ``target`` is
    ``(digits, reason)``: a fixed number of digits a high-precision "holds" needs instead of
    ``--dps - 10``, allowed only with a reason taken from the claim's source.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if not isinstance(source, Source):
        raise ValueError(f"source must be a Source(document, place, quote), got {source!r}")
    if target is not None and not (isinstance(target, tuple) and len(target) == 2
                                   and isinstance(target[0], int) and target[1]):
        raise ValueError(f"target must be (digits, reason from the source), got {target!r}")

    def register(check):
        if id in _REGISTRY:
            raise ValueError(f"claim id {id!r} is defined twice (first by "
                             f"{_REGISTRY[id].check.__module__}.{_REGISTRY[id].check.__qualname__})")
        _REGISTRY[id] = Claim(id, statement, source, method, check, latex, topic, target)
        return check

    return register


def unregister(claim_id):
    """Remove ``claim_id`` from the ledger (for claims registered by tests and doctests)."""
    _REGISTRY.pop(claim_id, None)


def all_claims():
    """Every registered claim, in registration order (:mod:`rgproof.claims` fixes the order)."""
    return list(_REGISTRY.values())


def get(claim_id):
    for c in all_claims():
        if c.id == claim_id:
            return c
    raise InputError("claim", "must be the id of a registered claim", claim_id)


def select(patterns=None):
    """Claims whose id matches any of the shell-style ``patterns`` (all when None).

    A pattern that matches nothing is an error, so a typo never silently selects nothing. An id
    prefix (``lgw.shift``) also selects the claims below it (``lgw.shift.even``, ...).
    """
    claims = all_claims()
    if not patterns:
        return claims
    chosen = []
    for pattern in patterns:
        # a claim split into parts keeps its id as a name for them: "lgw.shift" selects
        # "lgw.shift.even" and "lgw.shift.keeps_theta", so users' scripts keep working
        matched = [c for c in claims if fnmatch.fnmatchcase(c.id, pattern)
                   or c.id.startswith(pattern + ".")]
        if not matched:
            raise InputError("--claims", "each pattern must match at least one claim id", pattern)
        chosen.extend(c for c in matched if c not in chosen)
    return [c for c in claims if c in chosen]


def run(c, context):
    """Run one check, timing it. A check that raises becomes an inconclusive, crashed result."""
    check_dps(context.dps)
    start = time.perf_counter()
    try:
        outcome = (_over_seeds(c, context) if c.method == "stochastic"
                   else enforce_contract(c, c.check(context), context.dps))
        crashed = False
    except Exception as exc:  # a crashed check is reported, not hidden
        outcome = inconclusive(f"check raised {type(exc).__name__}: {exc}",
                               traceback=_where(exc), exception=type(exc).__name__)
        crashed = True
    return Result(c, outcome, time.perf_counter() - start, crashed)


def _over_seeds(c, context):
    """A stochastic row: its check under each of :func:`seeds`, one verdict when they agree,
    "inconclusive" when they do not; ``statistics`` reports the first seed's tests, every
    seed's verdict and p-value, the stability (fraction of seeds giving the row's verdict),
    and the row's p-value (the largest over the seeds: each of them had to be right)."""
    runs = [(seed, enforce_contract(c, c.check(replace(context, seed=seed)), context.dps))
            for seed in seeds(context)]
    first = runs[0][1]
    said = [o.verdict for _, o in runs]
    per_seed = [{"seed": seed, "verdict": o.verdict, "p_value": p_value(o),
                 "flip_bands": [t.flip_band for t in o.tests]} for seed, o in runs]
    seed_list = ", ".join(str(seed) for seed, _ in runs)
    if len(set(said)) == 1:
        verdict = first.verdict
        row_p = None if verdict == "inconclusive" else max(s["p_value"] for s in per_seed)
        evidence = f"{first.evidence} [seeds {seed_list}: {verdict} on every seed]"
    else:
        verdict, row_p = "inconclusive", None
        evidence = (f"the seeds disagree ({'; '.join(f'seed {seed}: {o.verdict}' for seed, o in runs)}"
                    f"), so the verdict is not decided; seed {runs[0][0]}: {first.evidence}")
    levels = sorted({t.level for _, o in runs for t in o.tests})
    statistics = {"level": levels[0] if len(levels) == 1 else levels,
                  "tests": [t.as_dict() for t in first.tests], "seeds": per_seed,
                  "stability": stability(said).fraction, "p_value": row_p}
    return Outcome(verdict, evidence, None, first.details, "none", first.tests, statistics)


def stochastic_summary(results, alpha=FAMILY_ALPHA):
    """The line under the verdict table on the stochastic rows of ``results``: how many are
    decisive, how many of those could be wrong by chance (expected, each read alone at its
    level), and how many stand under Holm's correction at family-wise ``alpha``. None when no
    row is stochastic."""
    rows = [r for r in results if r.claim.method == "stochastic" and not r.crashed]
    if not rows:
        return None
    decisive = [r for r in rows if r.outcome.statistics and r.outcome.statistics["p_value"]
                is not None]
    levels = sorted({t.level for r in decisive for t in r.outcome.tests})
    text = f"stochastic rows: {len(rows)}, decisive {len(decisive)}"
    if not decisive:
        return text
    expected = sum(expected_false_verdicts(1, t_level) for t_level in
                   (min(t.level for t in r.outcome.tests) for r in decisive))
    kept = holm([r.outcome.statistics["p_value"] for r in decisive], alpha)
    weak = [r.claim.id for r, k in zip(decisive, kept) if not k]
    level_text = "/".join(f"{lv:.0%}" for lv in levels)
    return (f"{text} (intervals at {level_text}): at most {expected:.2g} expected wrong by "
            f"chance, each read alone; Holm at family-wise alpha {alpha:g}: {sum(kept)} of "
            f"{len(decisive)} stand" + (f" ({', '.join(weak)} could be chance)" if weak else ""))


def _where(exc):
    """The crash's traceback, innermost frames last, as ``file:line in function`` lines."""
    frames = traceback.extract_tb(exc.__traceback__)[1:]  # the first frame is run() itself
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-8:]]


__all__ = ['Topic', 'unregister', 'VERDICTS', 'METHODS', 'CERTIFICATIONS', 'HOLDS_SLACK',
           'SEEDS', 'THOROUGH_SEEDS', 'FAMILY_ALPHA', 'seeds', 'p_value', 'stochastic_summary', 'outcome',
           'enforce_contract', 'Context', 'Outcome', 'Source', 'Claim', 'Result', 'claim', 'holds', 'fails', 'inconclusive', 'by_comparison', 'all_claims', 'get', 'select', 'run']
