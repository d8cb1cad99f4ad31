"""Command line: generate sample data, build the warehouse, show the top leads.

`lead-scoring demo` runs the main job end to end on the embedded DuckDB default.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from lead_scoring import volume
from lead_scoring.dbt_runner import (
    PROJECT_DIR,
    DbtError,
    Warehouse,
    project_vars,
    query,
    run_dbt,
    source_freshness,
)
from lead_scoring.generator import RAW_TABLES, generate, manifest_end_date, parse_date
from lead_scoring.publish import DEFAULT_PUBLISHED, publish
from lead_scoring.raw import (
    DEFAULT_RAW,
    RawError,
    RawSource,
    absent_tables,
    extra_attribute_names,
    resolve,
)
from lead_scoring.rules_check import RulesError, check_rule_seeds
from lead_scoring.scheduled import (
    RunSummary,
    count_tests,
    keep_artifacts,
    warehouse_counts,
    write_summary,
)
from lead_scoring.transaction import BuildLocked, build_lock, wait_for_copy, warehouse_copy
from lead_scoring.worlds import WORLDS

DEFAULT_DB = Path("warehouse/lead_scoring.duckdb")
# A scheduled or manual build runs the models and data tests; the dbt unit tests check
# the SQL logic, not the data, and belong to CI (`make test` runs them; --unit-tests).
UNIT_TESTS_EXCLUDED = ["--exclude-resource-type", "unit_test"]
DEFAULT_REPORT = Path("warehouse/report.html")
DEFAULT_SEEDS = PROJECT_DIR / "seeds" / "scoring"
# The settings `lead-scoring build --help` lists (vars of dbt_project.yml).
SETTINGS = {
    "lifecycle": ("mql_min_grade", "mql_min_behaviour_score", "sql_min_bant_criteria",
                  "sql_timeline_values", "recycle_after_inactive_days"),
    "calibration": ("calibration_window_days", "calibration_train_share",
                    "calibration_smoothing"),
    "predictive model": ("prediction_outcome", "prediction_outcome_window_days",
                         "prediction_snapshot_count", "prediction_snapshot_cadence_days"),
}


def _say(message: str) -> None:
    print(f"[lead-scoring] {message}", flush=True)


def _date(text: str) -> str:
    try:
        return parse_date(text).isoformat()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from error


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from error
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _var(text: str) -> tuple[str, object]:
    """NAME=VALUE of --var; the value is read as YAML (30, 0.5, [a, b], text)."""
    import yaml

    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError as error:
        raise argparse.ArgumentTypeError(f"value of {name} is not readable: {value!r}") from error


def _setting(args: argparse.Namespace, name: str) -> object:
    """A var as the run sees it: --var NAME=VALUE, else dbt_project.yml's default."""
    overrides = dict(getattr(args, "var", None) or [])
    return overrides.get(name, project_vars().get(name))


def _settings_help() -> str:
    defaults = project_vars()
    lines = ["settings (--var NAME=VALUE, default in brackets):"]
    for group, names in SETTINGS.items():
        lines.append(f"  {group}: " + ", ".join(f"{name} [{defaults.get(name)}]"
                                                for name in names))
    lines.append("  every var of dbt_project.yml can be set this way (its comments say "
                 "what each does)")
    return "\n".join(lines)


def _require_db(database: Path) -> None:
    if not database.exists():
        raise SystemExit(
            f"error: no warehouse at {database}. Build it first: lead-scoring build "
            f"(or lead-scoring demo), or pass --db PATH."
        )


def cmd_generate(args: argparse.Namespace) -> int:
    """Write deterministic sample raw data (args.out is the folder)."""
    sizes = generate(
        args.out, leads=args.leads, events=args.events, seed=args.seed,
        end_date=parse_date(args.end_date), file_format=args.format, progress=_say,
        world=getattr(args, "world", "b2b"),
    )
    total = sum(sizes.rows.values())
    _say(f"wrote {total:,} rows to {args.out} in {sizes.seconds:.1f}s "
         f"(data ends {sizes.end_date.isoformat()})")
    return 0


def _score_date_for(args: argparse.Namespace, raw: RawSource | None) -> str | None:
    if args.score_date:
        return args.score_date
    end = manifest_end_date(raw.folder) if raw is not None and raw.folder else None
    return end.isoformat() if end else None


