"""One build at a time, and all or nothing.

`build_lock` takes an exclusive lock beside the warehouse file (released by the
operating system when the process ends, even on kill -9) and records who holds
it; a second build waits up to a bounded time, then stops with one line naming
the running build (pid, start time, command).

`warehouse_copy` lets a build write to a copy of the warehouse: on success the
copy replaces the warehouse in one atomic rename; on any failure (a dbt error,
an exception, a kill) the warehouse file is untouched, so its marts, history
and rule tables stay exactly as the last good build left them. Readers with the
old file open keep reading it until they reopen. The copy is made in a thread
while dbt starts (imports, reads its saved parse, plans the run); dbt's first
connection waits for it (`wait_for_copy`, called by the dbt-duckdb plugin in
`duckdb_plugin.py`), so only the part of the copy that outlasts dbt's start-up
adds to the build. On a file system with copy-on-write clones (XFS with reflink,
btrfs) the copy is a clone (`clone_or_copy`): no bytes are copied, whatever the
warehouse's size, and the copy and the warehouse share their blocks until the
build writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import threading
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


class _Copy:
    """The warehouse copy being made in a thread beside dbt's start-up."""

    def __init__(self, database: Path, work: Path) -> None:
        self.seconds = 0.0  # the copy's own time
        self.waited = 0.0  # the time callers spent blocked on it
        self.error: BaseException | None = None
        self.cloned = False  # a copy-on-write clone, not a byte copy
        self._thread = threading.Thread(target=self._copy, args=(database, work),
                                        name="warehouse-copy", daemon=True)
        self._thread.start()

    def _copy(self, database: Path, work: Path) -> None:
        started = time.perf_counter()
        try:
            self.cloned = _copy_files(database, work)
        except BaseException as error:  # noqa: BLE001 - raised where the copy is awaited
            self.error = error
        self.seconds = time.perf_counter() - started

    def join(self) -> None:
        self._thread.join()

    def wait(self) -> float:
        """Block until the copy is complete; the seconds waited. Raises its error."""
        started = time.perf_counter()
        self.join()
        waited = time.perf_counter() - started
        self.waited += waited
        if self.error is not None:
            raise self.error
        return waited


# Linux's FICLONE ioctl (linux/fs.h): the target file shares the source's blocks,
# copy-on-write.
_FICLONE = 0x40049409


def clone_or_copy(source: Path, target: Path) -> bool:
    """Copy source to target (replacing it): a copy-on-write clone where the file
    system makes one (XFS with reflink, btrfs), else byte for byte (ext4,
    tmpfs, another file system, another OS). True when it cloned."""
    with open(source, "rb") as original, open(target, "wb") as copy:
        try:
            fcntl.ioctl(copy.fileno(), _FICLONE, original.fileno())
            return True
        except OSError:  # no clones here (EOPNOTSUPP, EXDEV, ENOTTY, EINVAL ...)
            pass
    shutil.copyfile(source, target)
    return False


def _copy_files(database: Path, work: Path) -> bool:
    """The warehouse file and its WAL copied to work; True when both were cloned."""
    if not database.exists():
        return False
    cloned = clone_or_copy(database, work)
    if _wal(database).exists():
        cloned = clone_or_copy(_wal(database), _wal(work)) and cloned
    return cloned


_pending: _Copy | None = None


def wait_for_copy() -> float:
    """Block until the warehouse copy of the running build is complete (no-op when there
    is none); the seconds waited. Called before DuckDB opens the copy: by the dbt-duckdb
    plugin (src/lead_scoring/duckdb_plugin.py) when dbt connects, and by warehouse_copy."""
    copy = _pending
    return copy.wait() if copy is not None else 0.0


@contextmanager
def warehouse_copy(database: Path, timings: dict[str, float] | None = None
                   ) -> Iterator[Path]:
    """Yield a copy of the warehouse to build into; it replaces the warehouse only when
    the block ends without an exception. Call inside build_lock.

    The copy is made in a thread while the block goes on (dbt imports, parses and plans
    in the meantime); whatever opens the copy first calls wait_for_copy (dbt does, through
    the profile's plugin). timings, when given, receives the seconds the copy took
    ("copy"), the seconds the build waited for it ("copy_waited"), whether the copy was
    a copy-on-write clone ("cloned") and the seconds spent checkpointing and swapping
    ("swap")."""
    import duckdb

    global _pending
    timings = timings if timings is not None else {}
    # Same file name in a folder beside it: DuckDB names the catalog after the file,
    # and views keep the catalog name they were created with.
    work = database.parent / ".building" / database.name
    work.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (work, _wal(work)):  # from a build that was killed
        leftover.unlink(missing_ok=True)
    copy = _pending = _Copy(database, work)
    try:
        yield work
        copy.wait()
        started = time.perf_counter()
        if work.exists():
            with duckdb.connect(str(work)) as con:  # fold any WAL into the file
                con.execute("checkpoint")
            _wal(database).unlink(missing_ok=True)  # its changes are in the copy
            os.replace(work, database)
        timings["swap"] = time.perf_counter() - started
    finally:
        # at once after dbt's wait, or a copy still running (the build failed before
        # dbt connected) finishes before its file is removed; its error, if any, is
        # not raised here: the build's own error wins
        copy.join()
        _pending = None
        timings["copy"], timings["copy_waited"] = copy.seconds, copy.waited
        timings["cloned"] = copy.cloned
        for leftover in (work, _wal(work)):
            leftover.unlink(missing_ok=True)
