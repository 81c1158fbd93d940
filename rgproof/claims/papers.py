"""The sources the claims come from, as the report groups them (one string each)."""

GONG_XIA_ISING = "Gong & Xia: annealed networks and 1-D Ising decimation (arXiv:2212.00005)"
GONG_XIA_EXPFAM = "Gong & Xia 2026: the exponential-family paper (arXiv:2606.00157)"
MEHTA_SCHWAB = "Mehta & Schwab: RBM and variational RG"
LI_WANG = "Li & Wang: neural-network renormalization group (PRL 121, 260601)"
KAUFMAN = "2-D Ising model: Kaufman's exact partition function"
