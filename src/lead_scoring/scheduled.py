"""The scheduled run's record: dbt's artifacts kept per run and a one-line summary.

`lead-scoring run` is `build` plus a freshness gate; each run, good or failed, leaves a
folder `runs/<UTC time>/` beside the warehouse with dbt's run_results.json (and
sources.json when freshness was checked) and summary.json, the line it printed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from lead_scoring.dbt_runner import PROJECT_DIR, query, target_dir

KEEP_RUNS = 30  # run folders kept; older ones are removed


@dataclass
class RunSummary:
    """What one scheduled run did; `line()` is what the scheduler's log shows."""

    status: str  # "ok" or "failed"
    score_date: str | None
    seconds: float
    leads_scored: int | None = None
    quarantined_rows: int | None = None
    changes: int | None = None
    tests_failed: int | None = None
    tests_run: int | None = None
    failure: str | None = None
    kept_in: str | None = None

    def line(self) -> str:
        parts = [f"run {self.status}", f"score_date {self.score_date or 'today'}"]
        if self.leads_scored is not None:
            parts.append(f"{self.leads_scored:,} leads scored")
        if self.quarantined_rows is not None:
            parts.append(f"{self.quarantined_rows:,} rows quarantined")
        if self.changes is not None:
            parts.append(f"{self.changes:,} changes for the CRM")
        if self.tests_run is not None:
            parts.append(f"{self.tests_failed or 0} of {self.tests_run} tests failed")
        if self.failure:
            parts.append(self.failure)
        parts.append(f"{self.seconds:.1f}s")
        line = ", ".join(parts)
        return f"{line}; dbt run results in {self.kept_in}" if self.kept_in else line


def warehouse_counts(database: Path) -> dict[str, int]:
    """Rows scored, rows quarantined and the CRM feed's events of the latest score date."""
    sql = """
        select
            (select count(*) from marts.lead_scores),
            (select count(*) from marts.quarantined_records),
            (select count(*) from marts.lead_threshold_events
             where score_date = (select max(score_date) from marts.lead_scores))
    """
    scored, quarantined, changes = query(database, sql)[0]
    return {"leads_scored": scored, "quarantined_rows": quarantined, "changes": changes}


def count_tests(run_results: Path) -> dict[str, int]:
    """tests_run and tests_failed (failed or erred) from dbt's run_results.json; empty
    when the run wrote none (nothing was built)."""
    if not run_results.exists():
        return {}
    results = json.loads(run_results.read_text())["results"]
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    failed = [r for r in tests if r["status"] in ("fail", "error")]
    return {"tests_run": len(tests), "tests_failed": len(failed)}


def keep_artifacts(runs_dir: Path, started_at: datetime,
                   project_dir: Path = PROJECT_DIR, keep: int = KEEP_RUNS) -> Path:
    """Copy dbt's run artifacts into runs_dir/<UTC time>/; prune to the newest `keep`."""
    folder = runs_dir / started_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("run_results.json", "sources.json"):
        artifact = target_dir(project_dir) / name
        if artifact.exists() and artifact.stat().st_mtime >= started_at.timestamp():
            shutil.copyfile(artifact, folder / name)
    for old in sorted(p for p in runs_dir.iterdir() if p.is_dir())[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def write_summary(folder: Path, summary: RunSummary) -> None:
    (folder / "summary.json").write_text(json.dumps({**asdict(summary),
                                                     "line": summary.line()}, indent=2))
