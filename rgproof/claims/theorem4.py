"""Claims: Theorem 4's hypotheses (Xia's slides) on the radial data and the networks rgproof uses."""
import dataclasses

import sympy

from ..core.ledger import Source, Topic, fails, holds, inconclusive
from ..experiments.expfam import ExpFamAnneal
from ..experiments.network import Architecture
from ..topics.scaling import EXAMPLE_WAVE_FACTORS, forced_scale_ratios, theta_symbols
from ..topics.theorem4 import (
    ACTIVATIONS,
    affine_rank,
    data_term,
    fixed_point_table,
    fixed_points_exist_nonnegative,
    hidden_symmetries,
    loss,
    satisfy_partition_condition,
    squared_distance,
    strictly_increasing,
    teacher,
)
from .papers import GONG_XIA_EXPFAM, XIA_SLIDES

TOPIC = Topic("theorem4",
              title="Theorem 4's hypotheses on the cases rgproof meets: fixed points and a unique "
                    "minimum of the loss",
              paper=GONG_XIA_EXPFAM)

#: Whether "the RG method based on scaling transformation" carries its condition Z_lambda = Z
#: (the slides' RGE page: "lambda -> oo, condition: Z_lambda = Z").
WITH_PARTITION_CONDITION = True


@TOPIC.claim("theorem4.fixed_points_exist",
              statement="Assuming characteristic parameters theta_r > 0, r = 1, ..., R have fixed "
                        "points theta_r* >= 0 under the RG method based on scaling transformation "
                        "(checked on the radial data sum_r theta_r |x|^(2r))",
              source=Source(XIA_SLIDES, "Theorem 4 (Gong, X., 2024+); also Gong & Xia 2026, "
                                        "Theorem 3.1 ('yields fixed points for the system "
                                        "parameters')",
                            r"have fixed points $\theta_r^* \ge 0, r = 1, 2, \cdots, R$ under the "
                            r"RG method based on scaling transformation"),
              method="symbolic",
              latex=r"\theta_r > 0 \implies \theta_r^* = \theta_r \lim_{\lambda\to\infty} "
                    r"\big(Z(\lambda)\lambda^{-2}\big)^r \text{ exists and } \geq 0")
def _check_fixed_points_exist(ctx):
    R = 2
    table = fixed_point_table(EXAMPLE_WAVE_FACTORS, R=R)
    admitted = (satisfy_partition_condition(EXAMPLE_WAVE_FACTORS) if WITH_PARTITION_CONDITION
                else EXAMPLE_WAVE_FACTORS)
    status = {Z: fixed_points_exist_nonnegative(table[Z]) for Z in EXAMPLE_WAVE_FACTORS}
    rows = "; ".join(f"Z = {Z}: theta* = {tuple(map(str, table[Z]))}" for Z in EXAMPLE_WAVE_FACTORS)
    details = dict(fixed_points={str(Z): [str(v) for v in table[Z]] for Z in table},
                   admitted=[str(Z) for Z in admitted])
    # Under the condition every admitted Z has lim Z/lambda^2 = kappa in forced_scale_ratios().
    forced = [tuple(t * k**r for r, t in enumerate(theta_symbols(R), 1))
              for k in forced_scale_ratios()]
    condition = (f"Z_lambda = Z forces lim Z/lambda^2 = kappa in {forced_scale_ratios()}, so "
                 f"theta* = {[tuple(map(str, f)) for f in forced]} for every admitted Z"
                 if WITH_PARTITION_CONDITION else "without the condition Z_lambda = Z, Z(lambda) "
                                                  "is any positive function")
    data_theta = next(f.default for f in dataclasses.fields(ExpFamAnneal) if f.name == "theta")
    data_star = [tuple(str(v.subs(dict(zip(theta_symbols(R), map(sympy.nsimplify, data_theta)))))
                       for v in f) for f in forced]
    missing = [Z for Z in admitted if status[Z] != (True, True)]
    if not admitted:
        return inconclusive(f"no example Z(lambda) meets the condition ({rows})", **details)
    if missing:
        Z = missing[0]
        why = "is not finite" if status[Z][0] is not True else "is not shown >= 0"
        return fails(f"{condition}; for Z = {Z} the fixed point {tuple(map(str, table[Z]))} "
                     f"{why}: the hypothesis is then a choice of Z(lambda), met by some and not "
                     f"others ({rows})", counterexample=str(Z), **details)
    return holds(f"theta_r* = theta_r kappa*^r with kappa* = lim Z/lambda^2 >= 0 (Z > 0), so "
                 f"theta* >= 0 wherever it exists; {condition}: finite and >= 0 for every theta "
                 f"> 0; the exponential-family experiment's theta = {data_theta} gets theta* = "
                 f"{data_star} ({rows})", **details)


