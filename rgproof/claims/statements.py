"""The checkable statements of the five sources that a reading found without a row (issue 20),
each mapped to the claim ids that decide it, to an existing id that already covers it (with
the reason), or left open with the reason. ``tests/test_statements.py`` asserts the table
against the ledger, so a row renamed or removed cannot leave a statement silently uncovered."""
from typing import NamedTuple


class Statement(NamedTuple):
    """``number`` and ``text`` as the reading lists them; ``ids`` the claims that decide it;
    ``note`` why an existing id covers it, or why it is still open (``ids`` empty)."""
    number: int
    source: str
    text: str
    ids: tuple
    note: str = ""


STATEMENTS = (
    Statement(1, "Xia slides, Lemma 1", "the annealing lemma", ("annealing_lemma.lemma1",),
              "decided on a tilted double well of known barrier depth; the depth of the "
              "networks' losses is not computed"),
    Statement(2, "Xia slides, eq. (3)", "the correspondence between g(t) and J_0",
              ("ising.anneal.g_correspondence",),
              "as values: N g at the limit against three readings of J_0; the printed J_0 "
              "itself is ising.decimation.constant_as_printed"),
    Statement(3, "Xia slides, Theorems 2-3", "independent of the network structure",
              ("ising.anneal.structure_independence", "ising.anneal.limit.theorem2",
               "ising.anneal.limit.theorem3"),
              "decided on the g-free J_nn over six structures; the theorem rows read the "
              "g-set limit"),
    Statement(4, "Xia slides, 'Forward propagation as a RG transformation'",
              "the non-canonical ansatz and its rewrite as N(0, 1/theta~_1)",
              ("expfam.ansatz_gaussian", "expfam.anneal.limit"),
              "the ansatz's limit by construction is stated in expfam.anneal.limit's evidence"),
    Statement(5, "Xia slides, Theorem 4", "Theorem 4's hypotheses on the cases rgproof meets",
              ("theorem4.fixed_points_exist", "theorem4.unique_minimum")),
    Statement(6, "Xia slides (Cui-Gong)", "the two-point RG equation for Ising",
              ("two_point_rg.decimation", "two_point_rg.block_average"),
              "decimation (the slides' coarse graining) and the block-average reading"),
    Statement(7, "Xia slides, eq. (2)", "the sum over decimated pairs runs to N/2, not N",
              ("ising.decimation.sum_as_printed",)),
    Statement(8, "Xia slides, eq. (7)", "the field-theory Hamiltonian's divergence",
              ("expfam.field_hamiltonian",)),
    Statement(9, "Gong & Xia 2026, eq. (45)",
              "correlation invariance against the scaling laws",
              ("scaling.correlation_invariance",)),
    Statement(10, "Tavora / Mehta & Schwab", "H(v) = H^RBM(v) when the RG is exact",
              ("mehta_schwab.free_energy_iff_trace", "mehta_schwab.exact_iff_kl_zero"),
              "existing rows: tr_h e^T = 1 gives F_v = F_h, i.e. H^RBM(v) = H(v) up to the "
              "constant; nothing beyond them"),
    Statement(11, "Tavora / Mehta & Schwab", "the min-lambda objective is bounded below",
              ("mehta_schwab.vrg_objective",)),
    Statement(12, "Tavora / Mehta & Schwab", "'the same structure' under 2-D block spins",
              ("mehta_schwab.same_structure",),
              "computed for the exact checkerboard decimation; majority-rule 2x2 blocks open"),
    Statement(13, "Tavora / Mehta & Schwab", "stacked RBMs 8 -> 4 -> 2 against decimation",
              ("mehta_schwab.stacked_rbms_decimate",)),
    Statement(14, "Wang slides, 'Probability Density Distillation'",
              "free-energy and KL objectives differ by ln Z", ("neuralrg.gbf_bound",),
              "existing row: L + ln Z = KL(q || pi/Z) to 52 digits"),
    Statement(15, "Wang slides, 'Probability Density Estimation'", "NLL = KL + entropy",
              ("flows.nll_is_kl",)),
    Statement(16, "Wang slides, 'Decimator only architecture'", "I(A:B) = I(a:b)",
              ("flows.mutual_information_invariant",),
              "reading: a bijection acting on a and b separately; the figure that defines a and "
              "b is lost in the text"),
    Statement(17, "Wang slides, 'Change-of-variables in a learnable way'",
              "Z = int pi(g(z)) |det dg/dz| dz", ("flows.change_of_variables",)),
    Statement(18, "Wang slides, 'Metropolized Independent Sampler'",
              "detailed balance, unbiased for imperfect proposals",
              ("flows.independent_sampler",)),
    Statement(19, "summary notes, not the authors", "each hidden layer is one RG iteration",
              ("summary_notes.layer_per_iteration",)),
    Statement(20, "summary notes, not the authors", "the final layer captures the fixed point",
              ("summary_notes.final_layer_fixed_point",)),
    Statement(21, "summary notes, not the authors",
              "training near a phase transition shows universal scaling",
              ("summary_notes.critical_scaling",)),
    Statement(22, "summary notes, not the authors", "the summary's workflow end to end",
              ("summary_notes.workflow",)),
)

__all__ = ["Statement", "STATEMENTS"]
