"""Dagster definitions for the scheduled run: one job calling `lead-scoring run` daily.

Load it with `dagster dev -f orchestration/dagster_definitions.py` (Dagster is in the dev
set). The job fails, with the run's one-line summary as the reason, whenever the run
exits non-zero: a failed model or test, a stale source, a locked warehouse, a shrunken or
unreadable raw table, broken rules or a failed publish. tests/test_scheduled.py loads
these definitions and runs the job. (No `from __future__ import annotations`: Dagster
reads the config class from the annotations at run time.)
"""

import subprocess
import sys
from pathlib import Path

from dagster import (
    Config,
    DefaultScheduleStatus,
    Definitions,
    Failure,
    OpExecutionContext,
    ScheduleDefinition,
    job,
    op,
)

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The README's cron line: 05:30 UTC, after the nightly raw exports have landed.
DAILY_AT = "30 5 * * *"


class LeadScoringRunConfig(Config):
    """Arguments of `lead-scoring run`; paths are relative to the project folder."""

    db: str = "warehouse/lead_scoring.duckdb"
    raw: str | None = None  # default: data/raw when present, else the raw schema
    extra_args: list[str] = []  # e.g. ["--score-date", "2026-11-15"] or ["--wait", "600"]


@op
def lead_scoring_run(context: OpExecutionContext, config: LeadScoringRunConfig) -> str:
    """Run the scheduled build; log its output; fail with its summary line."""
    command = [sys.executable, "-m", "lead_scoring.cli", "run", "--db", config.db,
               *(["--raw", config.raw] if config.raw else []), *config.extra_args]
    finished = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True,
                              check=False)
    for line in finished.stdout.splitlines():
        context.log.info(line)
    for line in finished.stderr.splitlines():
        context.log.warning(line)
    lines = [line.removeprefix("[lead-scoring] ") for line in finished.stdout.splitlines()
             if line.startswith(("[lead-scoring] run ok", "[lead-scoring] run failed"))]
    summary = lines[-1] if lines else (finished.stderr.strip().splitlines() or ["no output"])[-1]
    if finished.returncode != 0:
        raise Failure(description=summary)
    return summary


@job(description="Score every lead: lead-scoring run (build, tests, freshness, publish).")
def daily_lead_scoring() -> None:
    lead_scoring_run()


daily_schedule = ScheduleDefinition(
    job=daily_lead_scoring,
    cron_schedule=DAILY_AT,
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)

defs = Definitions(jobs=[daily_lead_scoring], schedules=[daily_schedule])
