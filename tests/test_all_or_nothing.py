"""A build is all or nothing and one at a time (lead-scoring build): a failure at any
step, a kill, a shrunken raw table or a second build leaves every table of the
warehouse and the BI file exactly as the last good build left them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from lead_scoring import transaction
from lead_scoring.cli import main
from lead_scoring.dbt_runner import Warehouse, run_dbt
from lead_scoring.transaction import build_lock

from .conftest import FIXTURES, SCORE_DATE, copy_project

LATER = "2026-04-15"  # a build as of this date would change every mart and the history


def fingerprint(database, lineage: bool = True) -> dict[str, tuple]:
    """Row count and a hash of every row of every table (marts, history, rules, all);
    without lineage, leaving out the run that wrote a row (loaded_run)."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute("select table_schema, table_name, bool_or(column_name = "
                             "'loaded_run') from information_schema.tables "
                             "join information_schema.columns using (table_schema, table_name) "
                             "where table_type = 'BASE TABLE' group by all order by 1, 2"
                             ).fetchall()
        return {f"{schema}.{table}": con.execute(
            f"select count(*), md5(coalesce(string_agg(cast(t as varchar), '|' "
            f"order by cast(t as varchar)), '')) from (select * "
            f"{'' if lineage or not has_run else 'exclude (loaded_run) '}"
            f"from {schema}.{table}) as t").fetchall()[0]
            for schema, table, has_run in tables}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """Raw files, a warehouse and a BI file after one good build as of SCORE_DATE."""
    folder = tmp_path_factory.mktemp("all_or_nothing")
    raw = folder / "raw"
    shutil.copytree(FIXTURES, raw)
    paths = {"raw": raw, "db": folder / "warehouse" / "lead_scoring.duckdb",
             "bi": folder / "warehouse" / "published.duckdb", "folder": folder}
    assert main(_build(paths, SCORE_DATE)) == 0
    paths["state"] = (fingerprint(paths["db"]), fingerprint(paths["bi"]))
    paths["scores"] = fingerprint(paths["db"], lineage=False)
    return paths


def _build(paths, score_date, *extra) -> list[str]:
    return ["build", "--raw", str(paths["raw"]), "--db", str(paths["db"]), "--score-date",
            score_date, "--publish", str(paths["bi"]), "--quiet", *extra]


def _unchanged(paths) -> bool:
    return (fingerprint(paths["db"]), fingerprint(paths["bi"])) == paths["state"]


def _cli(paths, project, *arguments) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lead_scoring.cli", *arguments], cwd=paths["folder"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "LEAD_SCORING_PROJECT_DIR": str(project)})


def test_a_failing_test_late_in_the_build_changes_nothing(good, tmp_path):
    # A data test that fails after every model is built (as a bad row would).
    project = copy_project(tmp_path / "project")
    (project / "tests" / "dbt" / "fails_late.sql").write_text(
        "select lead_id from {{ ref('lead_scores') }}\n")
    process = _cli(good, project, *_build(good, LATER))
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 1, out
    assert "build failed: " in out and "is unchanged" in out
    assert _unchanged(good)
    assert not (good["db"].parent / ".building" / good["db"].name).exists()


def test_a_killed_build_changes_nothing_and_the_next_one_runs(good, tmp_path):
    project = copy_project(tmp_path / "project")
    work = good["db"].parent / ".building" / good["db"].name
    process = _cli(good, project, *_build(good, LATER))
    deadline = time.monotonic() + 120
    while not work.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(5)  # well into dbt: seeds and staging written to the copy
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _unchanged(good)
    # The lock died with the process; the leftover copy is discarded by the next build.
    assert main(_build(good, SCORE_DATE)) == 0
    # the same date and data again: the same scores (written by another run)
    scores = fingerprint(good["db"], lineage=False)
    for table in ("marts.lead_scores", "marts.lead_score_history", "rules.profile_rules"):
        assert scores[table] == good["scores"][table]
    good["state"] = (fingerprint(good["db"]), fingerprint(good["bi"]))


