"""The Great Expectations suite on the lead_scores mart (fixture warehouse)."""

from __future__ import annotations

from lead_scoring.validation import load, validate_frame


def test_suite_passes_on_the_fixture_mart(warehouse):
    frame, bounds = load(warehouse.database)
    # Default rules: negative profile points add to -65, positive to 95; negative
    # activity rules are capped at 15+10+10+20, positive ones sum their caps.
    assert (bounds.fit_min, bounds.fit_max) == (-65.0, 95.0)
    assert bounds.behaviour_min == -55.0
    report = validate_frame(frame, bounds)
    assert report.success, report.lines()
    assert len(report.checks) == 24


def test_suite_names_what_is_wrong(warehouse):
    frame, bounds = load(warehouse.database)
    broken = frame.copy()
    broken.loc[0, "grade"] = "E"
    broken.loc[broken["priority_rank"] == 3, "priority_rank"] = 2  # min and max stay
    broken.loc[3, "fit_points"] = 500.0
    report = validate_frame(broken, bounds)
    assert not report.success
    failed = {name for name, ok, _ in report.checks if not ok}
    assert failed == {
        "expect_column_values_to_be_in_set(grade)",
        "expect_column_values_to_be_unique(priority_rank)",
        "expect_column_values_to_be_between(fit_points)",
    }


def test_suite_catches_a_gap_in_the_ranks(warehouse):
    frame, bounds = load(warehouse.database)
    gapped = frame.copy()
    last = gapped["priority_rank"].idxmax()
    gapped.loc[last, "priority_rank"] = len(gapped) + 1  # ranks 1..5 and 7: not dense
    failed = {name for name, ok, _ in validate_frame(gapped, bounds).checks if not ok}
    assert failed == {"expect_column_max_to_be_between(priority_rank)"}


def test_suite_catches_a_rank_off_the_priority_list(warehouse):
    frame, bounds = load(warehouse.database)
    ranked = frame.copy()
    opportunity = ranked.index[ranked["lifecycle_stage"] == "opportunity"][0]
    ranked.loc[opportunity, "priority_rank"] = 99  # an open opportunity on the list
    failed = {name for name, ok, _ in validate_frame(ranked, bounds).checks if not ok}
    assert failed == {"expect_column_values_to_be_in_set(rank_matches_stage)",
                      "expect_column_max_to_be_between(priority_rank)"}
