"""One build at a time, and all or nothing.

`build_lock` takes an exclusive lock beside the warehouse file (released by the
operating system when the process ends, even on kill -9) and records who holds
it; a second build waits up to a bounded time, then stops with one line naming
the running build (pid, start time, command).

`warehouse_copy` lets a build write to a copy of the warehouse: on success the
copy replaces the warehouse in one atomic rename; on any failure (a dbt error,
an exception, a kill) the warehouse file is untouched, so its marts, history
and rule tables stay exactly as the last good build left them. Readers with the
old file open keep reading it until they reopen.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build holds the warehouse; the message names it."""


def lock_path(database: Path) -> Path:
    return database.with_name(f"{database.name}.lock")


def _holder(path: Path) -> str:
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return f"another build holds {path}"
    return (f"another build is running: pid {holder.get('pid')}, started "
            f"{holder.get('started_at')} ({holder.get('command')})")


@contextmanager
def build_lock(database: Path, wait_seconds: float = 0.0, poll_seconds: float = 1.0
               ) -> Iterator[None]:
    """Hold the warehouse's build lock; BuildLocked when it stays taken for wait_seconds."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole build
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(_holder(path)) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({
            "pid": os.getpid(),
            "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "command": " ".join(["lead-scoring", *sys.argv[1:]])[:200],
        }))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _wal(path: Path) -> Path:
    return path.with_name(f"{path.name}.wal")


@contextmanager
def warehouse_copy(database: Path, timings: dict[str, float] | None = None
                   ) -> Iterator[Path]:
    """Yield a copy of the warehouse to build into; it replaces the warehouse only when
    the block ends without an exception. Call inside build_lock. timings, when given,
    receives the seconds spent copying ("copy") and checkpointing and swapping ("swap")."""
    import duckdb

    timings = timings if timings is not None else {}
    started = time.perf_counter()

    # Same file name in a folder beside it: DuckDB names the catalog after the file,
    # and views keep the catalog name they were created with.
    work = database.parent / ".building" / database.name
    work.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (work, _wal(work)):  # from a build that was killed
        leftover.unlink(missing_ok=True)
    if database.exists():
        shutil.copyfile(database, work)
        if _wal(database).exists():
            shutil.copyfile(_wal(database), _wal(work))
    timings["copy"] = time.perf_counter() - started
    try:
        yield work
        started = time.perf_counter()
        if work.exists():
            with duckdb.connect(str(work)) as con:  # fold any WAL into the file
                con.execute("checkpoint")
            _wal(database).unlink(missing_ok=True)  # its changes are in the copy
            os.replace(work, database)
        timings["swap"] = time.perf_counter() - started
    finally:
        for leftover in (work, _wal(work)):
            leftover.unlink(missing_ok=True)
