"""The one error type of bad input: it names the parameter the user typed and the rule it broke.

The rules themselves live in :mod:`rgproof.core.validate`.

>>> raise InputError("--dps", "must be at most 100000", 10**6)
Traceback (most recent call last):
    ...
rgproof.core.errors.InputError: --dps: must be at most 100000 (got 1000000)
"""


class InputError(ValueError):
    """A user-supplied value broke a documented rule.

    ``parameter`` names the argument, ``rule`` states what it must satisfy.
    """

    def __init__(self, parameter, rule, value=None):
        self.parameter = parameter
        self.rule = rule
        self.value = value
        got = "" if value is None else f" (got {value!r})"
        super().__init__(f"{parameter}: {rule}{got}")


__all__ = ['InputError']
