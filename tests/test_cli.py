"""The CLI: the demo end to end on generated data, and clear errors."""

from __future__ import annotations

import pytest

from lead_scoring.cli import main


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
        main(["build", "--raw", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.duckdb")])


@pytest.mark.parametrize("command", ["generate", "build", "validate", "report", "docs", "top",
                                     "demo"])
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
    """--loaded-at-column sets the var that makes landing read the loader's
    timestamp (the landing itself: tests/test_incremental.py)."""
    calls = []
    monkeypatch.setattr("lead_scoring.cli.run_dbt",
                        lambda command, warehouse, progress=None: calls.append(
                            (command, warehouse.dbt_vars())))
    raw = tmp_path / "raw"
    raw.mkdir()
    database = str(tmp_path / "w.duckdb")
    common = ["build", "--raw", str(raw), "--db", database, "--score-date", "2026-03-31",
              "--no-publish", "--quiet"]
    assert main([*common, "--loaded-at-column", "_loaded_at"]) == 0
    assert main(common) == 0
    assert calls[0][1]["landing_loaded_at_column"] == "_loaded_at"
    assert "landing_loaded_at_column" not in calls[1][1]
    assert calls[0][0] == calls[1][0] == ["build"]
