"""A thin wrapper around dbt's programmatic runner: one invocation at a time."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(
    os.environ.get("LEAD_SCORING_PROJECT_DIR", Path(__file__).resolve().parents[2])
)


def project_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The vars of dbt_project.yml, as their defaults."""
    import yaml

    return yaml.safe_load((project_dir / "dbt_project.yml").read_text())["vars"]


def default_scoring_model(project_dir: Path = PROJECT_DIR) -> str:
    """The scoring model lead_scores shows (var default_scoring_model)."""
    return str(project_vars(project_dir).get("default_scoring_model", "default"))


# What a copy of the project leaves out: git, virtual environments (the project's and
# the BI readers' .venv-readers), dbt's artifacts and logs, warehouses, raw data, caches.
NOT_COPIED = (".git", ".venv*", "target", "logs", "data", "warehouse", "*.duckdb",
              "*.duckdb.wal", "__pycache__", ".*_cache", "dbt_packages")


def copy_project(target: Path, leave_out: Sequence[str] = (),
                 project_dir: Path = PROJECT_DIR) -> Path:
    """A copy of the project at target, to build or edit in without touching the
    checkout: everything but NOT_COPIED and the leave_out patterns."""
    shutil.copytree(project_dir, target,
                    ignore=shutil.ignore_patterns(*NOT_COPIED, *leave_out))
    return target


def without_trained_model(project: Path) -> Path:
    """Empty the predictive model seed of a copy of the project (its header only),
    whatever it holds (the demo leaves a model in the checkout's)."""
    seed = project / "seeds" / "scoring" / "predictive_model.csv"
    seed.write_text(seed.read_text().splitlines()[0] + "\n")
    return project


def target_dir(project_dir: Path = PROJECT_DIR) -> Path:
    """Where dbt writes its artifacts: DBT_TARGET_PATH when set (the test workers each
    use their own), else the project's target/."""
    configured = os.environ.get("DBT_TARGET_PATH")
    return project_dir / configured if configured else project_dir / "target"


class DbtError(RuntimeError):
    """A dbt command failed; the message names the command and the failures."""


@dataclass
class Warehouse:
    """Where dbt builds: a DuckDB file (default target) and the project vars."""

    database: Path
    raw_path: Path | None = None
    raw_format: str = "parquet"
    score_date: str | None = None
    # The raw column of the loader timestamp (landing by delivery, not by key).
    loaded_at_column: str | None = None
    extra_vars: dict[str, Any] = field(default_factory=dict)
    target: str | None = None
    # "written": the data tests of incremental models check the rows the run wrote
    # (macros/test_scope.sql); "" (default): every row.
    test_scope: str = ""

    def dbt_vars(self) -> dict[str, Any]:
        return dict(self.extra_vars)

    def environment(self) -> dict[str, str]:
        # The score date, the raw folder and the loader-timestamp column go in the
        # environment, not in --vars: dbt parses the whole project again whenever a var
        # changes, and the date changes every day (the folder may too). The database
        # is its file name: dbt runs in the file's folder (see run_dbt).
        return {"LEAD_SCORING_DB": self.database.name,
                "LEAD_SCORING_TARGET": self.target or "duckdb",
                "LEAD_SCORING_SCORE_DATE": self.score_date or "",
                "LEAD_SCORING_RAW_PATH": (self.raw_path.resolve().as_posix()
                                          if self.raw_path is not None else ""),
                "LEAD_SCORING_RAW_FORMAT": self.raw_format,
                "LEAD_SCORING_LOADED_AT_COLUMN": self.loaded_at_column or "",
                "LEAD_SCORING_TEST_SCOPE": self.test_scope}


