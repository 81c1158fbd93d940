r"""Laplace transforms of Boltzmann factors: generating functions, correlations and zeros.

For the LGW Hamiltonian :math:`H(x) = \sum_r \theta_r |x|^{2r}` on :math:`\mathbb{R}^N` the
generating function (the two-sided multivariate Laplace transform of the Boltzmann factor)

.. math:: Z[s] = \int_{\mathbb{R}^N} e^{s\cdot x - H(x)}\,dx
          = |S^{N-1}| \int_0^\infty r^{N-1} e^{-H(r)}\,
            {}_0F_1\!\left(;\tfrac{N}{2};\tfrac{w r^2}{4}\right) dr,
   \qquad w = s\cdot s = \textstyle\sum_i s_i^2,

depends on ``s`` only through ``w = s . s`` (the holomorphic invariant: for complex ``s`` this is
not ``|s|^2``). The radial integral is a trapezoid rule (on the whole line when the integrand is
even in r, else after a double-exponential substitution) whose step is planned from a bound on
the integrand off the real axis, so any N is cheap and a new precision needs no node tables.
Every number is computed at two working precisions and carries the digits on which they agree;
when cancellation eats digits (``s`` imaginary) the working precision is raised until the
requested digits are certified.

>>> import mpmath
>>> print(generating_function([1], 1, 0, dps=20))            # sqrt(pi)
1.7724538509055160273
>>> z = generating_function([1], 64, [1] * 64, dps=30)
>>> print(z)
72029041676366581329817.130582
>>> print(gaussian_generating_function(1, 64, [1] * 64, dps=30))   # pi^32 e^16
72029041676366581329817.130582

Moments and connected correlations (cumulants) of the one-dimensional marginal ``x_1`` (by
rotation invariance, of ``e . x`` for every unit vector ``e``) come from the power series of
``Z[t e]`` and of ``log Z[t e]``:

>>> [str(m) for m in moments([mpmath.mpf(1) / 2], 1, 6, dps=15)]  # standard normal
['1.0', '0.0', '1.0', '0.0', '3.0', '0.0', '15.0']

For ``R >= 2`` the transform has zeros on the imaginary axis ``s = i b e`` (``Z[i b e]`` is real
there), found by certified sign changes:

>>> scan = imaginary_zeros([1, 1], 1, count=1, dps=15)
>>> print(scan.zeros[0])
4.60087690687879


The package splits the topic by step: input rules (:mod:`.rules`), radial integrals
(:mod:`.radial`), Z[s] (:mod:`.transform`), moments and cumulants (:mod:`.correlations`), zeros
(:mod:`.zeros`) and the independent direct quadrature (:mod:`.direct`); this module is its
public face.
"""
from ...core.validate import check_real_exact, check_theta
from .rules import check_dimension, check_source, WORKING_MARGIN, MAX_EXTRA_DIGITS
from .radial import sphere_area, RadialPlan, radial_plan, radial_integral, TrapezoidRule, trapezoid_rule
from .transform import quarter_gamma, generating_function, gaussian_generating_function, quartic_partition_function, quartic_log_partition
from ...core.series import log_series, exp_series
from .correlations import squared_radius_moments, moments, cumulants, moments_by_contour
from .zeros import ImaginaryZeros, imaginary_zeros, cumulant_radius, SCAN_DIGITS
from .direct import radial_hamiltonian, direct_generating_function

__all__ = ['check_real_exact', 'check_theta', 'check_dimension', 'check_source', 'WORKING_MARGIN', 'MAX_EXTRA_DIGITS', 'sphere_area', 'RadialPlan', 'radial_plan', 'radial_integral', 'TrapezoidRule', 'trapezoid_rule', 'quarter_gamma', 'generating_function', 'gaussian_generating_function', 'quartic_partition_function', 'quartic_log_partition', 'log_series', 'exp_series', 'squared_radius_moments', 'moments', 'cumulants', 'moments_by_contour', 'ImaginaryZeros', 'imaginary_zeros', 'cumulant_radius', 'SCAN_DIGITS', 'radial_hamiltonian', 'direct_generating_function']
