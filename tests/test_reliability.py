"""Broken rules stop the build before anything is scored, naming the rule, and
leave the published marts as they were."""

from __future__ import annotations

import pytest

from lead_scoring.dbt_runner import DbtError, query, run_dbt
from lead_scoring.rules_check import RulesError, check_rule_seeds

from .conftest import copy_of, copy_project, edit

MART = "select * from marts.lead_scores order by lead_id"


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory, warehouse):
    """A good build (the session's), then a build with broken rules into it."""
    folder = tmp_path_factory.mktemp("broken")
    warehouse = copy_of(warehouse, folder / "warehouse")
    database = warehouse.database
    before = query(database, MART)
    project = copy_project(folder / "project")
    seeds = project / "seeds" / "scoring"
    edit(seeds / "profile_rules.csv", "P02,default,seniority,eq,", "P02,default,seniority,equals,")
    edit(seeds / "grade_bands.csv", "default,B,25,40,", "default,B,25,45,")
    edit(seeds / "activity_rules.csv", "B05,default,email_open,,1,7,",
         "B05,default,email_open,,1,0,")
    with pytest.raises(DbtError) as failure:
        run_dbt(["build", "--exclude", "test_type:unit"], warehouse, project_dir=project)
    return str(failure.value), before, query(database, MART)


def test_broken_rules_fail_with_messages_naming_the_rules(broken_build):
    message, _, _ = broken_build
    assert "nothing was scored" in message
    assert "profile_rules P02: unknown operator 'equals'" in message
    assert "activity_rules B05: half_life_days must be above 0, got 0.0" in message
    assert "grade_bands default B: band [25.0, 45.0) does not end where the next band " \
           "starts (40.0)" in message


def test_failed_build_leaves_the_mart_as_it_was(broken_build):
    _, before, after = broken_build
    assert after == before
    assert len(after) == 6


def test_non_numeric_points_are_named_before_dbt_runs(tmp_path):
    seeds = copy_project(tmp_path / "project") / "seeds" / "scoring"
    check_rule_seeds(seeds)  # the shipped rules are fine
    edit(seeds / "profile_rules.csv", "P03,default,seniority,eq,manager,5,",
         "P03,default,seniority,eq,manager,five,")
    with pytest.raises(RulesError, match=r"profile_rules.csv line 4 \(P03\): points 'five' "
                                         r"is not a number"):
        check_rule_seeds(seeds)


def test_rerunning_the_same_date_changes_nothing(tmp_path, warehouse):
    warehouse = copy_of(warehouse, tmp_path / "twice")  # built once as of SCORE_DATE
    database = warehouse.database
    tables = ["marts.lead_scores", "marts.lead_score_history", "marts.lead_segment_history",
              "marts.lead_threshold_events", "marts.quarantined_records",
              "marts.account_scores"]
    # every column but the lineage (loaded_run names the run that wrote a row)
    statements = {table: f"select * exclude (loaded_run) from {table} order by all"
                  if table in LINEAGE else f"select * from {table} order by all"
                  for table in tables}
    first = {table: query(database, statement) for table, statement in statements.items()}
    runs = query(database, "select distinct loaded_run from marts.lead_score_history")
    # the second build's models only: the rerun is about what they write
    run_dbt(["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
            warehouse)
    second = {table: query(database, statement) for table, statement in statements.items()}
    assert first == second
    # the date's history rows are the rerun's now (a publish syncs them again)
    assert len(runs) == 1
    assert query(database, "select distinct loaded_run from marts.lead_score_history") != runs


LINEAGE = ("marts.lead_score_history", "marts.lead_segment_history",
           "marts.lead_threshold_events")
