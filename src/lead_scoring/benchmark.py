"""Benchmark: full build, one daily incremental run, peak memory, and a
hand-written DuckDB reference query, for each size given.

    python -m lead_scoring.benchmark --sizes 100000:3000000 300000:10000000

Each size is LEADS:EVENTS. For each, the generator writes the data; the events
of the last day are held back; a full build scores as of the day before; the
last day's events are added and an incremental build scores that day, twice
from copies of the same warehouse: finding the arrivals by key in the full raw
snapshots, and by the loader timestamp (_loaded_at) that the benchmark adds to
the web and email event tables. Every build after the first reuses dbt's
saved parse, as a scheduler's daily run does (the score date, the raw folder
and the loader-timestamp column reach dbt through the environment). Each build
runs in its own process, so its
peak memory is measured alone. dbt's own time and the models' time are read
from run_results.json. The reference is one hand-written DuckDB query
computing the behaviour score per lead (the heavy, per-event part) from the
same raw files, matching each regular expression once per distinct value as a
careful hand-written query does; beside it the floors of benchmark_floors.py
(reading every raw row, fit and behaviour in one query, rolling a per-(lead,
rule) state forward one day). The benchmark process itself (generator,
reference, floors) reports its peak memory too. After the full build,
`lead-scoring calibrate` fits the predictive model in its own process
(training features of the snapshots read from the warehouse, definitions,
cross-validation, fit, the model seed and the suggested rules written), timed
with its peak memory; the builds run in a copy of the project, and calibrate
writes its model into the copy's seeds, so the daily runs after it score with
the trained model as a user's scheduled runs do; the build that first scores
with it (calibrate's own rebuild, for a user) runs apart, timed, before them.
The builds run with
--no-publish; the BI file is published after the full build and again after
the daily run (which syncs the first), each in its own process and timed apart
(the scheduled run publishes after its build). Last, the next day's run with
nothing new (the same raw files, the score date one day on) and its publish.
With --history-days DAYS, the warehouse gets DAYS earlier days of history before
the daily runs (copies of its latest day), as after DAYS daily runs: what
grows with a scheduled warehouse's age (the copies a build and a publish make)
is then measured at that age.
Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from lead_scoring import benchmark_floors as floors
from lead_scoring.dbt_runner import PROJECT_DIR, copy_project, without_trained_model
from lead_scoring.generator import RAW_TABLES, generate
from lead_scoring.transaction import clone_or_copy

EVENT_TABLES = {"web_events", "email_events", "activities"}


@dataclass
class Run:
    seconds: float  # the whole process, dbt start-up and parsing included
    dbt_seconds: float  # dbt's own elapsed time for the run
    model_seconds: float  # sum of model and seed execution times
    test_seconds: float  # sum of data and unit test execution times
    peak_mb: float
    copy_seconds: float  # waiting for the copy of the warehouse (all-or-nothing build)
    copy_total_seconds: float  # the copy itself, made while dbt starts
    swap_seconds: float  # checkpointing the copy and renaming it over the warehouse


def _run_build(raw: Path, database: Path, score_date: str, full_refresh: bool,
               keep_results: Path, project: Path, loaded_at_column: str | None = None) -> Run:
    command = [sys.executable, "-m", "lead_scoring.cli", "build", "--raw", str(raw),
               "--db", str(database), "--score-date", score_date, "--no-publish", "--quiet"]
    if full_refresh:
        command.append("--full-refresh")
    if loaded_at_column:
        command += ["--loaded-at-column", loaded_at_column]
    seconds, peak_mb, output = _run_measured(command, "build", project)
    copied = re.search(r"warehouse for an all-or-nothing build ([\d.]+)s: (?:copying|cloning) "
                       r"took ([\d.]+)s, the rest beside dbt's start-up; swapping it in "
                       r"([\d.]+)s", output)
    results_file = project / "target" / "run_results.json"
    shutil.copy(results_file, keep_results)  # per-node timings, for profiling
    results = json.loads(results_file.read_text())
    model_seconds = sum(result["execution_time"] for result in results["results"]
                        if result["unique_id"].startswith(("model.", "seed.")))
    test_seconds = sum(result["execution_time"] for result in results["results"]
                       if result["unique_id"].startswith(("test.", "unit_test.")))
    return Run(seconds, results["elapsed_time"], model_seconds, test_seconds, peak_mb,
               *(float(group) for group in copied.groups()))


def _run_measured(command: list[str], what: str,
                  project: Path | None = None) -> tuple[float, float, str]:
    """Run a command in its own process (on the project copy `project`, when given):
    seconds, peak resident MB and its output."""
    env = dict(os.environ)
    if project is not None:
        env.update(LEAD_SCORING_PROJECT_DIR=str(project), DBT_TARGET_PATH=str(project / "target"))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _peak_rss_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{output[-3000:]}")
    return seconds, peak_kb / 1024, output


def _run_publish(database: Path, work: Path) -> tuple[float, float]:
    """Publish the BI file from database to work/published, in its own process (as
    the scheduled run does after a build): seconds and peak MB."""
    seconds, peak_mb, _ = _run_measured(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from lead_scoring.publish import publish; "
         "publish(Path(sys.argv[1]), Path(sys.argv[2]))",
         str(database), str(work / "published" / "published.duckdb")], "publish")
    return seconds, peak_mb


def _peak_rss_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM, KB), 0 once it is gone.

    Not getrusage's ru_maxrss: a child forked from this (large) process
    starts with the parent's peak, which would be reported as the build's."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


# The event tables that carry a loader timestamp (LOADED_AT) in the benchmark:
# the held-back data was delivered the evening before the last day, the last
# day's events that evening.
DELIVERED_TABLES = {"web_events", "email_events"}
LOADED_AT = "_loaded_at"


def _split_last_day(raw: Path, held: Path, last_day: date) -> None:
    """held: every raw table, the event tables without the last day's events.

    The web and email event tables of both get a LOADED_AT column."""
    held.mkdir(parents=True, exist_ok=True)
    before, on = (f"timestamp '{day} 23:00:00'" for day in (last_day - timedelta(days=1),
                                                              last_day))
    with duckdb.connect() as con:
        # within the benchmark process's budget (the sort by LOADED_AT spills)
        con.execute(f"set memory_limit = '{floors.MEMORY_LIMIT}'")
        for table in RAW_TABLES:
            source, target = raw / f"{table}.parquet", held / f"{table}.parquet"
            if table in EVENT_TABLES:
                is_held = f"cast(occurred_at as date) < date '{last_day}'"
                stamp = (f", case when {is_held} then {before} else {on} end as {LOADED_AT}"
                         if table in DELIVERED_TABLES else "")
                con.execute(f"copy (select *{stamp} from read_parquet('{source}') "
                            f"where {is_held}) to '{target}' (format parquet)")
                if stamp:
                    # the last day's delivery after the earlier ones, as a
                    # loader appends (the snapshot way reads every row anyway)
                    stamped = raw / f"{table}.stamped.parquet"
                    con.execute(f"copy (select *{stamp} from read_parquet('{source}') "
                                f"order by {LOADED_AT}) to '{stamped}' (format parquet)")
                    stamped.replace(source)
            else:
                shutil.copy(source, target)
    shutil.copy(raw / "_generated.json", held / "_generated.json")


REFERENCE = (PROJECT_DIR / "src" / "lead_scoring" / "reference_scoring.sql")


def _reference(raw: Path, seeds: Path, score_date: str) -> tuple[float, dict[str, float]]:
    sql = REFERENCE.read_text().format(raw=raw.as_posix(), seeds=seeds.as_posix(),
                                      score_date=score_date)
    with duckdb.connect() as con:
        floors.configure(con)
        started = time.perf_counter()
        rows = con.execute(sql).fetchall()
        return time.perf_counter() - started, dict(rows)


def _largest_difference(database: Path, reference: dict[str, float]) -> float:
    """How far the models' behaviour scores are from the reference's (0 = same)."""
    with duckdb.connect(str(database), read_only=True) as con:
        scores = dict(con.execute(
            "select lead_id, behaviour_score from intermediate.int_lead_behaviour_scored "
            "where scoring_model = 'default'").fetchall())
    return max((abs(score - reference.get(lead_id, 0.0)) for lead_id, score in scores.items()),
               default=0.0)


def _warehouse_difference(database: Path, other: Path) -> float:
    """How far two warehouses' lead scores are apart (0 = same), after the
    same daily run found its arrivals in two ways."""
    statement = ("select lead_id, scoring_model, fit_points + behaviour_score "
                 "from intermediate.int_lead_scores_combined")
    scores = []
    for path in (database, other):
        with duckdb.connect(str(path), read_only=True) as con:
            scores.append({(lead, model): score
                           for lead, model, score in con.execute(statement).fetchall()})
    if scores[0].keys() != scores[1].keys():
        return float("inf")
    return max((abs(score - scores[1][key]) for key, score in scores[0].items()), default=0.0)


def _rows_landed_by(database: Path, results_file: Path) -> int:
    """Rows the build of results_file landed in the event staging tables."""
    run = json.loads(results_file.read_text())["metadata"]["invocation_id"]
    with duckdb.connect(str(database), read_only=True) as con:
        return sum(con.execute(f"select count(*) from staging.{table} where loaded_run = ?",
                               [run]).fetchone()[0]
                   for table in ("stg_web__events", "stg_email__events"))


def _project_copy(work: Path) -> Path:
    """A copy of the project for the benchmark's builds, without a trained model
    (whatever the project's seed holds, e.g. the demo's): calibrate writes its model
    into the copy's seeds (the project's own seeds stay as they are)."""
    return without_trained_model(copy_project(work / "project", project_dir=PROJECT_DIR))


def _run_calibrate(database: Path, work: Path, project: Path) -> tuple[float, float, int]:
    """Seconds and peak MB of `lead-scoring calibrate` on the warehouse, which writes the
    trained model into the project copy's seeds, and the model's feature count."""
    seeds = project / "seeds" / "scoring"
    command = [sys.executable, "-m", "lead_scoring.cli", "calibrate", "--db", str(database),
               "--seeds", str(seeds), "--suggestions", str(work / "suggested_rules"),
               "--no-rebuild"]
    seconds, peak_mb, output = _run_measured(command, "calibrate", project)
    print(output.strip(), flush=True)
    features = len((seeds / "predictive_model.csv").read_text().splitlines()) - 1
    return seconds, peak_mb, features


def _leads_scored_by_the_model(database: Path) -> int:
    """Leads of lead_scores with a conversion probability (0 while no model is trained)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select count(conversion_probability) from marts.lead_scores"
                           ).fetchall()[0][0]


