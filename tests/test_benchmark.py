"""The benchmark runs end to end on a small size, and its hand-written reference
query computes the same behaviour scores as the models (no timing asserted)."""

from __future__ import annotations

import json
import re
from datetime import date

from lead_scoring import benchmark
from lead_scoring.benchmark import bench
from lead_scoring.dbt_runner import PROJECT_DIR, query

PROJECT_SEEDS_MODEL = PROJECT_DIR / "seeds" / "scoring" / "predictive_model.csv"


def _live_leads(work):
    return query(work / "warehouse" / "lead_scoring.duckdb",
                 "select count(*) from marts.lead_scores")[0][0]


def test_benchmark_small_size(tmp_path):
    project_model_before = PROJECT_SEEDS_MODEL.read_text()
    result = bench(1_500, 40_000, tmp_path / "bench", date(2026, 11, 15), history_days=2)
    assert result["leads"] == 1_500
    assert result["reference_max_difference"] < 1e-9
    assert result["full_model_s"] > 0 and result["daily_model_s"] > 0
    assert result["daily_loaded_at_model_s"] > 0
    # the daily run finds the same arrivals by key and by loader timestamp
    assert result["daily_modes_max_difference"] < 1e-9
    assert result["full_peak_mb"] > 0
    # the floors ran on the same files, and the benchmark process measured itself
    assert min(result["floor_raw_scan_s"], result["floor_one_query_s"],
               result["floor_roll_forward_s"]) > 0
    assert result["benchmark_peak_mb"] > 0 and result["daily_vs_full_build"] > 0
    # publishing the BI file after the daily run, as the scheduled run does
    assert (tmp_path / "bench" / "published" / "published.duckdb").exists()
    assert result["daily_and_publish_vs_full_build"] > result["daily_vs_full_build"]
    assert result["full_publish_s"] > 0
    # the all-or-nothing build copies the warehouse and swaps it in (timed, not asserted)
    assert result["warehouse_mb"] > 0 and result["warehouse_copy_s"] > 0
    assert result["full_copy_s"] >= 0 <= result["daily_swap_s"]
    # two earlier days of history before the daily runs (--history-days 2), in the
    # warehouse and, published once, in the BI file: the full build's day (2026-11-14)
    # copied to the 12th and 13th, then the daily run's and the next day's
    assert result["history_days"] == 2
    dates = ("select score_date, count(*) from marts.{} group by all order by all")
    for table in ("lead_score_history", "lead_segment_history"):
        warehouse_days = query(tmp_path / "bench" / "warehouse" / "lead_scoring.duckdb",
                                dates.format(table))
        assert [day for day, _ in warehouse_days] == [date(2026, 11, day)
                                                      for day in range(12, 17)]
        assert warehouse_days[0][1] == warehouse_days[1][1] == warehouse_days[2][1] > 0
        assert query(tmp_path / "bench" / "published" / "published.duckdb",
                      dates.format(table)) == warehouse_days
    # the next day with nothing new: it lands no row (the daily run landed the
    # last day's events), and still runs and publishes (decay moves every score)
    assert result["daily_landed_rows"] > 0
    assert result["nothing_new_landed_rows"] == 0
    assert result["nothing_new_build_s"] > 0 and result["nothing_new_publish_s"] > 0
    # ... and its web identities compiled their empty batch to false (no scan of the
    # landed events; nothing_loaded_this_run)
    compiled = (tmp_path / "bench" / "project" / "target" / "compiled" / "lead_scoring"
                / "models" / "intermediate" / "activities"
                / "int_web_identities_resolved.sql").read_text()
    assert re.search(r"and anonymous_id is not null\s+and false\s", compiled), compiled
    # the predictive model is fitted on the benchmark's warehouse too, into the
    # benchmark's copy of the project, whose daily runs then score every lead with it
    assert result["calibrate_s"] > 0 and result["predictive_models_s"] > 0
    assert result["model_features"] > 1  # more than the intercept
    assert result["daily_scored_by_model"] == _live_leads(tmp_path / "bench") > 0
    assert result["daily_predictive_models_s"] > 0
    # the build after training (calibrate's rebuild) ran apart, before the daily runs
    assert result["rescore_s"] > 0 and result["rescore_predictive_models_s"] > 0
    model = (tmp_path / "bench" / "project" / "seeds" / "scoring" / "predictive_model.csv")
    assert len(model.read_text().splitlines()) == result["model_features"] + 1
    assert PROJECT_SEEDS_MODEL.read_text() == project_model_before


