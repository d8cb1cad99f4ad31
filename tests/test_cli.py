"""The CLI: the demo end to end on generated data, and clear errors."""

from __future__ import annotations

import pytest

from lead_scoring.cli import main

from .conftest import DB_FILE, FIXTURES


def test_top_without_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(SystemExit, match="no warehouse at .*lead-scoring build"):
        main(["top", "--db", str(tmp_path / "missing.duckdb")])


def test_bad_arguments_are_rejected(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--score-date", "31/03/2026"])
    assert "not a date as YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["generate", "--leads", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_build_with_missing_raw_folder(tmp_path):
    with pytest.raises(SystemExit, match="does not exist"):
        main(["build", "--raw", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w" / DB_FILE)])


@pytest.mark.parametrize("command", ["generate", "build", "run", "validate", "report", "docs",
                                     "top", "demo"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: lead-scoring {command}" in capsys.readouterr().out


def test_report_and_validate_need_a_warehouse(tmp_path):
    for command in ("report", "validate", "docs"):
        with pytest.raises(SystemExit, match="no warehouse at"):
            main([command, "--db", str(tmp_path / "missing.duckdb")])


def test_build_passes_the_loader_timestamp_column(tmp_path, monkeypatch):
    """--loaded-at-column names the column that makes landing read the loader's
    timestamp, through the environment (no var: switching keeps dbt's parse; the
    landing itself: tests/test_incremental.py)."""
    calls = []
    monkeypatch.setattr("lead_scoring.cli.run_dbt",
                        lambda command, warehouse, progress=None: calls.append(
                            (command, warehouse.environment(), warehouse.dbt_vars())))
    raw = _one_table_raw(tmp_path / "raw")
    database = str(tmp_path / "w" / DB_FILE)
    common = ["build", "--raw", str(raw), "--db", database, "--score-date", "2026-03-31",
              "--no-publish", "--quiet"]
    assert main([*common, "--loaded-at-column", "_loaded_at"]) == 0
    assert main(common) == 0
    assert calls[0][1]["LEAD_SCORING_LOADED_AT_COLUMN"] == "_loaded_at"
    assert calls[1][1]["LEAD_SCORING_LOADED_AT_COLUMN"] == ""
    assert calls[0][2] == calls[1][2] == {}
    # A build runs no dbt unit tests (CI does); --unit-tests adds them. It always
    # writes run_results.json (the scheduled run keeps it). An incremental build runs
    # no tests of intermediate views (selectors.yml); a full refresh runs them.
    assert calls[0][0] == calls[1][0] == ["build", "--write-json", "--exclude-resource-type",
                                          "unit_test", "--selector", "scheduled_incremental"]
    assert main([*common, "--unit-tests", "--full-refresh"]) == 0
    assert calls[2][0] == ["build", "--write-json", "--full-refresh"]
    assert main([*common, "--test-whole-tables"]) == 0
    assert calls[3][0] == ["build", "--write-json", "--exclude-resource-type", "unit_test"]


def _one_table_raw(folder):
    """A raw folder with a crm_leads file of one lead (every other table absent)."""
    import duckdb

    folder.mkdir()
    duckdb.sql(f"copy (select 'L1' as lead_id, false as is_deleted) "
               f"to '{folder / 'crm_leads.parquet'}'")
    return folder


def _fake_dbt(monkeypatch) -> list:
    calls = []
    monkeypatch.setattr("lead_scoring.cli.run_dbt",
                        lambda command, warehouse, progress=None: calls.append(
                            (command, warehouse)))
    return calls


def test_build_reads_data_raw_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    calls = _fake_dbt(monkeypatch)
    with pytest.raises(SystemExit, match="no raw data: data/raw does not exist .* --raw"):
        main(["build", "--no-publish"])
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "crm_leads.csv").write_text("lead_id,is_deleted\n")
    assert main(["build", "--no-publish", "--score-date", "2026-03-31"]) == 0
    environment = calls[0][1].environment()
    assert environment["LEAD_SCORING_RAW_PATH"] == (tmp_path / "data" / "raw").as_posix()
    assert environment["LEAD_SCORING_RAW_FORMAT"] == "csv"
    assert "from data/raw (csv)" in capsys.readouterr().out


def test_vars_on_build_validate_and_report(tmp_path, monkeypatch, capsys):
    calls = _fake_dbt(monkeypatch)
    raw = _one_table_raw(tmp_path / "raw")
    assert main(["build", "--raw", str(raw), "--db", str(tmp_path / "w" / DB_FILE), "--no-publish",
                 "--var", "mql_min_behaviour_score=40", "--var", "calibration_train_share=0.5",
                 "--var", "sql_timeline_values=[this_quarter]", "--var", "mql_min_grade=A"]) == 0
    variables = calls[0][1].dbt_vars()
    assert (variables["mql_min_behaviour_score"], variables["calibration_train_share"],
            variables["sql_timeline_values"], variables["mql_min_grade"]) == (
        40, 0.5, ["this_quarter"], "A")
    with pytest.raises(SystemExit):
        main(["build", "--var", "no_equals_sign"])
    assert "not NAME=VALUE" in capsys.readouterr().err
    for command in ("validate", "report"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "--var NAME=VALUE" in capsys.readouterr().out


def test_build_help_lists_the_settings(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for setting in ("mql_min_behaviour_score [30]", "calibration_window_days [90]",
                    "recycle_after_inactive_days [60]", "prediction_outcome [opportunity]"):
        assert setting in out


def test_calibration_line_says_why_it_could_not_run(warehouse):
    from lead_scoring.cli import calibration_status

    # The fixture warehouse holds one score date: nothing to calibrate against.
    assert calibration_status(warehouse.database, 90) == (
        "calibration could not run: the score history holds only 2026-03-31, no score date "
        "90 days (calibration_window_days) before the latest; build an earlier --score-date "
        "first, or set --var calibration_window_days=N")


def test_validate_exits_non_zero_on_stale_sources(warehouse, capsys):
    """Judged as of the fixture warehouse's score date (2026-03-31), its CRM leads (last
    updated on 2026-03-01 before it) and email events are stale: validate says so and fails (the
    demo, whose sources are fresh, validates with exit 0: tests/test_demo.py)."""
    assert main(["validate", "--db", str(warehouse.database), "--raw", str(FIXTURES)]) == 1
    out = capsys.readouterr().out
    assert ("source freshness as of 2026-03-31 (warn after 1 day, error after 3): "
            "activities pass, crm_leads error, crm_opportunities pass, email_events error, "
            "web_events pass") in out
    assert "error: stale or unreadable sources: crm_leads, email_events" in out