def _raw_source(args: argparse.Namespace) -> tuple[RawSource, list[str]]:
    """The raw data of --raw, else data/raw, else the raw schema, and the raw tables it
    lacks; exits with one line saying what to do when there is none or no crm_leads."""
    schema = str(_setting(args, "raw_schema") or "raw")
    try:
        raw = resolve(args.raw, args.format, args.db, schema)
        return raw, absent_tables(raw, args.db)
    except RawError as error:
        raise SystemExit(f"error: {error}") from None


def _warehouse(args: argparse.Namespace, raw: RawSource | None) -> Warehouse:
    variables = dict(getattr(args, "var", None) or [])
    return Warehouse(database=args.db, raw_path=raw.folder if raw else None,
                     raw_format=raw.file_format if raw else "parquet",
                     score_date=_score_date_for(args, raw), extra_vars=variables,
                     loaded_at_column=getattr(args, "loaded_at_column", None))


def cmd_build(args: argparse.Namespace) -> int:
    """Build under the warehouse's lock, into a copy that replaces the warehouse only when
    every step succeeded (src/lead_scoring/transaction.py), then publish."""
    raw, absent = _raw_source(args)
    warehouse = _warehouse(args, raw)
    # An incremental build's data tests check the rows it wrote (macros/test_scope.sql).
    if not args.full_refresh and not getattr(args, "test_whole_tables", False):
        warehouse.test_scope = "written"
    args.scored_as_of = warehouse.score_date
    try:
        check_rule_seeds(PROJECT_DIR / "seeds" / "scoring",
                         extra_attribute_names(raw, args.db, absent), PROJECT_DIR)
    except RulesError as error:
        print(str(error), file=sys.stderr)
        args.failure = "the scoring rules are broken"
        return 1
    try:
        with build_lock(args.db, getattr(args, "wait", 0)):
            built = _build_locked(args, raw, absent, warehouse)
    except BuildLocked as error:
        _say(f"error: {error}; not built (--wait SECONDS to queue behind it)")
        args.failure = "another build holds the warehouse"
        return 1
    except RawError as error:
        _say(f"error: {error}; nothing was built")
        args.failure = "a raw table is unreadable"
        return 1
    if not built:
        return 1
    if getattr(args, "status_lines", True) and _has_marts(args.db):
        from lead_scoring.predictive import status_line

        _say(calibration_status(args.db, _setting(args, "calibration_window_days")))
        _say(status_line(args.db))
    if args.publish is not None and _publish(args.db, args.publish):
        args.failure = "publishing the BI file failed"
        return 1
    return 0


class StaleSources(RuntimeError):
    """A scheduled run found sources older than the score date allows."""


