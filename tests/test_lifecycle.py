"""Stages, segments, reasons, scoring models and account scores on the fixtures
(score_date 2026-03-31; hand-worked values in tests/test_lead_scores.py)."""

from __future__ import annotations

import pytest


def test_lifecycle_stages(sql):
    stages = dict(sql("select lead_id, lifecycle_stage from marts.lead_scores"))
    assert stages == {
        "L001": "opportunity",   # opportunity O1 created on the score date, still open
        "L002": "lead",
        "L003": "lead",          # grade B but 8.8 behaviour points < 30
        "L004": "disqualified",  # do not contact (and a competitor)
        "L007": "lead",          # grade C is below the MQL grade B
        "L008": "mql",           # grade A, 35 >= 30, no BANT evidence
    }


def test_top_reasons(sql):
    reasons = dict(sql("select lead_id, top_reasons from marts.lead_scores"))
    # Largest absolute effect first, ties by rule_id.
    assert reasons["L001"] == ("+30 Requested a demo; +15 Executive buyer (C-level or VP); "
                               "+15 Target company size (200-5000 employees)")
    assert reasons["L002"] == ("-15 Careers page visit (job seeker) (4); -15 Student or intern; "
                               "-10 Free-mail address instead of a business domain")
    assert reasons["L003"].startswith("+10 ")


def test_reasons_before_and_after_decay(sql):
    row = sql("select occurrence_count, points_before_decay, points, reason_label "
              "from intermediate.int_lead_score_reasons "
              "where lead_id = 'L001' and rule_id = 'B01' and scoring_model = 'default'")
    assert row == [(3, 15.0, 7.5, "+7.5 Pricing page visit (3)")]


def test_segments(sql):
    rows = sql("select lead_id, segment_id, segment_group from marts.lead_segments "
               "order by lead_id, segment_id")
    assert rows == [
        ("L002", "negative_engagement", "review"),
        ("L003", "nurture_educational", "nurture"),
        ("L007", "nurture_educational", "nurture"),
        ("L008", "nurture_solution", "nurture"),
    ]


def test_scores_per_product_line(sql):
    row = sql("select grade, fit_points, behaviour_score, rating, grade_engagement_cell "
              "from marts.lead_scores_by_model "
              "where lead_id = 'L001' and scoring_model = 'product_analytics'")
    # Software (+15) and VP (+10) = 25 -> B; the demo request (20, age 0) -> B20;
    # the scanner's email click does not count.
    assert row == [("B", 25.0, 20.0, "B20", "B2")]
    assert sql("select count(*) from marts.lead_scores_by_model") == [(12,)]


def test_account_scores(sql):
    rows = sql("select account_id, best_grade, best_fit_points, engagement_score, "
               "contact_count, engaged_contact_count, rating, account_rank "
               "from marts.account_scores order by account_rank")
    assert rows == [
        # L001 (38) counts fully, L008 (35) half: 38 + 17.5
        ("ACC1", "A", 65.0, 55.5, 2, 2, "A56", 1),
        ("ACC2", "B", 35.0, pytest.approx(8.8), 1, 0, "B9", 2),
        ("ACC3", "C", 10.0, 10.0, 1, 1, "C10", 3),
    ]


def test_lead_dimension(sql):
    rows = sql("select lead_id, account_id, lead_source, country, industry, company_size_band, "
               "seniority, lifecycle_stage, grade, cast(created_date as varchar) "
               "from marts.dim_leads where lead_id in ('L001', 'L004') order by lead_id")
    assert rows == [
        ("L001", "ACC1", "paid_search", "us", "software", "201-1000", "vp", "opportunity", "A",
         "2026-01-05"),
        # no country, industry or size anywhere: 'unknown', so a slice never drops it
        ("L004", None, "referral", "unknown", "unknown", "unknown", "c_level", "disqualified",
         "D", "2026-02-02"),
    ]
    assert sql("select count(*) from marts.dim_leads") == [(6,)]


def test_activity_fact_keeps_human_and_non_human_apart(sql):
    rows = sql("select cast(activity_date as varchar), activity_type, human_activity_count, "
               "non_human_activity_count, scored_activity_count, points_before_decay "
               "from marts.fct_lead_activity_daily where lead_id = 'L001' "
               "order by activity_date, activity_type")
    assert rows == [
        ("2026-03-17", "page_view", 3, 0, 3, 15.0),      # W01-W03: pricing, 5 points each
        ("2026-03-24", "email_click", 0, 1, 0, 0.0),     # E5: 2 s after delivery, a scanner
        ("2026-03-24", "email_delivered", 1, 0, 0, 0.0),
        ("2026-03-24", "email_open", 1, 0, 1, 1.0),
        ("2026-03-24", "email_sent", 1, 0, 0, 0.0),      # E1 delivered twice: once
        ("2026-03-31", "demo_request", 1, 0, 1, 30.0),   # A2 is after the score date
    ]
