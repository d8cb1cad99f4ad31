"""The copies a build and a publish make (the warehouse to build into, the last
BI file to sync) are copy-on-write clones on a file system that makes them, and
byte copies elsewhere; all or nothing holds either way."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess

import duckdb
import pytest

from lead_scoring import publish as publishing
from lead_scoring import transaction
from lead_scoring.cli import main
from lead_scoring.dbt_runner import query

from .conftest import FIXTURES, SCORE_DATE, copy_of


@pytest.fixture(scope="module")
def clone_capable(tmp_path_factory):
    """A folder on a file system that makes clones: a 1 GiB XFS image (reflink on)
    mounted on a loop device. Needs root and mkfs.xfs (`make system-deps` installs
    xfsprogs when run as root)."""
    if os.geteuid() != 0 or not shutil.which("mkfs.xfs"):
        pytest.skip("mounting an XFS image needs root and mkfs.xfs (xfsprogs)")
    folder = tmp_path_factory.mktemp("xfs")
    image, mounted = folder / "xfs.img", folder / "mounted"
    mounted.mkdir()
    with image.open("wb") as file:
        file.truncate(1 << 30)  # sparse: takes no disk until written
    subprocess.run(["mkfs.xfs", "-q", "-m", "reflink=1", str(image)], check=True)
    result = subprocess.run(["mount", "-o", "loop", str(image), str(mounted)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"no loop device to mount an XFS image: {result.stderr.strip()}")
    yield mounted
    if subprocess.run(["umount", str(mounted)]).returncode != 0:
        subprocess.run(["umount", "--lazy", str(mounted)], check=True)


def _table_state(database) -> list[tuple]:
    return query(database, "select count(*), min(i), max(i) from t")


def test_without_clones_a_file_is_copied_byte_for_byte(tmp_path, monkeypatch):
    def no_clones(*_):
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(transaction.fcntl, "ioctl", no_clones)
    source, target = tmp_path / "source", tmp_path / "target"
    source.write_bytes(os.urandom(300_000))
    target.write_bytes(b"x" * 1_000_000)  # longer than the source: replaced whole
    assert transaction.clone_or_copy(source, target) is False
    assert target.read_bytes() == source.read_bytes()


def test_a_warehouse_cloned_to_build_into_is_left_as_it_was_by_a_failed_build(
        clone_capable):
    database = clone_capable / "clone_or_copy" / "lead_scoring.duckdb"
    database.parent.mkdir()
    with duckdb.connect(str(database)) as con:
        con.execute("create table t as select range as i from range(200000)")
    timings: dict[str, float] = {}
    # The build writes in place into its clone (deletes, inserts, a checkpoint): the
    # warehouse's blocks must not change with it.
    with (pytest.raises(RuntimeError, match="the build failed"),
          transaction.warehouse_copy(database, timings) as work):
        transaction.wait_for_copy()
        with duckdb.connect(str(work)) as con:
            con.execute("delete from t where i < 100000")
            con.execute("insert into t values (-1)")
            con.execute("checkpoint")
        assert _table_state(work) == [(100001, -1, 199999)]
        raise RuntimeError("the build failed")
    assert timings["cloned"] is True
    assert _table_state(database) == [(200000, 0, 199999)]
    # A good build's clone replaces the warehouse.
    with transaction.warehouse_copy(database, timings) as work:
        transaction.wait_for_copy()
        with duckdb.connect(str(work)) as con:
            con.execute("delete from t where i < 100000")
    assert timings["cloned"] is True
    assert _table_state(database) == [(100000, 100000, 199999)]


def test_a_build_clones_the_warehouse_and_its_publish_the_last_bi_file(
        warehouse, clone_capable, capsys, monkeypatch):
    built = copy_of(warehouse, clone_capable / "warehouse")
    published = built.database.with_name("published.duckdb")
    publishing.publish(built.database, published)  # the last publish: a file to start from
    clones = []

    def recorded(source, target):
        clones.append(real(source, target))
        return clones[-1]

    real = publishing.clone_or_copy
    monkeypatch.setattr(publishing, "clone_or_copy", recorded)
    capsys.readouterr()
    assert main(["build", "--raw", str(FIXTURES), "--db", str(built.database),
                 "--score-date", SCORE_DATE, "--publish", str(published), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "waiting for the copy of the warehouse for an all-or-nothing build" in out
    assert "cloning took" in out, out
    assert clones == [True]
    # the clone, synced, holds what the warehouse holds
    statement = "select count(*), sum(hash(lead_id, rating, priority_rank)) from marts.lead_scores"
    assert query(published, statement) == query(built.database, statement)
    assert query(published, statement)[0][0] > 0