def test_dbt_waits_for_the_copy_it_builds_into(good, monkeypatch):
    # The copy is made in a thread while dbt starts; here it takes longer than dbt's
    # start-up. Had dbt connected before it was complete, DuckDB would have created an
    # empty file there (and the copy would then overwrite it under dbt): lead_scores
    # would find no lead_scores_by_model to read.
    def slow_copy(database, work):
        time.sleep(8)
        real_copy(database, work)

    real_copy = transaction._copy_files
    monkeypatch.setattr(transaction, "_copy_files", slow_copy)
    timings: dict[str, float] = {}
    with build_lock(good["db"]), transaction.warehouse_copy(good["db"], timings) as work:
        run_dbt(["run", "--select", "lead_scores"],
                Warehouse(database=work, score_date=SCORE_DATE))
    assert timings["copy"] >= 8
    assert 0 < timings["copy_waited"] <= timings["copy"]
    scores = fingerprint(good["db"], lineage=False)
    for table in ("marts.lead_scores", "marts.lead_score_history", "rules.profile_rules"):
        assert scores[table] == good["scores"][table]
    good["state"] = (fingerprint(good["db"]), fingerprint(good["bi"]))


def test_a_second_build_stops_at_once_naming_the_first(good, capsys):
    with build_lock(good["db"]):
        assert main(_build(good, LATER)) == 1
    out = capsys.readouterr().out
    assert f"error: another build is running: pid {os.getpid()}, started " in out
    assert "not built (--wait SECONDS to queue behind it)" in out
    assert _unchanged(good)


@pytest.mark.parametrize("table", ["crm_leads", "crm_opportunities"])
def test_an_empty_export_stops_the_build(good, table, capsys, monkeypatch):
    raw = good["raw"]
    original = (raw / f"{table}.csv").read_text()
    (raw / f"{table}.csv").write_text(original.splitlines()[0] + "\n")  # header only
    try:
        assert main(_build(good, LATER)) == 1
        out = capsys.readouterr().out
        what = "live leads" if table == "crm_leads" else "rows"
        before = len(original.splitlines()) - 1
        if table == "crm_leads":
            before -= original.count(",true\n")  # deleted leads are not live
        assert f"{table}: 0 {what}, {before:,} at the last build (100% fewer" in out
        assert "if the purge is real, build again with --allow-shrink" in out
        assert _unchanged(good)
        # A person confirms the purge: the guard lets the build through.
        monkeypatch.setattr("lead_scoring.cli.run_dbt", lambda *args, **kwargs: None)
        assert main([*_build(good, LATER), "--no-publish", "--allow-shrink"]) == 0
        assert "confirmed shrinkage (--allow-shrink)" in capsys.readouterr().out
    finally:
        (raw / f"{table}.csv").write_text(original)
        good["state"] = (fingerprint(good["db"]), fingerprint(good["bi"]))


def test_publishing_retries_and_reports_a_stale_bi_file(good, capsys, monkeypatch):
    calls = []

    def busy(*args):
        calls.append(args)
        raise duckdb.IOException("Could not set lock on file: Conflicting lock is held")

    monkeypatch.setattr("lead_scoring.cli.publish", busy)
    monkeypatch.setattr("lead_scoring.cli.time.sleep", lambda seconds: None)
    from lead_scoring.cli import _publish

    assert _publish(good["db"], good["bi"]) == 1
    assert len(calls) == 3
    out = capsys.readouterr().out
    assert out.strip().endswith(f"BI readers still see the marts of score date {SCORE_DATE} "
                                f"(stale)")
    assert "Traceback" not in out


def test_a_rule_id_reused_across_seeds_stops_before_dbt(good, tmp_path):
    """An activity rule reusing a profile rule's id once passed every check and the failed
    build rewrote the history under the broken rules version."""
    project = copy_project(tmp_path / "project")
    seeds = project / "seeds" / "scoring"
    rules = (seeds / "activity_rules.csv").read_text()
    (seeds / "activity_rules.csv").write_text(rules.replace("\nB05,default,", "\nP01,default,"))
    process = _cli(good, project, *_build(good, LATER))
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "rule id P01 is used 2 times" in out and "nothing was scored" in out
    assert _unchanged(good)


def test_the_volume_guard_threshold_is_a_var():
    from lead_scoring.volume import shrinkage

    before, now = {"crm_leads": 1000, "crm_opportunities": 100}, {"crm_leads": 700,
                                                                  "crm_opportunities": 95}
    assert shrinkage(before, now) == []  # 30 % and 5 % fewer: within 50 % and 10 %
    (shrunk,) = shrinkage(before, now, {"crm_leads": 0.2})
    assert shrunk.line() == ("crm_leads: 700 live leads, 1,000 at the last build (30% fewer; "
                             "more than 20% stops the build)")