# The prediction models: the observations and outcomes, the training features (a view),
# the stored part of the scores and the activity state, today's features and the scores.
PREDICTION_MODELS = ("int_prediction_", "int_lead_predictive_", "int_lead_feature_state",
                     "int_lead_features")


def _prediction_model_seconds(results_file: Path) -> float:
    """Seconds a build spent on the prediction models (PREDICTION_MODELS)."""
    results = json.loads(results_file.read_text())["results"]
    return sum(r["execution_time"] for r in results
               if r["unique_id"].startswith("model.")
               and r["unique_id"].split(".")[-1].startswith(PREDICTION_MODELS))


# The history marts a scheduled warehouse accumulates, one score_date a run.
AGED_HISTORY = ("lead_score_history", "lead_segment_history")


def _age_history(database: Path, days: int) -> None:
    """Give the warehouse `days` earlier days of history, as a scheduler's warehouse has
    after that many daily runs: each history mart's latest day copied to each earlier
    date (written by a run named aged-history). Both copies an all-or-nothing build and
    a publish make grow with it, unless the file system clones them."""
    with duckdb.connect(str(database)) as con:
        for table in AGED_HISTORY:
            (latest,) = con.execute(f"select max(score_date) from marts.{table}").fetchone()
            for back in range(1, days + 1):
                con.execute(f"insert into marts.{table} select * replace (score_date - {back} "
                            f"as score_date, 'aged-history' as loaded_run) "
                            f"from marts.{table} where score_date = ?", [latest])


