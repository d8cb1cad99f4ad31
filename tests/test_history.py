"""Score history and threshold events over consecutive score dates, and reruns."""

from __future__ import annotations

import pytest

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import DB_FILE, FIXTURES

COUNTS = """
    select
        (select count(*) from marts.lead_score_history),
        (select count(*) from marts.lead_segment_history),
        (select count(*) from marts.lead_threshold_events),
        (select count(*) from marts.lead_reason_history)
"""


@pytest.fixture(scope="module")
def daily(tmp_path_factory):
    """Day 1 (2026-03-30) from scratch, day 2 (2026-03-31), then day 2 again."""
    database = tmp_path_factory.mktemp("daily") / "daily" / DB_FILE

    def run(score_date: str, *flags: str) -> list[tuple]:
        warehouse = Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                              score_date=score_date)
        run_dbt(["build", *flags, "--exclude-resource-type", "unit_test"], warehouse)
        return query(database, COUNTS)

    # Day 2's build runs the data tests on the history as two days left it.
    after_day_1 = run("2026-03-30", "--full-refresh", "--exclude-resource-type", "test")
    after_day_2 = run("2026-03-31")
    after_rerun = run("2026-03-31", "--exclude-resource-type", "test")
    return database, after_day_1, after_day_2, after_rerun


def test_history_has_one_row_per_lead_and_day(daily):
    database, *_ = daily
    rows = query(database, "select cast(score_date as varchar), scoring_model, count(*) "
                           "from marts.lead_score_history group by 1, 2 order by 1, 2")
    # One row per lead, scoring model and day: the fixtures' rules have two models.
    assert rows == [("2026-03-30", "default", 6), ("2026-03-30", "product_analytics", 6),
                    ("2026-03-31", "default", 6), ("2026-03-31", "product_analytics", 6)]


def test_rerunning_a_date_adds_nothing(daily):
    _, after_day_1, after_day_2, after_rerun = daily
    assert after_day_2 == after_rerun
    assert after_day_2[0][0] == 2 * after_day_1[0][0]


def test_lead_crossing_mql_on_day_two_appears_once(daily):
    database, *_ = daily
    events = query(database, "select cast(score_date as varchar), event_type, subject, "
                             "from_value, to_value, cast(previous_score_date as varchar) "
                             "from marts.lead_threshold_events where lead_id = 'L008' "
                             "and scoring_model = 'default' "
                             "order by score_date, event_type, subject")
    # On 2026-03-30 L008 had no activity: a lead in the educational nurture.
    # On 2026-03-31 its trial (25) and webinar (10) make 35: MQL, above the 25
    # line, band 4 -> 2, and it moves to the solution nurture.
    assert events == [
        ("2026-03-30", "segment_entered", "nurture_educational", None, None, None),
        ("2026-03-31", "engagement_band_changed", "engagement_band", "4", "2", "2026-03-30"),
        ("2026-03-31", "segment_entered", "nurture_solution", None, None, "2026-03-30"),
        ("2026-03-31", "segment_left", "nurture_educational", None, None, "2026-03-30"),
        ("2026-03-31", "stage_changed", "lifecycle_stage", "lead", "mql", "2026-03-30"),
        ("2026-03-31", "threshold_crossed_up", "behaviour_25", "0.0", "35.0", "2026-03-30"),
    ]
    mql = [event for event in events if event[4] == "mql"]
    assert len(mql) == 1


def test_first_day_reports_stages_other_than_lead(daily):
    database, *_ = daily
    rows = query(database, "select scoring_model, lead_id, from_value, to_value "
                           "from marts.lead_threshold_events "
                           "where score_date = date '2026-03-30' and event_type = 'stage_changed' "
                           "order by 1")
    # Only the do-not-contact competitor is not a plain lead on day one (in either model).
    assert rows == [("default", "L004", None, "disqualified"),
                    ("product_analytics", "L004", None, "disqualified")]


def test_opportunity_stage_change(daily):
    database, *_ = daily
    rows = query(database, "select scoring_model, from_value, to_value "
                           "from marts.lead_threshold_events "
                           "where lead_id = 'L001' and event_type = 'stage_changed' order by 1")
    assert rows == [("default", "lead", "opportunity"),
                    ("product_analytics", "lead", "opportunity")]


def test_history_velocity_needs_a_week(daily):
    database, *_ = daily
    rows = query(database, "select count(*) from marts.lead_score_history "
                           "where behaviour_change_7d is not null")
    assert rows == [(0,)]


def _edited_copy(daily, tmp_path, statement: str | None = None) -> tuple:
    """A copy of the daily warehouse (with one statement applied, when given), and
    its Warehouse as of 2026-03-31."""
    import shutil

    import duckdb

    database, *_ = daily
    copy = tmp_path / "edited" / DB_FILE
    copy.parent.mkdir()
    shutil.copy(database, copy)
    if statement:
        with duckdb.connect(str(copy)) as con:
            con.execute(statement)
    return copy, Warehouse(database=copy, raw_path=FIXTURES, raw_format="csv",
                           score_date="2026-03-31")