def _build_locked(args: argparse.Namespace, raw: RawSource, absent: list[str],
                  warehouse: Warehouse) -> bool:
    """Guard the volumes, then dbt build into a copy; True when the copy replaced the
    warehouse. On failure the warehouse is exactly as the last good build left it."""
    counts = volume.raw_counts(raw, args.db, [t for t in RAW_TABLES if t not in absent])
    shrunk = volume.shrinkage(volume.last_counts(args.db), counts,
                              _setting(args, "volume_guard_max_drop"))
    if shrunk and not getattr(args, "allow_shrink", False):
        _say("error: raw data shrank since the last build; nothing was built:")
        for item in shrunk:
            print(f"    {item.line()}")
        _say("if the purge is real, build again with --allow-shrink")
        args.failure = "raw data shrank"
        return False
    _say(f"dbt build into {args.db} from {raw.describe()} "
         f"(score_date {warehouse.score_date or 'today'})")
    if absent:
        _say(f"raw tables absent, built as empty: {', '.join(absent)}")
    if shrunk:
        _say("confirmed shrinkage (--allow-shrink): " + "; ".join(i.line() for i in shrunk))
    started = time.perf_counter()
    data_tests = getattr(args, "data_tests", True)
    # --write-json: the scheduled run keeps run_results.json (and the benchmark reads
    # it), whatever DBT_WRITE_JSON says.
    command = (["build", "--write-json"] + (["--full-refresh"] if args.full_refresh else [])
               + ([] if getattr(args, "unit_tests", False) else UNIT_TESTS_EXCLUDED)
               + ([] if data_tests else ["--exclude-resource-type", "test"])
               # the rows it wrote: no whole-table tests of views (selectors.yml)
               + (["--selector", "scheduled_incremental"]
                  if warehouse.test_scope == "written" else []))
    progress = _say if getattr(args, "progress", False) else None
    timings: dict[str, float] = {}
    try:
        with warehouse_copy(args.db, timings) as work:
            warehouse.database = work
            if getattr(args, "require_fresh", False):  # before building: a stale day is quick
                _freshness_gate(warehouse, absent, getattr(args, "allow_stale", False))
            run_dbt(command, warehouse, progress=progress)
            wait_for_copy()  # dbt waited for it when it connected; a no-op then
            volume.record(work, counts, warehouse.score_date)
    except (DbtError, StaleSources) as error:
        print(str(error), file=sys.stderr)
        _say(f"build failed: {args.db} is unchanged (the last good build's marts, history "
             f"and rules)")
        args.failure = ("stale sources" if isinstance(error, StaleSources)
                        else "a model or test failed")
        return False
    finally:
        warehouse.database = args.db
    _say(f"built {'and tested ' if data_tests else '(no data tests) '}"
         f"in {time.perf_counter() - started:.1f}s (of which waiting for the copy of the "
         f"warehouse for an all-or-nothing build {timings['copy_waited']:.1f}s: "
         f"{'cloning' if timings['cloned'] else 'copying'} took {timings['copy']:.1f}s, "
         f"the rest beside dbt's start-up; swapping it in {timings['swap']:.1f}s)")
    return True


def _freshness(warehouse: Warehouse, absent: list[str]) -> dict[str, str]:
    """dbt source freshness as of the score date: {table: pass, warn, error or runtime
    error}, 'absent' for a raw table the source lacks (built empty, nothing to judge)."""
    freshness = source_freshness(warehouse)
    freshness.update({table: "absent" for table in absent if table in freshness})
    return freshness


def _stale(freshness: dict[str, str]) -> list[str]:
    """The sources past error_after (or unreadable), sorted."""
    return sorted(table for table, status in freshness.items() if "error" in status)


def _freshness_gate(warehouse: Warehouse, absent: list[str], allow_stale: bool) -> None:
    """Source freshness as of the score date; raise StaleSources on an error-level source
    unless allowed (then the run goes on and says so)."""
    freshness = _freshness(warehouse, absent)
    stale = _stale(freshness)
    late = sorted(table for table, status in freshness.items() if status == "warn")
    if late:
        _say(f"warning: sources more than a day old at the score date: {', '.join(late)}")
    if stale and not allow_stale:
        raise StaleSources(f"error: sources more than 3 days old (or unreadable) at score date "
                           f"{warehouse.score_date or 'today'}: {', '.join(stale)}; "
                           f"run with --allow-stale to score them anyway")
    if stale:
        _say(f"stale sources scored anyway (--allow-stale): {', '.join(stale)}")


def cmd_run(args: argparse.Namespace) -> int:
    """The scheduled run: build with a freshness gate, one summary line, dbt's artifacts
    kept in runs/ beside the warehouse. Non-zero when anything failed or is stale."""
    started_at, started = datetime.now(UTC), time.perf_counter()
    args.require_fresh, args.failure, args.scored_as_of = True, None, None
    try:
        code = cmd_build(args)
    except SystemExit as stop:  # a one-line error before anything was built
        if not isinstance(stop.code, str):
            raise
        print(stop.code, file=sys.stderr)
        code, args.failure = 1, stop.code.removeprefix("error: ")
    kept = keep_artifacts(args.runs_dir or args.db.parent / "runs", started_at)
    summary = RunSummary(status="ok" if code == 0 else "failed",
                         score_date=args.scored_as_of,
                         seconds=time.perf_counter() - started,
                         failure=args.failure if code else None, kept_in=str(kept),
                         **(warehouse_counts(args.db) if code == 0 else {}),
                         **count_tests(kept / "run_results.json"))
    write_summary(kept, summary)
    _say(summary.line())
    return code


