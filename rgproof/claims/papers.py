"""The sources the claims come from, as the report groups them (one string each), and the
documents a claim's :class:`~rgproof.core.ledger.Source` cites."""

GONG_XIA_ISING = "Gong & Xia: annealed networks and 1-D Ising decimation (arXiv:2212.00005)"
GONG_XIA_EXPFAM = "Gong & Xia 2026: the exponential-family paper (arXiv:2606.00157)"
MEHTA_SCHWAB = "Mehta & Schwab: RBM and variational RG"
LI_WANG = "Li & Wang: neural-network renormalization group (PRL 121, 260601)"
KAUFMAN = "2-D Ising model: Kaufman's exact partition function"
#: Not a paper: a third party's notes on Gong & Xia (shared/seeds/rg-dnn-skill-summary.txt). Its
#: rows are grouped apart so the report never attributes them to the authors.
SUMMARY_NOTES = "Summary notes on Gong & Xia (rg-dnn-skill-summary), not the authors"

#: The documents (``Source.document``), with the arXiv id where the seed texts give one. The
#: texts are in ``shared/seeds/`` (Kaufman's paper is not among them).
XIA_SLIDES = "Xia 2024 slides (arXiv:2212.00005)"
GONG_XIA_2026 = "Gong & Xia 2026 (arXiv:2606.00157)"
TAVORA_ARTICLE = ("Tavora, 'Deep Learning Explainability: Hints from Physics' "
                  "(on Mehta & Schwab 2014, arXiv:1410.3831)")
WANG_SLIDES = ("Wang, 'Neural Network Renormalization Group' slides "
               "(Li & Wang, PRL 121, 260601 (2018))")
KAUFMAN_1949 = "Kaufman, Phys. Rev. 76, 1232 (1949)"
SUMMARY_DOCUMENT = "rg-dnn-skill-summary (summary notes, not the authors)"