def test_the_benchmark_builds_start_without_a_model(tmp_path, monkeypatch):
    """The benchmark's copy of the project starts with an empty model seed (its full
    build scores without a model; calibrate then trains one for the daily runs), even
    when the project's own seed holds one (the demo leaves one there), which stays."""
    project = tmp_path / "project"
    seed = project / "seeds" / "scoring" / "predictive_model.csv"
    seed.parent.mkdir(parents=True)
    trained = "feature_id,label\n0,base rate\n1,pricing page\n"
    seed.write_text(trained)
    (project / "target").mkdir()
    (project / "target" / "run_results.json").write_text("{}")
    monkeypatch.setattr(benchmark, "PROJECT_DIR", project)
    copy = benchmark._project_copy(tmp_path / "work")
    assert (copy / "seeds" / "scoring" / "predictive_model.csv").read_text() == \
        "feature_id,label\n"
    assert seed.read_text() == trained
    assert not (copy / "target").exists()  # dbt's artifacts are the copy's own


def test_the_prediction_models_seconds_count_every_prediction_model(tmp_path):
    """The model's share of a build: observations, outcomes, the training features, the
    stored part and activity state, today's features, the scores; not their
    data tests, not the other models."""
    from lead_scoring.benchmark import _prediction_model_seconds

    times = {"model.lead_scoring.int_prediction_observations": 1.0,
             "model.lead_scoring.int_prediction_training_features": 2.0,
             "model.lead_scoring.int_lead_predictive_static": 4.0,
             "model.lead_scoring.int_lead_feature_state": 8.0,
             "model.lead_scoring.int_lead_features": 16.0,
             "model.lead_scoring.int_lead_predictive_scored": 32.0,
             "model.lead_scoring.int_lead_rule_state": 64.0,
             "test.lead_scoring.not_null_int_lead_features_lead_id.abc": 128.0}
    results = tmp_path / "run_results.json"
    results.write_text(json.dumps({"results": [
        {"unique_id": node, "execution_time": seconds} for node, seconds in times.items()]}))
    assert _prediction_model_seconds(results) == 63.0


def test_the_fixed_cost_is_the_smallest_sizes_runs_against_the_largest_full_build():
    # hand-computed: 14.0 / 200.0 = 7.0 %, (14.0 + 1.0) / 200.0 = 7.5 %;
    # 15.0 / 200 = 7.5 %, (15.0 + 1.2) / 200 = 8.1 %
    small = {"leads": 20_000, "full_build_s": 18.0, "daily_build_s": 15.0,
             "daily_publish_s": 1.2, "nothing_new_build_s": 14.0,
             "nothing_new_publish_s": 1.0}
    large = {"leads": 1_000_000, "full_build_s": 200.0, "daily_build_s": 100.0,
             "daily_publish_s": 9.0, "nothing_new_build_s": 80.0,
             "nothing_new_publish_s": 7.0}
    assert benchmark.fixed_cost_lines([small]) == []
    lines = benchmark.fixed_cost_lines([large, small])  # order of --sizes does not matter
    assert lines == [
        "\nfixed cost of a run, measured at 20,000 leads against the 1,000,000-lead "
        "full build (200.0 s):",
        "- a daily run 15.0 s and its publish 1.2 s: 7.5% (8.1%) of it",
        "- a run with nothing new 14.0 s and its publish 1.0 s: 7.0% (7.5%) of it"]