def _copy_measured(database: Path, work: Path) -> dict[str, float]:
    """What every build after the first pays for all-or-nothing: a copy of the built
    warehouse, timed the way the build copies it (a clone where the file system can)."""
    started = time.perf_counter()
    cloned = clone_or_copy(database, work / "copy_of_warehouse.duckdb")
    copy_seconds = time.perf_counter() - started
    (work / "copy_of_warehouse.duckdb").unlink()
    return {"warehouse_mb": database.stat().st_size / 2**20,
            "warehouse_copy_s": copy_seconds, "warehouse_cloned": cloned}


def bench(leads: int, events: int, work: Path, end_date: date,
          predictive_only: bool = False, history_days: int = 0) -> dict[str, float]:
    raw, held = work / "raw", work / "held"
    started = time.perf_counter()
    generate(raw, leads=leads, events=events, end_date=end_date)
    generate_seconds = time.perf_counter() - started
    event_rows = 0
    with duckdb.connect() as con:
        for table in EVENT_TABLES:
            event_rows += con.execute(
                f"select count(*) from read_parquet('{raw / (table + '.parquet')}')"
            ).fetchall()[0][0]
    _split_last_day(raw, held, end_date)
    # Every warehouse under the CLI's file name (dbt reuses its parse for the same name).
    database = work / "warehouse" / "lead_scoring.duckdb"
    day_before = (end_date - timedelta(days=1)).isoformat()
    project = _project_copy(work)
    full = _run_build(held, database, day_before, full_refresh=True,
                      keep_results=work / "full_run_results.json", project=project,
                      loaded_at_column=LOADED_AT)
    full_publish_seconds, _ = _run_publish(database, work)
    # From here on the project copy has a trained model: the daily runs score with it.
    calibrate_seconds, calibrate_peak_mb, model_features = _run_calibrate(
        database, work, project)
    predictive = {
        "predictive_models_s": _prediction_model_seconds(work / "full_run_results.json"),
        "calibrate_s": calibrate_seconds, "calibrate_peak_mb": calibrate_peak_mb,
        "model_features": model_features,
    }
    # the first build had nothing to copy
    full_copy = {"full_copy_s": full.copy_seconds, "full_swap_s": full.swap_seconds}
    if predictive_only:
        return {"leads": leads, "events": event_rows, "generate_s": generate_seconds,
                "full_build_s": full.seconds, "full_model_s": full.model_seconds,
                **predictive, **_copy_measured(database, work), **full_copy}
    # A user's `lead-scoring calibrate` rescores with its new model right away (its
    # rebuild: every lead's stored profile part and feature state computed again). The
    # benchmark runs that build apart, timed, so that the daily runs after it measure
    # a day like the others, not the day the model changed.
    rescore = _run_build(held, database, day_before, full_refresh=False,
                         keep_results=work / "rescore_run_results.json", project=project,
                         loaded_at_column=LOADED_AT)
    if history_days:
        # A warehouse some days old: its history aged, published once untimed (the
        # daily publishes then sync as they would).
        _age_history(database, history_days)
        _run_publish(database, work)
    # the copy measured on the warehouse the daily runs copy
    all_or_nothing = {**_copy_measured(database, work), **full_copy,
                      "history_days": history_days}
    reference_seconds, reference = _reference(held, PROJECT_DIR / "seeds", day_before)
    difference = _largest_difference(database, reference)
    del reference
    floor_seconds = {
        "floor_raw_scan_s": floors.raw_scan(held),
        "floor_one_query_s": floors.one_query_score(held, PROJECT_DIR / "seeds", day_before),
        "floor_roll_forward_s": floors.roll_forward(held, raw, PROJECT_DIR / "seeds",
                                                    day_before, end_date.isoformat()),
    }
    # The same daily run twice, from copies of the same warehouse: arrivals
    # found by key in the full snapshots, and by the loader's timestamp.
    by_loaded_at = work / "by_loaded_at" / "lead_scoring.duckdb"
    by_loaded_at.parent.mkdir()
    clone_or_copy(database, by_loaded_at)
    daily_loaded_at = _run_build(raw, by_loaded_at, end_date.isoformat(), full_refresh=False,
                                 keep_results=work / "daily_loaded_at_run_results.json",
                                 project=project, loaded_at_column=LOADED_AT)
    daily = _run_build(raw, database, end_date.isoformat(), full_refresh=False,
                       keep_results=work / "daily_run_results.json", project=project)
    daily_scored_by_model = _leads_scored_by_the_model(database)
    daily_difference = _warehouse_difference(database, by_loaded_at)
    by_loaded_at.unlink()
    # What the scheduled run does next (the builds run with --no-publish): publish
    # the BI file from the daily warehouse, syncing the full build's publish.
    publish_seconds, publish_peak_mb = _run_publish(database, work)
    # The next day with nothing new: the same raw files, the score date one day on
    # (decay still moves every lead's behaviour score), and its publish.
    next_day = (end_date + timedelta(days=1)).isoformat()
    nothing_new = _run_build(raw, database, next_day, full_refresh=False,
                             keep_results=work / "nothing_new_run_results.json",
                             project=project)
    nothing_new_publish_seconds, _ = _run_publish(database, work)
    landed = {"daily_landed_rows": _rows_landed_by(database, work / "daily_run_results.json"),
              "nothing_new_landed_rows": _rows_landed_by(
                  database, work / "nothing_new_run_results.json")}
    return {
        "leads": leads, "events": event_rows, "generate_s": generate_seconds,
        "full_build_s": full.seconds, "full_model_s": full.model_seconds,
        "full_test_s": full.test_seconds,
        "full_startup_s": full.seconds - full.dbt_seconds,
        "full_peak_mb": full.peak_mb,
        "daily_build_s": daily.seconds, "daily_model_s": daily.model_seconds,
        "daily_peak_mb": daily.peak_mb,
        "daily_loaded_at_model_s": daily_loaded_at.model_seconds,
        "daily_loaded_at_peak_mb": daily_loaded_at.peak_mb,
        "daily_modes_max_difference": daily_difference,
        "reference_s": reference_seconds,
        "reference_max_difference": difference,
        **floor_seconds,
        "daily_vs_full_build": daily.seconds / full.seconds,
        "full_publish_s": full_publish_seconds,
        "daily_publish_s": publish_seconds, "daily_publish_peak_mb": publish_peak_mb,
        "daily_and_publish_vs_full_build": (daily.seconds + publish_seconds) / full.seconds,
        # this process: the generator, the reference and the floors (builds run apart)
        "benchmark_peak_mb": _peak_rss_kb(os.getpid()) / 1024,
        "model_vs_reference": full.model_seconds / reference_seconds,
        "daily_vs_full_model": daily.model_seconds / full.model_seconds,
        "daily_loaded_at_vs_full_model": daily_loaded_at.model_seconds / full.model_seconds,
        **predictive, **all_or_nothing,
        "daily_copy_s": daily.copy_seconds, "daily_copy_total_s": daily.copy_total_seconds,
        "daily_swap_s": daily.swap_seconds,
        "nothing_new_build_s": nothing_new.seconds,
        "nothing_new_model_s": nothing_new.model_seconds,
        "nothing_new_test_s": nothing_new.test_seconds,
        "nothing_new_publish_s": nothing_new_publish_seconds,
        "nothing_new_vs_full_build": nothing_new.seconds / full.seconds,
        "nothing_new_and_publish_vs_full_build":
            (nothing_new.seconds + nothing_new_publish_seconds) / full.seconds,
        **landed,
        # the trained model's share of the daily runs, and of the build after training
        "rescore_s": rescore.seconds,
        "rescore_predictive_models_s": _prediction_model_seconds(
            work / "rescore_run_results.json"),
        "daily_scored_by_model": daily_scored_by_model,
        "daily_predictive_models_s": _prediction_model_seconds(work / "daily_run_results.json"),
        "nothing_new_predictive_models_s": _prediction_model_seconds(
            work / "nothing_new_run_results.json"),
    }


