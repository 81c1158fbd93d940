"""The conftest safety net really fails a test that leaks a change of global precision."""
import importlib.util
from pathlib import Path

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")


def test_precision_fixture_reports_a_leaked_mp_dps(pytester):
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(test_leak="""
        import mpmath

        def test_leaks_precision():
            mpmath.mp.dps = 30  # never restored
        """)
    args = ["-p", "no:cacheprovider"]
    if importlib.util.find_spec("pytest_randomly") is not None:
        args += ["-p", "no:randomly"]
    result = pytester.runpytest_subprocess(*args)
    # the test body passes; the autouse fixture's teardown assert is reported as an error
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*precision changed by the test*"])
