"""``rgproof verify`` and ``rgproof claims``.

``rgproof verify -j N`` runs the checks in N worker processes (started fresh, by a fork
server or spawned: no state of this process leaks into them) and prints the rows in the
ledger's order, each equal to the serial run's apart from its seconds. The claims of one
claims module go to one worker together: they share the module's cached experiment runs
(``claims/_shared.py``), which are then computed once, and a stochastic row keeps its seeds
(they are in the :class:`~rgproof.core.ledger.Context`). A worker that dies takes no other row
with it: its claims run again alone, then one by one, and only the claim that kills its
process is a crashed row. Each worker gets cores // N BLAS and OpenMP threads, so threads
times processes stay within the cores. The workers ignore Ctrl-C: this process answers it,
stops them and prints the one "interrupted" line.
"""
import fnmatch
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

from .. import claims
from ..core import record
from ..core.files import check_output_path, write_json
from ..core.ledger import Result, inconclusive
from ..present.progress import claim_progress
from ..present.text import format_table
from .options import cores

#: The environment variables that set a process's BLAS and OpenMP thread counts (OpenBLAS, MKL
#: and every OpenMP runtime); read once, when numpy loads its BLAS, so set before a worker starts.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _run_with_progress(selected, context, jobs=1):
    """The results of the claims ``selected``, in their order, with the progress on stderr (a
    parallel run counts the claims as they finish): in this process when ``jobs`` is 1 or the
    claims are one module's, else in ``jobs`` workers."""
    groups = _groups(selected, context)
    workers = min(jobs, len(groups))
    if workers <= 1:
        return [claims.run(c, context) for c in claim_progress(selected, sys.stderr)]
    finished = _Finished(len(selected), _run_parallel(groups, context, workers, _run_claims))
    for _ in claim_progress(finished, sys.stderr):
        pass
    by_id = {r.claim.id: r for r in finished.results}
    return [by_id[c.id] for c in selected]


def _groups(selected, context):
    """The ids of the claims ``selected``, one list per claims module (the unit of work of a
    worker: a module's claims share its cached runs), the largest first: the longest-first rule
    keeps a long group from starting last while the other workers idle. A group's size is the
    checks it runs, a stochastic claim counting once per seed (the only cost known beforehand)."""
    groups = {}
    for c in selected:
        groups.setdefault(c.check.__module__, []).append(c)
    runs = len(claims.seeds(context))
    return [[c.id for c in group] for group in sorted(
        groups.values(), key=lambda g: -sum(runs if c.method == "stochastic" else 1 for c in g))]


class _Finished:
    """The claims of a parallel run in the order their results arrive, for
    :func:`~rgproof.present.progress.claim_progress` (which counts and names them as they come);
    ``results`` keeps the results."""

    def __init__(self, total, arriving):
        self.total, self.arriving, self.results = total, arriving, []

    def __len__(self):
        return self.total

    def __iter__(self):
        for result in self.arriving:
            self.results.append(result)
            yield result.claim


def _run_claims(ids, context):
    """In a worker: ``(id, outcome, seconds, crashed)`` of each claim ``ids`` (the parent pairs
    them with its own claims: a check function need not be picklable)."""
    return [(r.claim.id, r.outcome, r.seconds, r.crashed)
            for r in (claims.run(claims.get(i), context) for i in ids)]


def _run_parallel(groups, context, workers, task):
    """The results of the claim-id lists ``groups``, run by ``task(ids, context)`` in
    ``workers`` processes, as they arrive. A group whose worker died or whose rows could not
    come back runs again alone, then claim by claim (:func:`_isolated`)."""
    failed = []
    for ids, answer in _in_processes(groups, context, workers, task):
        if isinstance(answer, Exception):
            failed.append(ids)
        else:
            yield from _results(answer)
    for ids in failed:
        yield from _isolated(ids, context, task)


def _isolated(ids, context, task):
    """The results of ``ids`` run in a process of their own, and when that fails, each claim
    in one of its own: only a claim that fails alone is a crashed row."""
    start = time.perf_counter()
    [(_, answer)] = _in_processes([ids], context, 1, task)
    if not isinstance(answer, Exception):
        return _results(answer)
    if len(ids) > 1:
        return [r for claim_id in ids for r in _isolated([claim_id], context, task)]
    evidence = (f"the worker process running this check died or could not send its result "
                f"back ({type(answer).__name__}: {answer})")
    return [Result(claims.get(ids[0]), inconclusive(evidence, exception=type(answer).__name__),
                   time.perf_counter() - start, crashed=True)]


