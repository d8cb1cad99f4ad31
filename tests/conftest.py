"""pytest builds the dbt project once per session from the hand-made fixtures."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lead_scoring import dbt_runner
from lead_scoring.dbt_runner import PROJECT_DIR, Warehouse, query, run_dbt

FIXTURES = Path(__file__).parent / "fixtures" / "raw"

# pytest-xdist workers (make test runs two) each give dbt its own artifacts and log
# folders, so two dbt invocations never write one manifest or partial-parse file.
# The target path is relative, so dbt puts it in the project's folder: a test's copy
# of the project (copy_project) has its own partial parse, never the project's (dbt
# would reuse a parse that points at the copy's seed files).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    os.environ["DBT_TARGET_PATH"] = f"target/{_WORKER}"
    os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "logs" / _WORKER)
    # An xdist worker's __main__ has no __file__; PySpark (imported by Great
    # Expectations) then takes the process for a doctest run and exits it.
    main_module = sys.modules["__main__"]
    if getattr(main_module, "__spec__", None) is None and not hasattr(main_module, "__file__"):
        main_module.__file__ = "<pytest-xdist worker>"
# The tests' own dbt calls need neither dbt's JSON artifacts (manifest.json,
# run_results.json: ~1.5 s an invocation) nor its debug log file (every SQL
# statement; ~2 s a build): the CLI asks for the artifacts it keeps with
# --write-json. Export DBT_LOG_LEVEL_FILE=debug to keep the log while debugging.
os.environ.setdefault("DBT_WRITE_JSON", "false")
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
SCORE_DATE = "2026-03-31"
# Every test warehouse has the file name the CLI's default has (each in its own
# folder): dbt keys its partial parse on the connection, the file name included,
# so one name lets every scenario reuse the last parse instead of parsing again.
DB_FILE = "lead_scoring.duckdb"


# The files that take longest start first: pytest-xdist hands whole files to the two
# workers in collection order (--dist loadfile), so a long file collected last would
# leave one worker idle while the other finishes it.
LONGEST_FIRST = ("test_incremental.py", "test_spark.py", "test_demo.py", "test_benchmark.py",
                 "test_scheduled.py", "test_publish.py", "test_postgres.py",
                 "test_all_or_nothing.py", "test_history.py", "test_raw_absent.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: a file's tests keep their order


def fixture_warehouse(database: Path, score_date: str = SCORE_DATE, **extra) -> Warehouse:
    """The fixtures' warehouse at database (built or not)."""
    return Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                     score_date=score_date, **extra)


def build_warehouse(database: Path, score_date: str = SCORE_DATE, unit_tests: bool = False,
                    **extra) -> Warehouse:
    """dbt build of the fixtures; the session's `warehouse` also runs the dbt unit tests
    (once per session is enough: they do not depend on the data)."""
    warehouse = fixture_warehouse(database, score_date, **extra)
    run_dbt(["build", "--full-refresh",
             *([] if unit_tests else ["--exclude-resource-type", "unit_test"])], warehouse)
    return warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The fixtures built (seeds, models, unit and data tests) as of SCORE_DATE.

    Built once per session: the first worker to need it builds it under a file lock in
    the folder the workers share, the other waits and copies it (each worker writes to
    its own copy: some tests run dbt on it)."""
    import fcntl

    own = tmp_path_factory.mktemp("warehouse")
    if not _WORKER:
        return build_warehouse(own / "fixture" / DB_FILE, unit_tests=True)
    shared = tmp_path_factory.getbasetemp().parent / "session_warehouse"
    shared.mkdir(exist_ok=True)
    built = fixture_warehouse(shared / "fixture" / DB_FILE)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists():
            build_warehouse(built.database, unit_tests=True)
            (shared / "built").touch()
    return copy_of(built, own)


def copy_of(warehouse: Warehouse, folder: Path, **changes) -> Warehouse:
    """A copy of a built warehouse file in folder, under the same file name (DuckDB names
    the catalog after the file and dbt's views keep it): a test that needs the fixtures
    built as of SCORE_DATE starts from the session's build instead of building again."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / warehouse.database.name
    shutil.copyfile(warehouse.database, copy)
    return Warehouse(**{**warehouse.__dict__, "database": copy, **changes})


@pytest.fixture(scope="session")
def sql(warehouse: Warehouse) -> Callable[..., list[tuple]]:
    def run(statement: str, parameters: dict | None = None) -> list[tuple]:
        return query(warehouse.database, statement, parameters)

    return run


def compile_analysis(warehouse: Warehouse, name: str) -> str:
    """The SQL of analyses/<name>.sql compiled against the warehouse."""
    result = run_dbt(["compile", "--select", name], warehouse)
    return result.results[0].node.compiled_code


def copy_project(target: Path) -> Path:
    """A copy of the dbt project (no tests but its dbt tests) to edit rules in."""
    dbt_runner.copy_project(target, leave_out=["tests"])
    shutil.copytree(PROJECT_DIR / "tests" / "dbt", target / "tests" / "dbt")
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, insisting that it is there."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))
