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
