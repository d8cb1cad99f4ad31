"""The scheduled run: `lead-scoring run` fails on stale sources and leaves the warehouse as
it was, prints one summary line and keeps dbt's run results; the README's Dagster
definition loads, follows the README's cron line and runs the job."""

from __future__ import annotations

import importlib.util
import json
import re

import duckdb
import pytest

from lead_scoring.cli import main
from lead_scoring.dbt_runner import PROJECT_DIR, query, target_dir

from .conftest import DB_FILE, FIXTURES, SCORE_DATE, copy_of

dagster = pytest.importorskip("dagster")


def _definitions():
    path = PROJECT_DIR / "orchestration" / "dagster_definitions.py"
    spec = importlib.util.spec_from_file_location("dagster_definitions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_cron() -> str:
    block = re.search(r"```cron\n(.*?)\n", (PROJECT_DIR / "README.md").read_text()).group(1)
    return " ".join(block.split()[:5])


def test_stale_sources_fail_the_run_and_change_nothing(tmp_path, capsys):
    """At the fixtures' score date crm_leads (last updated 2026-03-01) and email events are
    more than 3 days old: the run checks freshness first, builds nothing, keeps no
    warehouse, exits 1 and says why in one line; dbt's freshness results are kept."""
    database = tmp_path / "w" / DB_FILE
    code = main(["run", "--raw", str(FIXTURES), "--format", "csv", "--db", str(database),
                 "--score-date", SCORE_DATE, "--no-publish"])
    out, err = capsys.readouterr()
    assert code == 1
    assert not database.exists()
    assert ("sources more than 3 days old (or unreadable) at score date 2026-03-31: "
            "crm_leads, email_events; run with --allow-stale") in err
    summary = [line for line in out.splitlines() if "run failed" in line]
    assert len(summary) == 1
    assert re.search(r"run failed, score_date 2026-03-31, stale sources, [\d.]+s; "
                     r"dbt run results in ", summary[0]), summary[0]
    (kept,) = (database.parent / "runs").iterdir()
    assert not (kept / "run_results.json").exists()  # nothing was built
    sources = json.loads((kept / "sources.json").read_text())["results"]
    assert {r["unique_id"].split(".")[-1]: r["status"] for r in sources}["crm_leads"] == "error"
    assert json.loads((kept / "summary.json").read_text())["line"] in summary[0]


def test_dagster_definitions_load_and_follow_the_readme():
    definitions = _definitions()
    dagster.Definitions.validate_loadable(definitions.defs)
    schedule = definitions.defs.resolve_schedule_def("daily_lead_scoring_schedule")
    assert schedule.cron_schedule == _readme_cron() == "30 5 * * *"
    assert schedule.execution_timezone == "UTC"


def test_dagster_job_runs_the_scheduled_run(tmp_path, warehouse):
    """The job runs `lead-scoring run` (on a copy of the session's warehouse: the day's
    run again); its output is the summary line with the marts' counts. A failing run
    fails the job with the summary line as the reason."""
    job = _definitions().defs.resolve_job_def("daily_lead_scoring")
    database = copy_of(warehouse, tmp_path / "warehouse").database
    config = {"db": str(database), "raw": str(FIXTURES),
              "extra_args": ["--format", "csv", "--score-date", SCORE_DATE, "--allow-stale",
                             "--no-publish"]}
    result = job.execute_in_process(
        run_config={"ops": {"lead_scoring_run": {"config": config}}})
    assert result.success
    summary = result.output_for_node("lead_scoring_run")
    scored, quarantined, changes = query(database, """
        select (select count(*) from marts.lead_scores),
               (select count(*) from marts.quarantined_records),
               (select count(*) from marts.lead_threshold_events
                where score_date = date '2026-03-31')""")[0]
    assert scored == 6  # the fixtures' live leads
    assert quarantined > 0 and changes > 0
    assert summary.startswith(f"run ok, score_date 2026-03-31, {scored} leads scored, "
                              f"{quarantined} rows quarantined, {changes} changes for the "
                              f"CRM, 0 of "), summary
    assert (database.parent / "runs").is_dir()  # dbt's results kept beside the warehouse

    config["raw"] = str(tmp_path / "no_exports_today")
    failed = job.execute_in_process(
        run_config={"ops": {"lead_scoring_run": {"config": config}}}, raise_on_error=False)
    assert not failed.success
    failure = failed.failure_data_for_node("lead_scoring_run")
    description = failure.user_failure_data.description
    assert description.startswith("run failed, score_date today, ")
    assert "no_exports_today" in description and "does not exist" in description


def test_a_daily_build_tests_the_rows_it_wrote(tmp_path, warehouse):
    """An incremental CLI build runs the data tests of the incremental models on the rows
    it wrote (so their cost follows the day's data, not the table's size); with
    --test-whole-tables, and on a full refresh, every row. A duplicate planted in a
    stored row of int_activities_flagged shows the difference."""
    database = copy_of(warehouse, tmp_path / "warehouse").database
    with duckdb.connect(str(database)) as con:
        con.execute("insert into intermediate.int_activities_flagged "
                    "select * from intermediate.int_activities_flagged "
                    "where activity_id = 'web:W01'")
    build = ["build", "--raw", str(FIXTURES), "--format", "csv", "--db", str(database),
             "--score-date", SCORE_DATE, "--no-publish", "--quiet"]
    assert main(build) == 0  # the run wrote no activity row: the stored duplicate is not its
    results = json.loads((target_dir() / "run_results.json").read_text())["results"]
    # the stream's key, and the rule state's and recency's tests too (the rule
    # state's whole-table test took 0.9 s of each 1M daily run)
    for prefix in ("primary_key_int_activities_flagged_activity_id",
                   "unique_combination_int_lead_rule_state_",
                   "primary_key_int_lead_activity_recency_", "not_null_int_lead_activity_recency_"):
        scoped = [r for r in results if r["unique_id"].startswith("test.lead_scoring." + prefix)]
        assert scoped and "loaded_run = '" in scoped[0]["compiled_code"], prefix
    history = [r for r in results if r["unique_id"].startswith(
        "test.lead_scoring.primary_key_lead_score_history_")]
    assert "score_date = cast('2026-03-31' as date)" in history[0]["compiled_code"]
    # No test of a view (each one computes the whole view again); the views are
    # still created, and the tables they feed tested.
    ran = {r["unique_id"] for r in results}
    view_tests = {"test.lead_scoring.primary_key_int_lead_attributes_unpivoted_lead_id__attribute"
                  ".b2ff5cd1a6",
                  "test.lead_scoring.not_null_columns_int_lead_fit_scored_grade__fit_points"
                  ".a18fc30a6b"}
    assert ran.isdisjoint(view_tests)
    for expected in ("model.lead_scoring.int_lead_attributes_unpivoted",
                     "model.lead_scoring.int_lead_fit_scored",
                     "test.lead_scoring.primary_key_lead_scores_lead_id",
                     "test.lead_scoring.unique_stg_crm__opportunities_opportunity_id"):
        assert any(unique_id.startswith(expected) for unique_id in ran), expected
    assert main([*build, "--test-whole-tables"]) == 1
    results = json.loads((target_dir() / "run_results.json").read_text())["results"]
    assert view_tests <= {r["unique_id"] for r in results}
    failed = [r["unique_id"] for r in results if r["status"] == "fail"]
    # (the copied row's key stands for two rows too)
    assert sorted(name.split(".")[2] for name in failed) == [
        "one_row_per_key_int_activities_flagged_activity_key__ref_int_activities_flagged_",
        "primary_key_int_activities_flagged_activity_id"]