def _publish(database: Path, published: Path, attempts: int = 3) -> int:
    """Publish, retrying when the files are busy; a failure is one line, never a
    traceback, and says how stale the BI file is."""
    for attempt in range(1, attempts + 1):
        try:
            tables = publish(database, published)
        except (duckdb.Error, OSError) as error:
            if attempt < attempts:
                time.sleep(2 * attempt)
                continue
            _say(f"error: publishing to {published} failed after {attempts} attempts "
                 f"({str(error).splitlines()[0]}); BI readers still see "
                 f"{_published_state(published)}")
            return 1
        _say(f"published {len(tables)} marts to {published} for BI readers")
        return 0
    return 1


def _published_state(published: Path) -> str:
    try:
        rows = query(published, "select max(score_date) from marts.lead_scores")
        return f"the marts of score date {rows[0][0]} (stale)"
    except Exception:  # noqa: BLE001 - any unreadable file is reported the same way
        return "no published marts"


def _has_marts(database: Path) -> bool:
    if not database.exists():
        return False
    return bool(query(database, "select count(*) from information_schema.tables "
                                "where table_schema = 'marts' "
                                "and table_name = 'calibration_performance'")[0][0])


def calibration_status(database: Path, window_days: object) -> str:
    from lead_scoring.report import calibration_line, lead_scores_model, scoring_model_lens

    with scoring_model_lens(database, lead_scores_model(database)) as con:
        return calibration_line(con, window_days)


def _scored_date(database: Path) -> str | None:
    rows = query(database, "select max(score_date) from marts.lead_scores")
    return rows[0][0].isoformat() if rows and rows[0][0] else None


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit the predictive model on the warehouse's history, write it as a seed, rescore."""
    from lead_scoring import predictive

    _require_db(args.db)
    _say(f"fitting the predictive model on {args.db}")
    try:
        fitted, data = predictive.calibrate(args.db, args.seeds, min_support=args.min_support)
    except predictive.CalibrationError as error:
        _say(f"calibration could not run: {error}")
        return 1
    _say(predictive.summary_line(fitted, predictive.current_rules_auc(args.db, data)))
    _say(f"model written to {args.seeds / 'predictive_model.csv'}")
    from lead_scoring import suggest

    suggestion = suggest.suggest(fitted, args.seeds)
    out_dir = args.suggestions or args.db.parent / "suggested_rules"
    suggest.write(suggestion, out_dir, args.seeds)
    changed = [c for c in suggestion.changes if c.before != c.after]
    _say(f"suggested rules in {out_dir} ({len(changed)} changes; rules_diff.txt says why):")
    for change, line in zip(suggestion.changes, suggestion.diff_lines(), strict=True):
        if change.before != change.after:
            print(f"    {line}")
    if args.apply:
        for name in ("profile_rules.csv", "activity_rules.csv"):
            (args.seeds / name).write_text((out_dir / name).read_text())
        _say(f"applied: {args.seeds}/profile_rules.csv and activity_rules.csv rewritten "
             f"(a new rules version; the next build rescores everything)")
    if args.rebuild:
        score_date = _scored_date(args.db)
        try:  # under the build lock, all or nothing, like a build
            with build_lock(args.db), warehouse_copy(args.db) as work:
                run_dbt(["build", "--select", "predictive_model+", *UNIT_TESTS_EXCLUDED],
                        Warehouse(database=work, score_date=score_date))
        except BuildLocked as error:
            _say(f"error: {error}; the model is written but not scored yet (run "
                 f"lead-scoring build once the running build ends)")
            return 1
        except DbtError as error:
            print(str(error), file=sys.stderr)
            return 1
        _say(f"lead_scores rescored as of {score_date} with the new model")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the data tests against the built warehouse (no rebuild), source freshness as of
    the warehouse's score date and the Great Expectations suite; non-zero on any error."""
    _require_db(args.db)
    raw, absent = _raw_source(args)
    if not args.score_date:
        args.score_date = _scored_date(args.db)
    warehouse = _warehouse(args, raw)
    _say(f"data tests on {args.db}")
    try:
        result = run_dbt(["test", "--exclude", "test_type:unit"], warehouse)
    except DbtError as error:
        print(str(error), file=sys.stderr)
        return 1
    tests = [outcome for outcome in result.results if outcome.node.resource_type == "test"]
    _say(f"{len(tests)} data tests passed")  # the results hold the run's hooks too
    freshness = _freshness(warehouse, absent)
    _say(f"source freshness as of {warehouse.score_date or 'today'} (warn after 1 day, "
         f"error after 3): " + ", ".join(f"{table} {status}"
                                          for table, status in sorted(freshness.items())))
    stale = _stale(freshness)
    from lead_scoring.validation import validate_warehouse

    report = validate_warehouse(args.db)
    for line in report.lines():
        _say(line)
    if stale:
        _say(f"error: stale or unreadable sources: {', '.join(stale)}")
    return 0 if report.success and not stale else 1


