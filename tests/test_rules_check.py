"""The rules are checked whole before dbt runs, each problem named with its file, line
and rule (src/lead_scoring/rules_check.py)."""

from __future__ import annotations

import pytest

from lead_scoring.rules_check import RulesError, check_rule_seeds

from .conftest import copy_project, edit


@pytest.fixture
def seeds(tmp_path):
    folder = copy_project(tmp_path / "project") / "seeds" / "scoring"
    check_rule_seeds(folder)  # the shipped rules pass
    return folder


def _problems(seeds, extra=None) -> str:
    with pytest.raises(RulesError) as failure:
        check_rule_seeds(seeds, extra)
    return str(failure.value)


def test_rule_ids_are_unique_across_the_rule_seeds(seeds):
    edit(seeds / "activity_rules.csv", "\nB05,default,", "\nP01,default,")
    assert ("rule id P01 is used 2 times (profile_rules.csv line 2, activity_rules.csv line "
            in _problems(seeds))


def test_a_misspelt_attribute_is_named_with_the_closest_one(seeds):
    edit(seeds / "profile_rules.csv", "P02,default,seniority,", "P02,default,senority,")
    assert ("profile_rules.csv line 3 (P02): unknown attribute 'senority' (did you mean "
            "'seniority'?)") in _problems(seeds)
    edit(seeds / "segments.csv", "nurture_solution,nurture,engagement_band,",
         "nurture_solution,nurture,engagment_band,")
    assert "unknown attribute 'engagment_band' (did you mean 'engagement_band'?)" \
           in _problems(seeds)


def test_an_attribute_from_crm_lead_attributes_is_known(seeds):
    edit(seeds / "profile_rules.csv", "P02,default,seniority,", "P02,default,age_band,")
    assert "unknown attribute 'age_band'" in _problems(seeds)
    check_rule_seeds(seeds, {"Age_Band"})  # seen in the raw crm_lead_attributes


def test_regular_expressions_are_compiled_by_the_engine(seeds):
    edit(seeds / "activity_rules.csv", "B01,default,page_view,/pricing,",
         "B01,default,page_view,/pricing([,")
    assert ("activity_rules.csv line 2 (B01): url_pattern '/pricing([' is not a valid "
            "regular expression: ") in _problems(seeds)


def test_between_ranges_are_named_with_the_rule(seeds):
    rows = (seeds / "profile_rules.csv").read_text().splitlines()
    between = next(row for row in rows if ",between," in row)
    rule_id, model, attribute, _, _, *rest = between.split(",")
    edit(seeds / "profile_rules.csv", between,
         ",".join([rule_id, model, attribute, "between", "500|200", *rest]))
    assert f"({rule_id}): between range 500|200 is empty (low above high)" in _problems(seeds)


def test_mixed_line_endings_are_named(seeds):
    path = seeds / "profile_rules.csv"
    lines = path.read_text().count("\n")
    path.write_bytes(path.read_bytes() + b"P99,default,country,eq,de,5,German\r\n")
    assert (f"profile_rules.csv line {lines + 1} ends with CRLF but line 1 with LF: save the "
            f"file with one kind of line ending") in _problems(seeds)


def test_a_new_scoring_model_needs_its_bands_and_matrix(seeds):
    path = seeds / "profile_rules.csv"
    path.write_text(path.read_text() + "E01,enterprise,country,eq,us,10,US company\n")
    problems = _problems(seeds)
    assert ("scoring model 'enterprise' has rules but no rows in grade_bands.csv" in problems)
    assert ("scoring model 'enterprise' has rules but no rows in engagement_bands.csv"
            in problems)
    bands = seeds / "grade_bands.csv"
    bands.write_text(bands.read_text() + "enterprise,A,0,1000,all\n")
    engagement = seeds / "engagement_bands.csv"
    engagement.write_text(engagement.read_text() + "enterprise,1,0,1000,all\n"
                          "enterprise,2,-1000,0,none\n")
    matrix = seeds / "priority_matrix.csv"
    matrix.write_text(matrix.read_text() + "enterprise,A,1,1,Sales: call today\n")
    assert _problems(seeds).endswith("scoring model 'enterprise': priority_matrix.csv has no "
                                     "row for A2 (grade x engagement band)")
