"""Power series: logarithm and exponential of a series, at any precision; a polynomial's value;
weighted power sums."""
import math

import mpmath
import numpy
from mpmath.libmp import MPZ

from .errors import InputError

from .precision import series_function


def power_sum(coefficients, x):
    """``sum_{r=1}^R c_r x^r`` (no constant term) by Horner's rule, for ``coefficients``
    ``(c_1, ..., c_R)``: ``acc = (acc + c_r) * x`` from ``r = R`` down, starting at ``acc = 0``.

    Context-free: any numbers that add and multiply (floats, numpy arrays, mpmath mpf or mpc at
    the current precision), always in this order of operations, so that every caller gets the
    same bits. The radial Hamiltonian ``H(u) = sum_r theta_r u^r``, ``u = |x|^2``, of the
    exponential family, the Laplace layer and the Post-Widder Boltzmann factor is this sum.

    >>> power_sum((1, 2), 3)            # 1*3 + 2*9
    21
    >>> power_sum((0.5, 0.25), mpmath.mpf(2))
    mpf('2.0')
    """
    acc = 0
    for c in reversed(coefficients):
        acc = (acc + c) * x
    return acc


def _fixed_point(parts, bits):
    """``floor(m 2^(e + bits))`` for an exact dyadic ``(m, e)``, as mpmath's integer type."""
    man, exp = parts
    shift = exp + bits
    return MPZ(man) << shift if shift >= 0 else MPZ(man) >> -shift


def _log2(parts):
    """``log2(m 2^e)`` for a positive dyadic ``(m, e)`` from m's leading 53 bits (any size)."""
    man, exp = parts
    dropped = max(0, int(man).bit_length() - 53)
    return exp + dropped + math.log2(int(man) >> dropped)


def weighted_power_sums(weights, bases, count):
    """``sum_j weights[j] * bases[j]**k`` for k = 1..count, as mpf at the working precision.

    ``weights`` (> 0) and ``bases`` (in (0, 1]) are exact dyadic numbers ``(m, e)``, value
    ``m 2^e`` (:func:`~rgproof.core.precision.binary_parts` of an mpf). One pass over the nodes
    serves every k. The arithmetic is fixed point on mpmath's integers (GMP's under gmpy2) with
    enough fraction bits for the largest weight relative to the sums (which are at least the
    weight of the largest base, about 1 for the Post-Widder nodes): count * len(bases) mpf
    multiplications would cost ten times as much. Each product is truncated, so a sum is low by
    at most ``len(bases)`` units of its last fraction bit per power.

    >>> [mpmath.nstr(s, 5) for s in weighted_power_sums([(3, 0), (1, 0)], [(1, 0), (1, -1)], 3)]
    ['3.5', '3.25', '3.125']
    """
    nodes = sorted(zip(map(_log2, bases), bases, weights), reverse=True)  # largest base first:
    # the powers underflow from the end
    unit = math.floor(_log2(nodes[0][2]))  # the sums are at least the weight at the largest base
    bits = (mpmath.mp.prec + 2 * count.bit_length() + len(nodes).bit_length() + 32
            + max(0, math.ceil(max(map(_log2, weights))) - unit))
    # object arrays: numpy's in-place loops call GMP's operators without Python's per-element
    # overhead (1.7 times as fast as a list comprehension)
    fixed = numpy.array([_fixed_point(w, bits - unit) for _, _, w in nodes], dtype=object)
    powers = numpy.array([_fixed_point(b, bits) for _, b, _ in nodes], dtype=object)
    live, sums = len(nodes), []  # fixed[live:] has underflowed: contributes nothing more
    for _ in range(count):
        window = fixed[:live]
        numpy.multiply(window, powers[:live], out=window)  # w b^k in units of 2^(unit - bits)
        numpy.right_shift(window, bits, out=window)
        sums.append(mpmath.mpf((MPZ(window.sum()), unit - bits)))
        while live and not fixed[live - 1]:
            live -= 1
    return sums


def log_series(coefficients):
    """Coefficients of ``log A(t)`` from those of ``A(t)``, whose constant ``A(0) = a_0`` must be
    real and > 0; the constant term is ``log a_0`` (0 when ``a_0 = 1``).

    ``log A = log a_0 + log(A / a_0)``, and for ``A(0) = 1``
    ``b_n = a_n - (1/n) sum_{k<n} k b_k a_{n-k}`` (from ``A' = A (log A)'``); with python-flint
    installed, by its series logarithm instead (:func:`~rgproof.core.precision.series_function`).

    >>> [mpmath.nstr(b, 5) for b in log_series([1, 2, 1, 0])]   # log (1 + t)^2
    ['0.0', '2.0', '-1.0', '0.66667']
    >>> [mpmath.nstr(b, 5) for b in log_series([2, 1, 0])]      # log (2 + t)
    ['0.69315', '0.5', '-0.125']
    >>> log_series([0, 1])
    Traceback (most recent call last):
        ...
    rgproof.core.errors.InputError: coefficients[0]: A(0) must be a real number > 0 for log A to be a power series (got mpf('0.0'))
    """
    a = [mpmath.mpmathify(x) for x in coefficients]
    if not a or not isinstance(a[0], mpmath.mpf) or not a[0] > 0:
        raise InputError("coefficients[0]", "A(0) must be a real number > 0 for log A to be a "
                                            "power series", a[0] if a else None)
    constant = mpmath.log(a[0]) if a[0] != 1 else mpmath.mpf(0)
    if a[0] != 1:
        a = [x / a[0] for x in a]
    fast = series_function("log", a)
    if fast is not None:
        return [constant] + fast[1:]
    b, kb = [mpmath.mpf(0)] * len(a), [mpmath.mpf(0)] * len(a)  # kb[k] = k b_k
    b[0] = constant
    for n in range(1, len(a)):
        b[n] = a[n] - mpmath.fdot(kb[1:n], a[n - 1:0:-1]) / n
        kb[n] = n * b[n]
    return b


def exp_series(coefficients):
    """Coefficients of ``exp(B(t))`` from those of ``B(t)`` (the constant ``b_0`` is ignored).

    ``a_0 = 1``, ``a_n = (1/n) sum_{k=1..n} k b_k a_{n-k}`` (from ``A' = B' A``); the inverse of
    :func:`log_series`. With python-flint installed, by its series exponential instead.

    >>> [mpmath.nstr(a, 5) for a in exp_series([0, 1, 0, 0])]
    ['1.0', '1.0', '0.5', '0.16667']
    """
    fast = series_function("exp", [0] + list(coefficients)[1:])
    if fast is not None:
        return fast
    b = [mpmath.mpmathify(x) for x in coefficients]
    kb = [k * b[k] for k in range(len(b))]
    a = [mpmath.mpf(1)]
    for n in range(1, len(b)):
        a.append(mpmath.fdot(kb[1:n + 1], reversed(a)) / n)
    return a


__all__ = ['power_sum', 'weighted_power_sums', 'log_series', 'exp_series']
