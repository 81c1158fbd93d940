"""The results file of a sweep: an append-only JSON Lines log, held by one sweep at a time.

:func:`read_results` reads it (a torn last line is tolerated, any other damaged line refused
with its number), :class:`ResultsLock` keeps a second sweep off it, and :class:`ResultsFile`
appends each finished point as one fsynced line, with the :func:`sweep_run_record` of the sweep
that ran it.
"""
import json
import os
import socket
from pathlib import Path

from ..core.errors import InputError
from ..core.files import fsync_folder, write_all
from ..core.record import run_record


def read_results(path):
    """``({key: latest record}, torn)`` of a results file (missing: empty).

    ``torn`` is the length in bytes of a last line cut short by a kill (0: none): it is
    skipped, and its point runs again. Every other line must be a whole record: a damaged one
    is refused with its line number (a sweep appends whole lines only; the file was edited or
    the disk damaged it), since skipping it would silently run and append its point again.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return {}, 0
    *lines, tail = data.split(b"\n")  # a whole file ends with a newline: tail is b""
    records = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record = _parse_record(line)
        if record is None:
            raise InputError("--out", f"line {number} of {path} is not a whole results record "
                                      "(only a last line cut short by a kill is skipped): "
                                      f"repair or delete line {number}")
        records[record["key"]] = record
    if not tail:
        return records, 0
    record = _parse_record(tail)
    if record is None:
        return records, len(tail)
    records[record["key"]] = record  # whole but for its newline
    return records, 0


def _parse_record(line):
    """The record of one line of a results file, or None when the line is not a whole one."""
    try:
        record = json.loads(line)
    except ValueError:  # not JSON, or not UTF-8
        return None
    return record if isinstance(record, dict) and isinstance(record.get("key"), str) else None


class ResultsLock:
    """One sweep at a time on a results file: an exclusive, non-blocking ``flock`` on
    ``PATH.lock`` beside it, a file that names the holder (its pid and host). Two sweeps on one
    file would both run, and both append, every missing point: the second is refused at once.
    The kernel releases the lock of a killed sweep; a sweep that ends removes the file."""

    def __init__(self, results_path):
        self.results_path = results_path
        self.path = Path(f"{results_path}.lock")
        self.handle = None

    def acquire(self):
        import fcntl  # POSIX only: imported by the sweep, not by every rgproof command

        while True:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(handle, 200, 0).decode(errors="replace").strip()
                os.close(handle)
                raise InputError("--out", f"is in use by another sweep ({holder or 'starting'}; "
                                          f"lock {self.path}): wait for it to end, or give "
                                          "another --out", str(self.results_path)) from None
            if self._still_at_path(handle):
                break
            os.close(handle)  # the holder removed the file as we opened it: lock the new one
        os.ftruncate(handle, 0)
        write_all(handle, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self.handle = handle

    def _still_at_path(self, handle):
        try:
            here = os.stat(self.path)
        except FileNotFoundError:
            return False
        opened = os.fstat(handle)
        return (here.st_dev, here.st_ino) == (opened.st_dev, opened.st_ino)

    def release(self):
        os.remove(self.path)  # while still locked: a sweep that opened it retries on a new file
        os.close(self.handle)
        self.handle = None


class ResultsFile:
    """The results file of a sweep: an append-only JSON Lines log, held by one sweep at a time.

    Entering takes the :class:`ResultsLock`, reads what earlier runs wrote (``records`` and
    ``torn``, as :func:`read_results` gives them) and cuts a torn last line off, so the next
    record starts a line of its own. :meth:`append` writes each record as one line and fsyncs
    it before the next point: an interrupted sweep loses no finished point. A missing file is
    created by the first record: a sweep that fails before any point finishes writes nothing.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.lock = ResultsLock(self.path)
        self.handle = None
        self.records, self.torn = {}, 0

    def __enter__(self):
        self.lock.acquire()
        try:
            self.records, self.torn = read_results(self.path)
            if self.path.exists():
                self._open()
                size = os.fstat(self.handle).st_size
                if self.torn:
                    os.ftruncate(self.handle, size - self.torn)
                elif size and os.pread(self.handle, 1, size - 1) != b"\n":
                    write_all(self.handle, b"\n")  # a whole last record lacking its newline
                os.fsync(self.handle)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _open(self):
        existed = self.path.exists()
        self.handle = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        if not existed:
            fsync_folder(self.path.absolute().parent)

    def append(self, record):
        if self.handle is None:
            self._open()
        write_all(self.handle, json.dumps(record, allow_nan=False).encode() + b"\n")
        os.fsync(self.handle)

    def __exit__(self, *exc):
        if self.handle is not None:
            os.close(self.handle)
            self.handle = None
        self.lock.release()


#: The keys of :func:`rgproof.core.record.run_record` that describe a verify run, not a sweep.
VERIFY_ONLY_KEYS = ("dps", "claims", "tier", "seeds", "seeds_reason")


def sweep_run_record(seeds):
    """What computed the points that one sweep appends, stored in each of its records as
    ``run``: rgproof's version and commit, the library versions, the date and machine
    (:func:`rgproof.core.record.run_record`) and the ``seeds`` of the spec's points (every
    random draw of a point comes from its seed, so these and the versions fix its numbers).

    >>> record = sweep_run_record([0, 1])
    >>> record["seeds"], "numpy" in record, "dps" in record
    ([0, 1], True, False)
    """
    record = {k: v for k, v in run_record(None, None).items() if k not in VERIFY_ONLY_KEYS}
    return {**record, "seeds": list(seeds)}


__all__ = ['read_results', 'ResultsLock', 'ResultsFile', 'sweep_run_record']