def run_dbt(
    command: Sequence[str],
    warehouse: Warehouse,
    project_dir: Path = PROJECT_DIR,
    quiet: bool = True,
    progress: Callable[[str], None] | None = None,
    events: list[str] | None = None,
) -> Any:
    """Run one dbt command in-process and return its result; raise DbtError on failure.

    progress, when given, is called with one line per finished node
    ("[12/40] model int_leads_enriched: success"); events, when given, receives the
    name of every event dbt fires.
    """
    from dbt.cli.main import dbtRunner

    folder = warehouse.database.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.update(warehouse.environment())
    project_dir = Path(project_dir).resolve()
    args = [
        *command,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--vars", json.dumps(warehouse.dbt_vars()),
    ]
    if quiet:
        args = ["--quiet", "--no-use-colors", *args]
    callbacks = [_progress_callback(progress)] if progress else []
    if events is not None:
        callbacks.append(lambda event: events.append(event.info.name))
    # dbt runs in the database's folder and opens it by file name: dbt keys its partial
    # parse on the connection (the path included), so the same file name in another
    # folder (the all-or-nothing build's copy, a test's scenario) reuses the parse
    # instead of parsing the whole project again.
    previous_folder = os.getcwd()
    os.chdir(folder)
    started = time.perf_counter()
    try:
        result = dbtRunner(callbacks=callbacks).invoke(args)
    finally:
        _release_duckdb()
        os.chdir(previous_folder)
        _log_call(command, time.perf_counter() - started)
    if not result.success:
        raise DbtError(_describe_failure(command, result))
    return result.result


def _log_call(command: Sequence[str], seconds: float) -> None:
    """With LEAD_SCORING_DBT_CALL_LOG set (a file), append one JSON line per dbt
    command: the test that ran it (pytest's PYTEST_CURRENT_TEST, inherited by the
    CLI's subprocesses), the command and its seconds. For profiling the test suite."""
    log = os.environ.get("LEAD_SCORING_DBT_CALL_LOG")
    if log:
        line = {"test": os.environ.get("PYTEST_CURRENT_TEST", ""), "command": list(command),
                "seconds": round(seconds, 2), "pid": os.getpid()}
        with open(log, "a") as handle:
            handle.write(json.dumps(line) + "\n")


def _progress_callback(progress: Callable[[str], None]) -> Callable[[Any], None]:
    finished = 0

    def on_event(event: Any) -> None:
        nonlocal finished
        if event.info.name != "NodeFinished":
            return
        finished += 1
        node = event.data.node_info
        kind = node.resource_type.replace("_", " ")
        progress(f"[{finished}] {kind} {node.node_name}: {node.node_status}")

    return on_event


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process.

    Otherwise the file stays locked with dbt's settings and a later read-only
    connection from the same process (the CLI's report, the tests) is refused.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter only
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
        DuckDBConnectionManager.close_all_connections()


def _describe_failure(command: Sequence[str], result: Any) -> str:
    """What failed, without raw values (an engine's error may quote a raw row)."""
    from lead_scoring.raw import redact

    return redact(_failure_lines(command, result))


def _failure_lines(command: Sequence[str], result: Any) -> str:
    lines = [f"dbt {' '.join(command)} failed"]
    if result.exception is not None:
        lines.append(str(result.exception))
    for node_result in getattr(result.result, "results", None) or []:
        status = str(getattr(node_result, "status", ""))
        if status.lower().endswith(("error", "fail")):
            lines.append(f"  {node_result.node.unique_id}: {status}: {node_result.message}")
    return "\n".join(lines)


def query(database: Path, sql: str, parameters: Mapping[str, Any] | None = None) -> list[tuple]:
    """Read rows from the DuckDB warehouse (read-only connection)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, parameters or {}).fetchall()


def source_freshness(warehouse: Warehouse, project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """Run `dbt source freshness`; return {source table: pass, warn, error or runtime error}.

    Stale sources make dbt report failure; here they are data, not an exception.
    """
    output = target_dir(project_dir) / "sources.json"
    try:
        run_dbt(["source", "freshness", "--write-json", "--output", str(output)], warehouse,
                project_dir)
    except DbtError:
        if not output.exists():
            raise
    results = json.loads(output.read_text())["results"]
    return {result["unique_id"].split(".")[-1]: result["status"] for result in results}
