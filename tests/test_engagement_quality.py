"""Non-human activity, frequency caps and reproducible rule versions (fixtures)."""

from __future__ import annotations

from pathlib import Path

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import FIXTURES, SCORE_DATE, copy_project, edit


def test_scanner_click_two_seconds_after_delivery_scores_nothing(sql):
    # E2 delivered at 08:00:05, E5 clicked at 08:00:07.
    assert sql("select non_human_reason from intermediate.int_activities_flagged "
               "where activity_id = 'email:E5'") == [("email_scanner_fast",)]
    # Matched (so that a changed verdict replaces the row), never scored.
    # (the tables downstream of the stream know an activity by its key)
    e5 = ("activity_key = (select activity_key from intermediate.int_activities_flagged "
          "where activity_id = 'email:E5')")
    assert sql("select distinct is_non_human "
               f"from intermediate.int_activities_rules_matched where {e5}") == [(True,)]
    assert sql("select count(*), count(*) filter (where is_scored) "
               f"from intermediate.int_activities_frequency_capped where {e5}") == [(2, 0)]
    assert sql("select count(*) from intermediate.int_lead_rule_contributions "
               "where lead_id = 'L001' and rule_id = 'B06'") == [(0,)]
    # A human open an hour after delivery still counts.
    assert sql("select is_non_human from intermediate.int_activities_flagged "
               "where activity_id = 'email:E3'") == [(False,)]


def test_bots_and_bursts_are_flagged_and_kept(sql):
    reasons = dict(sql(
        "select non_human_reason, count(*) from intermediate.int_activities_flagged "
        "where is_non_human group by non_human_reason"))
    # W60 is Googlebot; W61-W85 are 25 views by L004 within one minute (limit 20).
    assert reasons == {"email_scanner_fast": 1, "bot_user_agent": 1, "rate_burst": 25}
    assert sql("select lead_id from intermediate.int_activities_flagged "
               "where activity_id = 'web:W60'") == [("L003",)]


def test_eleventh_page_view_in_a_day_scores_nothing(sql):
    rows = sql(
        "select occurrence_in_day, is_scored from intermediate.int_activities_frequency_capped "
        "where lead_id = 'L007' order by occurred_at")
    assert len(rows) == 40
    assert [row[0] for row in rows] == list(range(1, 41))
    assert [row[1] for row in rows] == [True] * 10 + [False] * 30


def test_every_scored_row_carries_version_and_date(sql):
    version = sql("select rules_version from intermediate.int_scoring_rules_versioned")[0][0]
    for model in ("int_activities_decayed", "int_lead_rule_contributions",
                  "int_lead_fit_scored", "int_lead_behaviour_scored"):
        stamps = sql(f"select distinct rules_version, cast(score_date as varchar) "
                     f"from intermediate.{model}")
        assert stamps == [(version, SCORE_DATE)], model


def _rules_version(tmp_path: Path, name: str, change=None) -> str:
    """Copy the project, optionally edit it, and compute its rules version."""
    project = copy_project(tmp_path / name)
    if change:
        change(project)
    database = tmp_path / f"{name}.duckdb"
    warehouse = Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                          score_date=SCORE_DATE)
    run_dbt(["build", "--select", "+int_scoring_rules_versioned",
             "--indirect-selection", "cautious", "--exclude-resource-type", "unit_test"],
            warehouse, project_dir=project)
    version = "select rules_version from intermediate.int_scoring_rules_versioned"
    return query(database, version)[0][0]


def test_changing_one_rule_changes_the_version(tmp_path, sql):
    current = sql("select rules_version from intermediate.int_scoring_rules_versioned")[0][0]

    def email_open_worth_two(project: Path) -> None:
        edit(project / "seeds" / "scoring" / "activity_rules.csv",
             "B05,default,email_open,,1,", "B05,default,email_open,,2,")

    assert _rules_version(tmp_path, "same") == current
    assert _rules_version(tmp_path, "edited", email_open_worth_two) != current
