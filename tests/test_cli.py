"""The CLI: the demo end to end on generated data, and clear errors."""

from __future__ import annotations

import re

import pytest

from lead_scoring.cli import main


def test_demo_end_to_end(tmp_path, capsys):
    code = main(["demo", "--leads", "400", "--events", "8000", "--limit", "5",
                 "--db", str(tmp_path / "demo.duckdb"), "--raw", str(tmp_path / "raw"),
                 "--out", str(tmp_path / "report.html")])
    out = capsys.readouterr().out
    assert code == 0
    table = [line for line in out.splitlines() if re.match(r"^\s+\d+ lead_\d+ ", line)]
    assert [int(line.split()[0]) for line in table] == [1, 2, 3, 4, 5]
    for line in table:
        rank, lead_id, rating, cell, stage, *_ = line.split()
        assert rating[0] == cell[0] and cell[0] in "ABCD" and cell[1] in "1234"
        assert stage.rstrip("*") in {"lead", "mql", "sql", "opportunity", "customer",
                                     "disqualified", "recycled"}
    assert "score_date 2026-11-15" in out
    assert "leads per stage: " in out
    assert "data tests passed" in out
    assert (tmp_path / "report.html").stat().st_size > 100_000
    counts = re.search(r"leads per grade: (.*)", out).group(1)
    total = sum(int(part.split()[1].replace(",", "")) for part in counts.split(", "))
    # 400 leads less the ~1% soft-deleted ones.
    assert 380 <= total <= 400


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