def cmd_report(args: argparse.Namespace) -> int:
    from lead_scoring.report import UnknownScoringModel, write_report

    _require_db(args.db)
    try:
        summaries = write_report(args.db, args.out, settings={
            name: _setting(args, name) for name in ("mql_min_grade", "mql_min_behaviour_score",
                                                   "calibration_window_days")},
            scoring_model=getattr(args, "scoring_model", None))
    except UnknownScoringModel as error:
        _say(f"error: {error}")
        return 1
    _say(f"report written to {args.out} (open it in a browser; it works offline)")
    for line in summaries:
        _say(line)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    _require_db(args.db)
    warehouse = Warehouse(database=args.db)
    try:
        run_dbt(["docs", "generate", "--write-json"], warehouse)
    except DbtError as error:
        print(str(error), file=sys.stderr)
        return 1
    _say(f"docs site in {PROJECT_DIR / 'target'}: serve it with "
         f"`dbt docs serve --profiles-dir .` and open http://localhost:8080")
    return 0


def top_leads(database: Path, limit: int) -> list[tuple]:
    return query(
        database,
        """
        select priority_rank, lead_id, rating, grade_engagement_cell, lifecycle_stage,
               fit_points, behaviour_score, is_contactable, top_reasons,
               score_date, rules_version
        from marts.lead_scores
        where priority_rank is not null
        order by priority_rank
        limit $limit
        """,
        {"limit": limit},
    )


def print_top(database: Path, limit: int) -> None:
    rows = top_leads(database, limit)
    print(f"{'rank':>5} {'lead_id':<12} {'rating':<7} {'cell':<4} {'stage':<12} "
          f"{'fit':>5} {'behaviour':>9}  top reasons")
    for rank, lead_id, rating, cell, stage, fit, behaviour, contactable, reasons, *_ in rows:
        stage_text = stage if contactable else f"{stage}*"
        print(f"{rank:>5} {lead_id:<12} {rating:<7} {cell:<4} {stage_text:<12} "
              f"{fit:>5.0f} {behaviour:>9.2f}  {reasons}")
    if rows:
        print(f"score_date {rows[0][9]}  rules_version {rows[0][10]}  (* do not contact)")
    for title, column in (("grade", "grade"), ("stage", "lifecycle_stage")):
        summary = query(database, f"select {column}, count(*) from marts.lead_scores "
                                  f"group by {column} order by {column}")
        print(f"leads per {title}: " + ", ".join(f"{key} {count:,}" for key, count in summary))


def print_ceiling(database: Path, raw: Path) -> None:
    """The generated data's hidden propensity ranks the holdout best: the ceiling."""
    from lead_scoring import predictive

    ceiling = predictive.ceiling_auc(database, raw / "_truth.parquet")
    if ceiling is not None:
        _say(f"the generator's hidden propensity ranks the same holdout at ROC AUC "
             f"{ceiling:.3f} (the ceiling no score can beat on this data)")