#: The penalty coefficient lambda of the slides' loss, positive as a hyper-parameter ("This term
#: must be introduced since we consider the simulated annealing algorithm").
PENALTY = sympy.Symbol("lambda", positive=True)
#: Fully connected layouts of rgproof's network engine (N = 2 inputs, one output) with the
#: engine's activations: one hidden layer under tanh and sigmoid, two hidden layers under tanh.
NETWORKS = ((Architecture(2, 1, (2,)), "tanh"), (Architecture(2, 1, (2,)), "sigmoid"),
            (Architecture(2, 1, (2, 2)), "tanh"))


def _symmetry_rows():
    rows, no_hidden = [], []
    for architecture, name in NETWORKS:
        f, star = ACTIVATIONS[name], teacher(architecture.layer_shapes)
        layout = (f"{name} network N = {architecture.inputs}, hidden {architecture.hidden}, "
                  f"M = {architecture.outputs}")
        if loss(star, star, f, PENALTY) != 0:
            raise ArithmeticError(f"L(W*) != 0 for {layout}")
        images = hidden_symmetries(star, f)
        if not images:
            no_hidden.append((layout, affine_rank(architecture.inputs) == architecture.inputs + 1
                              and strictly_increasing(f)))
        for description, image in images:
            data, distance = data_term(image, star, f), squared_distance(image, star)
            rows.append((layout, description, data, distance,
                         sympy.factor(data + PENALTY * distance)))
    return rows, no_hidden


@TOPIC.claim("theorem4.unique_minimum",
              statement="Lemma 1 (through which Theorem 4 chooses eta(t)): L(W) = 1/2 ||F(W) - "
                        "F(W*)||^2 + lambda ||W - W*||^2 of the fully connected network 'has "
                        "unique global minimum point W = W* and L(W*) = 0'",
              source=Source(XIA_SLIDES, "'Training process' and Lemma 1; also Gong & Xia 2026, "
                                        "Theorem 3.1 ('For this loss function, the unique global "
                                        "optimal point of the parameters is W*'; Lemma 2.1 omits "
                                        "the hypothesis)",
                            r"$L(\mathbf{W})$ has unique global minimum point "
                            r"$\mathbf{W} = \mathbf{W}^*$ and $L(\mathbf{W}^*) = 0$"),
              method="symbolic",
              latex=r"L(W) = \tfrac12\|F(W) - F(W^*)\|_2^2 + \lambda\|W - W^*\|_2^2:\ "
                    r"\operatorname{argmin} L = \{W^*\},\ L(W^*) = 0")
def _check_unique_minimum(ctx):
    rows, no_hidden = _symmetry_rows()
    table = "; ".join(f"{layout}, {what}: data term {data}, ||W - W*||^2 = {distance}, "
                      f"L = {value}" for layout, what, data, distance, value in rows)
    details = dict(images=[[layout, what, str(data), str(distance), str(value)]
                           for layout, what, data, distance, value in rows],
                   without_hidden_layers=no_hidden, penalty=str(PENALTY))
    second = [row for row in rows if row[4] == 0]
    if second:
        layout, what = second[0][:2]
        return fails(f"L(W*) = 0 and W' = ({what}) of W* is another global minimiser of the "
                     f"{layout}: L(W') = 0 with W' != W* ({table})", **details)
    if sympy.sympify(PENALTY).is_positive and all(row[2] == 0 for row in rows):
        return holds(f"L(W) - lambda ||W - W*||^2 is a sum of squares, so L(W) >= lambda ||W - "
                     f"W*||^2 > 0 for W != W* and L(W*) = 0: W* is the unique minimiser for "
                     f"every lambda > 0. Only the penalty singles it out: the hidden-unit "
                     f"permutations and reflections of W* fit the data exactly ({table}), so the "
                     f"unregularised loss (the paper's eq. (2), whose W* is 'one of the optimal "
                     f"values') has them as further minimisers", **details)
    if no_hidden and not rows and all(unique for _, unique in no_hidden):
        return holds(f"without hidden layers: the rows (x, 1) of the hypercube have rank N + 1 "
                     f"and f is strictly increasing, so F(W) = F(W*) on the data forces W = W* "
                     f"({no_hidden})", **details)
    return inconclusive(f"uniqueness neither refuted nor proved ({table}; {no_hidden})", **details)


__all__ = ["WITH_PARTITION_CONDITION", "PENALTY", "NETWORKS"]
