"""The main job end to end on the demo data, as `make demo` runs it: generate,
build as of the calibration date and as of the end date, validate (dbt tests
and Great Expectations), report, top leads. Then the report in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from lead_scoring.dbt_runner import query
from tests.conftest import DB_FILE, copy_project


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    paths = {"db": folder / "demo" / DB_FILE, "raw": folder / "raw",
             "out": folder / "report.html", "log": folder / "demo.log"}
    return folder, paths


@pytest.fixture(scope="module")
def demo_run(demo):
    folder, paths = demo
    # The demo trains the predictive model into the project's seeds: a copy here.
    project = copy_project(folder / "project")
    paths["project"] = project
    # Run the CLI in a subprocess, as a user would, and keep its output.
    result = subprocess.run(
        [sys.executable, "-m", "lead_scoring.cli", "demo", "--limit", "5", "--db", str(paths["db"]),
         "--raw", str(paths["raw"]), "--out", str(paths["out"])],
        capture_output=True, text=True, check=False, cwd=folder,
        env={**os.environ, "LEAD_SCORING_PROJECT_DIR": str(project)})
    paths["log"].write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return paths, result.stdout


def test_demo_prints_top_leads(demo_run):
    _, out = demo_run
    table = [line for line in out.splitlines() if re.match(r"^\s+\d+ lead_\d+ ", line)]
    assert [int(line.split()[0]) for line in table] == [1, 2, 3, 4, 5]
    for line in table:
        _, _, rating, cell, stage, *_ = line.split()
        assert rating[0] == cell[0] and cell[0] in "ABCD" and cell[1] in "1234"
        assert stage in {"lead", "mql", "sql", "recycled"}  # leads sales can work
    assert "score_date 2026-11-15" in out
    assert "data tests passed" in out
    assert re.search(r"Great Expectations on marts.lead_scores: (\d+)/\1 passed", out)


def test_demo_is_quiet_and_honest(demo_run):
    """No Python warning, no stale source, no false alarm: the first build (the history
    calibration needs) prints no status lines, runs no data tests and publishes nothing;
    the second tests every row, publishes and says calibration ran."""
    paths, out = demo_run
    log = paths["log"].read_text()
    assert out.count("built (no data tests)") == 1 and out.count("built and tested") == 1
    assert len(re.findall(r"published \d+ marts", out)) == 1
    assert "Warning" not in log and "ERROR" not in log
    assert not re.search(r"(?m)^(\[lead-scoring\] )?error", out)
    assert ("source freshness as of 2026-11-15 (warn after 1 day, error after 3): "
            "activities pass, crm_leads pass, crm_opportunities pass, email_events pass, "
            "web_events pass") in out
    assert "calibration could not run" not in out
    assert out.count("predictive score: no trained model yet") == 1  # the second build


def test_the_demo_parses_its_copy_of_the_project_apart(demo_run):
    """The copy's dbt artifacts stay in the copy's folder (a relative target path), so
    the project's partial parse never points at the copy's seed files."""
    from lead_scoring.dbt_runner import target_dir

    paths, _ = demo_run
    assert (target_dir(paths["project"]) / "partial_parse.msgpack").exists()
    assert target_dir(paths["project"]) != target_dir()


def test_readme_shows_what_the_demo_prints(demo_run):
    """The README's sample output is the demo's (python -m lead_scoring.readme_sample)."""
    from lead_scoring.readme_sample import readme_block, sample_block

    _, out = demo_run
    assert readme_block() == sample_block(out)


def test_calibrated_score_beats_current_rules_on_holdout(demo_run):
    paths, out = demo_run
    auc = dict(query(paths["db"], "select score_name, roc_auc from marts.calibration_performance "
                                  "where sample = 'holdout' and scoring_model = 'default'"))
    # Every scoring model of the rules is calibrated on the same holdout leads.
    per_model = query(paths["db"], "select scoring_model, count(*), min(lead_count) "
                                   "from marts.calibration_performance where sample = 'holdout' "
                                   "group by 1 order by 1")
    assert [(model, scores) for model, scores, _ in per_model] == [
        ("default", 4), ("product_analytics", 4)]
    assert per_model[0][2] == per_model[1][2] > 100
    assert auc["calibrated_score"] > auc["current_priority"]
    assert 0.5 < auc["calibrated_score"] < 1
    assert f"calibrated score {auc['calibrated_score']:.3f}" in out
    # The calibration compares the scores of 2026-08-17 with the 90 days after.
    assert query(paths["db"], "select distinct cast(calibration_date as varchar) "
                              "from intermediate.int_calibration_leads") == [("2026-08-17",)]


def test_demo_trains_the_predictive_model(demo_run):
    paths, out = demo_run
    line = re.search(r"holdout ROC AUC (0\.\d+) on ([\d,]+) leads", out)
    ceiling = re.search(r"hidden propensity ranks the same holdout at ROC AUC (0\.\d+)", out)
    assert line and ceiling, out[-3000:]
    assert float(line.group(1)) >= 0.9 * float(ceiling.group(1))
    assert "current rules' order" in out  # the history holds the holdout date
    assert "predictive score on the holdout: predictive score ranks" in out  # report
    leads, scored = query(paths["db"], "select count(*), count(conversion_probability) "
                                       "from marts.lead_scores")[0]
    assert leads == scored > 5_000
    seed = paths["project"] / "seeds" / "scoring" / "predictive_model.csv"
    assert len(seed.read_text().splitlines()) > 20


def test_suggested_points_follow_the_evidence(demo_run):
    paths, _ = demo_run
    rows = query(paths["db"], "select weight_of_evidence, suggested_points, current_points "
                              "from marts.calibration_rules")
    for woe, suggested, _current in rows:
        assert suggested == 0 or (suggested > 0) == (woe > 0)
        assert -100 <= suggested <= 100


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is not installed: `make test` installs it (apt-get install chromium)")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--virtual-time-budget=15000"]


def test_report_renders_in_chromium(demo_run, tmp_path):
    paths, _ = demo_run
    browser = _chromium()
    url = paths["out"].resolve().as_uri()
    dom = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile1'}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True).stdout
    body = re.search(r"<body([^>]*)>", dom).group(1)
    # The page's own script records script errors and counts rendered charts.
    assert 'data-errors=""' in body
    charts = int(re.search(r'data-charts="(\d+)"', body).group(1))
    assert charts >= 10  # 7 + the predictive score's ROC, gains and calibration
    assert dom.count('class="main-svg"') >= charts
    screenshot = tmp_path / "report.png"
    subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile2'}",
         "--window-size=1200,2400", f"--screenshot={screenshot}", url],
        capture_output=True, text=True, timeout=120, check=True)
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_report_speaks_plainly(demo_run):
    """Verdicts in words, the current MQL threshold marked, conversion by grade and by
    band as their own charts, whole counts, no negative zero."""
    paths, _ = demo_run
    page = paths["out"].read_text()
    assert "current rules (their order of the leads) ranks barely better than chance " \
           "(AUC 0.58)" in page
    assert "ROC AUC is the chance that a lead who converted is ranked above" in page
    assert "current threshold 30" in page
    for title in ("Calibration: conversion by grade",
                  "Calibration: conversion by engagement band"):
        assert f"<h2>{title}</h2>" in page
    assert "-0.00" not in page
    performance = re.search(r"<h2>Calibration: AUC and top-decile capture</h2>.*?</table>",
                            page, re.S).group(0)
    assert "<td>1,319</td>" in performance and "<td>80</td>" in performance
    assert "1,319.00" not in performance and "80.00" not in performance


def test_report_numbers():
    import pandas as pd

    from lead_scoring.report import _integers, _number

    table = _integers(pd.DataFrame({"lead_count": [80.0, 1319.0], "lift": [1.0, -0.001]}))
    assert table["lead_count"].tolist() == ["80", "1,319"]
    assert [_number(value) for value in table["lift"]] == ["1.00", "0.00"]