def fixed_cost_lines(rows: list[dict]) -> list[str]:
    """With two sizes or more: the smallest size's daily and nothing-new runs (each with
    its publish) as shares of the largest size's full build. At a small size the data
    costs next to nothing, so these runs are what every run costs whatever the data: dbt
    running each model, seed and test, the copy, the swap, the publish's start-up. A
    daily-run target below that share cannot be met by computing less."""
    if len(rows) < 2:
        return []
    small, large = min(rows, key=lambda r: r["leads"]), max(rows, key=lambda r: r["leads"])
    full = large["full_build_s"]
    runs = [("a daily run", small["daily_build_s"], small["daily_publish_s"]),
            ("a run with nothing new", small["nothing_new_build_s"],
             small["nothing_new_publish_s"])]
    return [f"\nfixed cost of a run, measured at {small['leads']:,} leads against the "
            f"{large['leads']:,}-lead full build ({full:.1f} s):"] + [
        f"- {what} {seconds:.1f} s and its publish {publish:.1f} s: "
        f"{seconds / full:.1%} ({(seconds + publish) / full:.1%}) of it"
        for what, seconds, publish in runs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lead_scoring.benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["20000:500000"],
                        help="LEADS:EVENTS pairs (default 20000:500000)")
    parser.add_argument("--end-date", default="2026-11-15")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for data and warehouses (default: a temporary one)")
    parser.add_argument("--predictive-only", action="store_true",
                        help="only the full build and the predictive fit (no daily runs, "
                             "no reference)")
    parser.add_argument("--history-days", type=int, default=0, metavar="DAYS",
                        help="before the daily runs, give the warehouse DAYS earlier days "
                             "of history (copies of its latest day), as a scheduler's "
                             "warehouse has after DAYS daily runs (default 0)")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        leads, events = (int(part.replace("_", "")) for part in size.split(":"))
        work = args.work or Path(tempfile.mkdtemp(prefix="lead-scoring-bench-"))
        folder = work / f"{leads}_{events}"
        shutil.rmtree(folder, ignore_errors=True)
        print(f"[benchmark] {leads:,} leads, {events:,} events ...", flush=True)
        result = bench(leads, events, folder, date.fromisoformat(args.end_date),
                       predictive_only=args.predictive_only, history_days=args.history_days)
        rows.append(result)
        print(json.dumps(result, indent=2), flush=True)
    print("\n| leads | events | prediction models in the full build s (no model yet) | "
          "calibrate s (features of the snapshots, fit, seeds) | calibrate peak MB | "
          "features of the trained model |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['leads']:,} | {r['events']:,} | {r['predictive_models_s']:.1f} | "
              f"{r['calibrate_s']:.1f} | {r['calibrate_peak_mb']:.0f} | "
              f"{r['model_features']} |")
    for r in rows:
        daily = (f"; the daily run waited {r['daily_copy_s']:.1f} s for its copy (made in "
                 f"{r['daily_copy_total_s']:.1f} s while dbt started) and swapped it in "
                 f"{r['daily_swap_s']:.1f} s of {r['daily_build_s']:.1f} s"
                 if "daily_copy_s" in r else "")
        aged = (f", with {r['history_days']} earlier days of history"
                if r.get("history_days") else "")
        print(f"\nall-or-nothing at {r['leads']:,} leads{aged}: a build "
              f"{'clones (copy-on-write)' if r['warehouse_cloned'] else 'copies'} the warehouse "
              f"({r['warehouse_mb']:.0f} MB) in {r['warehouse_copy_s']:.1f} s "
              f"({r['warehouse_copy_s'] / r['full_build_s']:.1%} of the full build's "
              f"{r['full_build_s']:.1f} s); the first full build swapped its copy in "
              f"{r['full_swap_s']:.1f} s{daily}")
    if args.predictive_only:
        return 0
    print("\n| leads | events | full build s (models / tests / dbt start-up) | "
          "daily run s (models) | daily / full build wall | "
          "publish s after the full build / after the daily run "
          "(daily + publish / full build wall) | "
          "daily models s, by loader timestamp | "
          "reference s | models / reference | daily / full models (by timestamp) | "
          "peak MB full / daily / by timestamp / benchmark process |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['leads']:,} | {r['events']:,} | {r['full_build_s']:.1f} "
              f"({r['full_model_s']:.1f} / {r['full_test_s']:.1f} / "
              f"{r['full_startup_s']:.1f}) | "
              f"{r['daily_build_s']:.1f} ({r['daily_model_s']:.1f}) | "
              f"{r['daily_vs_full_build']:.2f} | "
              f"{r['full_publish_s']:.1f} / {r['daily_publish_s']:.1f} "
              f"({r['daily_and_publish_vs_full_build']:.2f}) | "
              f"{r['daily_loaded_at_model_s']:.1f} | {r['reference_s']:.1f} | "
              f"{r['model_vs_reference']:.2f} | {r['daily_vs_full_model']:.2f} "
              f"({r['daily_loaded_at_vs_full_model']:.2f}) | "
              f"{r['full_peak_mb']:.0f} / {r['daily_peak_mb']:.0f} / "
              f"{r['daily_loaded_at_peak_mb']:.0f} / {r['benchmark_peak_mb']:.0f} |")
    print("\n| leads | nothing new, next day: run s (models / tests) | publish s | "
          "run / full build wall (run + publish) | the trained model's features and "
          "scores s in the daily run / nothing new (leads it scored) | the build after "
          "training s (its prediction models) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['leads']:,} | {r['nothing_new_build_s']:.1f} "
              f"({r['nothing_new_model_s']:.1f} / {r['nothing_new_test_s']:.1f}) | "
              f"{r['nothing_new_publish_s']:.1f} | {r['nothing_new_vs_full_build']:.2f} "
              f"({r['nothing_new_and_publish_vs_full_build']:.2f}) | "
              f"{r['daily_predictive_models_s']:.1f} / "
              f"{r['nothing_new_predictive_models_s']:.1f} "
              f"({r['daily_scored_by_model']:,}) | {r['rescore_s']:.1f} "
              f"({r['rescore_predictive_models_s']:.1f}) |")
    print("\nFloors (benchmark_floors.py), beside the project's figures:\n")
    print("| leads | read every raw row s | fit + behaviour in one query s "
          "(vs full build models) | roll a day forward s (vs daily run wall) |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['leads']:,} | {r['floor_raw_scan_s']:.1f} | "
              f"{r['floor_one_query_s']:.1f} ({r['full_model_s']:.1f}) | "
              f"{r['floor_roll_forward_s']:.1f} ({r['daily_build_s']:.1f}) |")
    for line in fixed_cost_lines(rows):
        print(line)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"\ngrowth {first['events']:,} -> {last['events']:,} events "
              f"(x{last['events'] / first['events']:.1f}): full model time "
              f"x{last['full_model_s'] / first['full_model_s']:.1f}, reference "
              f"x{last['reference_s'] / first['reference_s']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