def test_compare_rules_versions_analysis(daily, tmp_path):
    from .conftest import compile_analysis

    # Pretend day one was scored by older rules that graded everyone D.
    copy, warehouse = _edited_copy(
        daily, tmp_path, "update marts.lead_score_history set rules_version = 'old000000000', "
                         "grade = 'D' where score_date = date '2026-03-30'")
    sql = compile_analysis(warehouse, "compare_rules_versions")
    rows = query(copy, sql)
    grades = {row[1]: row[4:] for row in rows if row[0] == "grade"}
    # Version a (old): 6 x D. Version b (current): A x2 (L001, L008), B, C, D x2.
    assert grades == {"A": (0, 2, 2), "B": (0, 1, 1), "C": (0, 1, 1), "D": (6, 2, -4)}
    assert {row[2] for row in rows} == {"old000000000"}


def test_lead_missing_from_the_previous_run_compares_with_its_latest_date(daily, tmp_path):
    # L008 was not scored on 2026-03-30 but on 2026-03-29, as MQL.
    copy, warehouse = _edited_copy(
        daily, tmp_path, "update marts.lead_score_history set score_date = date '2026-03-29', "
                         "lifecycle_stage = 'mql' "
                         "where lead_id = 'L008' and score_date = date '2026-03-30'")
    run_dbt(["run", "--select", "int_lead_score_changes+"], warehouse)
    rows = query(copy, "select cast(previous_score_date as varchar), count(*), "
                       "count(*) filter (where event_type = 'stage_changed') "
                       "from marts.lead_threshold_events "
                       "where lead_id = 'L008' and score_date = date '2026-03-31' "
                       "and scoring_model = 'default' group by 1")
    # Compared with 2026-03-29 (mql then, mql now: no stage change).
    assert rows == [("2026-03-29", 3, 0)]


def test_reason_history_keeps_snapshot_dates_only(daily, tmp_path):
    """Day 1 wrote every lead's reasons; day 2 (one day later) and its rerun wrote none.
    A run 6 days after the snapshot writes none, 7 days after writes its date, and a
    rerun of a snapshot date replaces that date's rows."""
    database, after_day_1, after_day_2, after_rerun = daily
    reasons = after_day_1[0][3]
    assert reasons > 20 and after_day_2[0][3] == reasons and after_rerun[0][3] == reasons
    per_date = ("select cast(score_date as varchar), count(*) "
                "from marts.lead_reason_history group by 1 order by 1")
    assert query(database, per_date) == [("2026-03-30", reasons)]
    copy, warehouse = _edited_copy(daily, tmp_path)
    # The analysis of 2026-03-31 reads the latest snapshot on or before it.
    from .conftest import compile_analysis

    impact = query(copy, compile_analysis(warehouse, "rules_with_most_impact"))
    assert sum(row[2] for row in impact) == query(
        copy, "select count(*) from marts.lead_reason_history "
              "where scoring_model = 'default' and score_date = date '2026-03-30'")[0][0] > 0
    # The reasons a run writes: the current ones (the view over the built tables).
    current = query(copy, "select count(*) from intermediate.int_lead_score_reasons")[0][0]
    for score_date in ("2026-04-05", "2026-04-06", "2026-03-30"):
        warehouse.score_date = score_date
        run_dbt(["run", "--select", "lead_reason_history"], warehouse)
    assert query(copy, per_date) == [("2026-03-30", current), ("2026-04-06", current)]


def test_history_lookups_read_one_date_and_the_live_leads(daily, tmp_path):
    """The daily run's history lookups are decided while the models compile: the
    previous run's date is a literal (the engine skips the other dates' blocks), and
    a lead missing from that run is looked up in the older history only when it is
    live (a lead deleted long ago is not). With two months of history at 1M leads the
    lookups with run-time dates over every missing key took 11 times longer."""
    # a lead that was scored long ago and is gone: not live, and not in the last run
    copy, warehouse = _edited_copy(
        daily, tmp_path, "insert into marts.lead_score_history by name "
                         "select * replace ('GONE1' as lead_id, date '2026-01-05' as score_date) "
                         "from marts.lead_score_history where lead_id = 'L008' "
                         "and score_date = date '2026-03-30'")
    result = run_dbt(["run", "--select", "lead_score_history", "int_lead_score_changes+"],
                     warehouse)
    for model in ("lead_score_history", "int_lead_score_changes"):
        code = next(r.node.compiled_code for r in result.results if r.node.name == model)
        assert "score_date = cast('2026-03-30' as date)" in code, model
        assert "int_leads_enriched" in code, model
    assert query(copy, "select count(*) from marts.lead_threshold_events "
                       "where lead_id = 'GONE1'") == [(0,)]
    assert query(copy, "select count(*) from marts.lead_score_history "
                       "where score_date = date '2026-03-31'") == [(12,)]