def cmd_top(args: argparse.Namespace) -> int:
    _require_db(args.db)
    print_top(args.db, args.limit)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Generate sample data, build (models + unit and data tests), validate, report, show.

    The warehouse is first built as of the calibration date (the data's end less
    the calibration window), then as of the end date, so the calibration can
    compare the earlier scores with what happened since.
    """
    report_path = args.out
    args.out, args.format = args.raw, "parquet"
    cmd_generate(args)
    args.out = report_path
    end = manifest_end_date(args.raw)
    if args.db.exists():
        args.db.unlink()  # a demo starts from an empty warehouse, history included
    args.full_refresh = True
    args.loaded_at_column = None  # the generated raw files are snapshots
    window_days = int(_setting(args, "calibration_window_days"))
    args.score_date = (end - timedelta(days=window_days)).isoformat()
    # The first build makes the history calibration needs: no status lines, no data
    # tests and nothing published; the second tests every row (the first day's too)
    # before it publishes, and validate tests them all again.
    publish = args.publish
    args.status_lines, args.data_tests, args.publish = False, False, None
    if cmd_build(args) != 0:
        return 1
    args.status_lines, args.data_tests, args.publish = True, True, publish
    args.full_refresh, args.test_whole_tables = False, True
    args.score_date = None
    if cmd_build(args) != 0:
        return 1
    args.seeds, args.min_support, args.suggestions = DEFAULT_SEEDS, 25, None
    args.apply, args.rebuild = False, True
    if cmd_calibrate(args) != 0:
        return 1
    if cmd_validate(args) != 0:
        return 1
    cmd_report(args)
    print_ceiling(args.db, args.raw)
    print_top(args.db, args.limit)
    _say(f"the demo trained a model on the sample data into {args.seeds / 'predictive_model.csv'}"
         f"; before building your own data, retrain (lead-scoring calibrate) or empty it "
         f"(git checkout seeds/scoring/predictive_model.csv)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lead-scoring",
        description="Lead-scoring warehouse: sample data, dbt build, top leads.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, default=DEFAULT_DB,
                       help=f"DuckDB warehouse file (default {DEFAULT_DB})")

    def add_vars(p: argparse.ArgumentParser) -> None:
        p.add_argument("--var", type=_var, action="append", metavar="NAME=VALUE",
                       help="set a var of dbt_project.yml for this run (repeatable), "
                            "e.g. --var mql_min_behaviour_score=40")

    def add_raw(p: argparse.ArgumentParser, verb: str) -> None:
        p.add_argument("--raw", type=Path, default=None,
                       help=f"folder of raw files {verb} (default {DEFAULT_RAW} when it "
                            f"exists, else the raw schema of the warehouse)")
        p.add_argument("--format", choices=["parquet", "csv"], default=None,
                       help="format of the raw files (default: the one crm_leads has)")

    def add_generate_options(p: argparse.ArgumentParser, leads: int, events: int) -> None:
        p.add_argument("--leads", type=_positive_int, default=leads,
                       help=f"number of leads (default {leads})")
        p.add_argument("--events", type=_positive_int, default=events,
                       help=f"approximate number of events (default {events})")
        p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        p.add_argument("--end-date", type=_date, default=date(2026, 11, 15).isoformat(),
                       help="last day of the data, YYYY-MM-DD (default 2026-11-15)")

    def add_build_options(p: argparse.ArgumentParser) -> None:
        add_db(p)
        add_raw(p, "to build from")
        add_vars(p)
        p.add_argument("--score-date", type=_date, default=None,
                       help="score as of this date (default: the raw data's end date "
                            "when known, else today)")
        p.add_argument("--full-refresh", action="store_true",
                       help="rebuild every table and seed from scratch (history is kept)")
        p.add_argument("--loaded-at-column", default=None, metavar="COLUMN",
                       help="the raw web and email event tables' loader timestamp column "
                            "(e.g. _loaded_at): a run lands the rows delivered since the "
                            "last one (default: find arrivals by key in full snapshots)")
        p.add_argument("--publish", type=Path, default=DEFAULT_PUBLISHED,
                       help="after a successful build, swap the marts into this file for BI "
                            f"readers (default {DEFAULT_PUBLISHED}); --no-publish to skip")
        p.add_argument("--no-publish", dest="publish", action="store_const", const=None)
        p.add_argument("--allow-shrink", action="store_true",
                       help="build although a raw table shrank sharply since the last build "
                            "(confirms a real purge; the volume guard stops it otherwise)")
        p.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                       help="when another build holds the warehouse, wait this long for it "
                            "(default 0: stop at once, naming the running build)")
        p.add_argument("--quiet", dest="progress", action="store_false",
                       help="do not print a line per finished model and test")
        p.add_argument("--unit-tests", action="store_true",
                       help="also run the dbt unit tests (CI runs them; a build checks the "
                            "data with the data tests)")
        p.add_argument("--test-whole-tables", action="store_true",
                       help="data tests check every row of the incremental models (by "
                            "default an incremental build tests the rows it wrote; a full "
                            "refresh tests everything)")

    gen = sub.add_parser("generate", help="write deterministic sample raw data")
    add_generate_options(gen, 2_000, 100_000)
    gen.add_argument("--out", type=Path, default=DEFAULT_RAW,
                     help=f"folder for the raw files (default {DEFAULT_RAW})")
    gen.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    gen.add_argument("--world", choices=WORLDS, default="b2b",
                     help="b2b (the sample), b2c, low_base_rate, few_conversions or "
                          "anti_rules: worlds unlike the sample to try predictive scoring on")
    gen.set_defaults(func=cmd_generate)

    build = sub.add_parser("build", help="dbt build (seeds, models, data tests)",
                           epilog=_settings_help(),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_options(build)
    build.set_defaults(func=cmd_build)

    run = sub.add_parser(
        "run", help="the scheduled run: build, fail on stale sources, one summary line, "
                    "dbt's run results kept", epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_options(run)
    run.add_argument("--allow-stale", action="store_true",
                     help="score and publish although a source is more than 3 days older "
                          "than the score date (the run fails otherwise)")
    run.add_argument("--runs-dir", type=Path, default=None,
                     help="where each run's dbt artifacts and summary are kept (default: "
                          "runs/ beside the warehouse; the newest 30 are kept)")
    run.set_defaults(func=cmd_run, progress=False)

    calibrate = sub.add_parser(
        "calibrate", help="fit the predictive model on the warehouse's history and rescore")
    add_db(calibrate)
    calibrate.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                           help="folder of the scoring seeds the model is written to")
    calibrate.add_argument("--min-support", type=_positive_int, default=25,
                           help="training observations a category or bin needs to be a "
                                "feature; rarer values are pooled (default 25)")
    calibrate.add_argument("--suggestions", type=Path, default=None,
                           help="folder for the suggested rule seeds and their diff "
                                "(default: suggested_rules/ beside the warehouse)")
    calibrate.add_argument("--apply", action="store_true",
                           help="write the suggested rules into the scoring seeds "
                                "(changes the rules version)")
    calibrate.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                           help="only write the model; do not rescore the warehouse")
    calibrate.set_defaults(func=cmd_calibrate)

    validate = sub.add_parser("validate", help="run the data tests on the built warehouse")
    add_db(validate)
    add_raw(validate, "the warehouse was built from")
    add_vars(validate)
    validate.add_argument("--score-date", type=_date, default=None,
                          help="judge freshness as of this date (default: the warehouse's "
                               "latest score date)")
    validate.set_defaults(func=cmd_validate)

    report = sub.add_parser("report", help="write the HTML report (charts work offline)")
    add_db(report)
    report.add_argument("--out", type=Path, default=DEFAULT_REPORT,
                        help=f"HTML file to write (default {DEFAULT_REPORT})")
    add_vars(report)
    report.add_argument("--scoring-model", default=None, metavar="NAME",
                        help="report on this scoring model of the rules (default: the one "
                             "lead_scores shows, var default_scoring_model)")
    report.set_defaults(func=cmd_report)

    docs = sub.add_parser("docs", help="generate the dbt docs site (models, columns, lineage)")
    add_db(docs)
    docs.set_defaults(func=cmd_docs)

    top = sub.add_parser("top", help="print the top leads from the lead_scores mart")
    add_db(top)
    top.add_argument("--limit", type=_positive_int, default=15)
    top.set_defaults(func=cmd_top)

    demo = sub.add_parser("demo", help="generate sample data, build, validate, report, "
                                       "show top leads (starts from an empty warehouse)")
    add_generate_options(demo, 6_000, 300_000)
    add_db(demo)
    demo.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                      help=f"folder for the raw files (default {DEFAULT_RAW})")
    demo.add_argument("--limit", type=_positive_int, default=15)
    demo.add_argument("--out", type=Path, default=DEFAULT_REPORT,
                      help=f"HTML report to write (default {DEFAULT_REPORT})")
    demo.add_argument("--publish", type=Path, default=DEFAULT_PUBLISHED,
                      help=f"published marts for BI readers (default {DEFAULT_PUBLISHED})")
    demo.set_defaults(func=cmd_demo, progress=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
