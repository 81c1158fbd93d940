"""Short text for people, shared by every layer: numbers in table cells, one-line evidence."""


def significant(value, digits=4, none="-"):
    """``value`` to ``digits`` significant digits (format ``g``, whatever its type), None as
    ``none``.

    >>> significant(3.14159), significant(2.0, 3), significant(12345)
    ('3.142', '2', '1.234e+04')
    >>> significant(None), significant(None, none="none")
    ('-', 'none')
    """
    return none if value is None else f"{value:.{digits}g}"


def short(value):
    """A number to 4 significant digits, None as '-', anything else as ``str``.

    >>> short(3.14159), short(None), short(7)
    ('3.142', '-', '7')
    """
    return significant(value) if value is None or isinstance(value, float) else str(value)


def short_cell(value):
    """A table cell: :func:`short`, with lists (hidden widths, theta) comma-separated.

    >>> short_cell([1.0, [2, 3]]), short_cell([])
    ('1,2,3', '()')
    """
    if isinstance(value, list):
        return ",".join(map(short_cell, value)) or "()"
    return short(value)


def shorten(text, width):
    """``text`` on one line, cut to ``width`` characters with '...' where it was cut.

    >>> shorten("a  b\\nc" + "d" * 20, 10)
    'a b cdd...'
    """
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."