def _results(answer):
    return [Result(claims.get(claim_id), outcome, seconds, crashed)
            for claim_id, outcome, seconds, crashed in answer]


def _in_processes(groups, context, workers, task):
    """``(ids, rows or the exception)`` of each of ``groups`` as ``task`` finishes it in a pool
    of ``workers`` worker processes; on any interruption (Ctrl-C) the workers are stopped."""
    pool = ProcessPoolExecutor(workers, mp_context=_start_method())
    try:
        with _spawning(max(1, cores() // workers)):  # every worker starts in a submit
            futures = {pool.submit(task, ids, context): ids for ids in groups}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker, rows that cannot come back
                yield futures[future], exc
    except BaseException:
        # the workers ignore SIGINT; a running check would hold shutdown() until it ends
        for process in list(pool._processes.values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def _start_method():
    """forkserver where the system has it: its server process imports rgproof once and each
    worker is forked from it ready to run, where spawn would import rgproof in every worker (a
    second or two each); spawn elsewhere. Neither copies this process's state into a worker."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


@contextmanager
def _spawning(threads):
    """Processes started in this block (the fork server, on its first use, and the workers)
    get at most ``threads`` BLAS and OpenMP threads and ignore SIGINT (an ignored signal stays
    ignored across exec and fork, so a worker is deaf to Ctrl-C from its first instruction: this
    process alone answers it). Both are restored after."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    for name, value in saved.items():
        os.environ[name] = str(min(threads, _positive(value) or threads))
    main = threading.current_thread() is threading.main_thread()
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        yield
    finally:
        if main:
            signal.signal(signal.SIGINT, handler)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _positive(text):
    """A thread count set by the user (a whole number >= 1), or None."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if value >= 1 else None


def cmd_verify(args):
    selected = claims.select(args.claims)
    context = claims.Context(dps=args.dps, thorough=args.thorough)
    table_stream = sys.stderr if args.json == "-" else sys.stdout
    if args.json not in (None, "-"):
        check_output_path("--json", args.json)
    old = None if args.compare is None else record.load_verify_json(args.compare, "--compare")
    started = time.perf_counter()
    results = _run_with_progress(selected, context, args.jobs)
    print(format_table(results, wall=time.perf_counter() - started), file=table_stream)
    summary = claims.stochastic_summary(results)
    if summary:
        print(summary, file=table_stream)
    rows = [r.as_dict() for r in results]
    if old is not None:
        _print_comparison(args.compare, old, rows, args.claims, table_stream)
    if args.json:
        write_json({"run": record.run_record(args.dps, args.claims, claims.seeds(context),
                                             "thorough" if args.thorough else "default"),
                    "rows": rows}, args.json, indent=2)
    crashed = [r.claim.id for r in results if r.crashed]
    if crashed:
        print(f"rgproof: checks crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    if args.strict and any(r.outcome.verdict == "inconclusive" for r in results):
        print("rgproof: --strict: some verdicts are inconclusive", file=sys.stderr)
        return 1
    return 0


def _print_comparison(path, old, rows, patterns, stream):
    """The rows of this run whose verdict, digits or certification differ from the file
    ``path`` (``--compare``), the ids only one of them has, and a count line. Rows of the file
    whose ids match none of this run's ``--claims`` ``patterns`` are not compared (they were not
    asked for); a matching id that is no claim any more is "gone"."""
    run, old_rows = old
    compared = [r for r in old_rows
                if not patterns or any(fnmatch.fnmatchcase(r["id"], p) for p in patterns)]
    lines, changed, added, gone = record.compare_rows(compared, rows)
    what = ""
    if run:
        commit = run.get("commit")
        dirty = " with uncommitted changes" if run.get("commit_dirty") else ""
        what = (f" (rgproof {run.get('version')}"
                + (f", commit {str(commit)[:12]}{dirty}" if commit else "")
                + f", --dps {run.get('dps')}, {run.get('date')})")
    print(f"\ncompared with {path}{what}:", file=stream)
    for line in lines:
        print(line, file=stream)
    skipped = len(old_rows) - len(compared)
    print(f"{changed} changed, {added} new, {gone} gone"
          + (f" ({skipped} row{'' if skipped == 1 else 's'} of {path} outside --claims not "
             "compared)" if skipped else ""),
          file=stream)


def cmd_claims(args):
    for c in claims.select(args.claims):
        print(f"{c.id:<40} {c.method:<15} {c.source}")
    return 0
