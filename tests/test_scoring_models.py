"""Every scoring model of the rules is first-class: the fixtures' second model
(product_analytics) gets its own lifecycle, priority list, reasons, account scores,
CRM events and report; lead_scores and account_scores are the default model's rows."""

from __future__ import annotations

from lead_scoring.cli import main

MODEL = "product_analytics"


def test_second_model_has_stages_ranks_and_reasons(sql):
    rows = sql("select lead_id, rating, lifecycle_stage, priority_rank, top_reasons "
               "from marts.lead_scores_by_model where scoring_model = ? order by lead_id",
               [MODEL])
    # Fit: P101 industry (+15), P102 budget owner (+10), P104 free mail (-10); behaviour:
    # L001's demo request (+20). The list ranks workable leads by the cell's priority
    # (B4 12, C4 14, D4 16), then behaviour, then fit: L008, L003, L007 (fit 0), L002
    # (-10). L001 (open opportunity) and L004 (disqualified) are off the list.
    assert rows == [
        ("L001", "B20", "opportunity", None, "+20 Requested a demo; +15 Industry that buys "
         "the analytics add-on; +10 Budget owner for analytics"),
        ("L002", "D0", "lead", 4, "-10 Free-mail address"),
        ("L003", "C0", "lead", 2, "+10 Budget owner for analytics"),
        ("L004", "C0", "disqualified", None, "+10 Budget owner for analytics"),
        ("L007", "D0", "lead", 3, ""),
        ("L008", "B0", "lead", 1, "+15 Industry that buys the analytics add-on; "
         "+10 Budget owner for analytics"),
    ]


def test_lead_scores_is_the_default_models_rows(sql):
    assert sql("select * from marts.lead_scores order by lead_id") == sql(
        "select * from marts.lead_scores_by_model where scoring_model = 'default' "
        "order by lead_id")
    assert sql("select distinct scoring_model from marts.lead_score_history order by 1") == [
        ("default",), (MODEL,)]


def test_account_scores_per_model(sql):
    rows = sql("select account_id, best_grade, best_fit_points, engagement_score, "
               "contact_count, engaged_contact_count, rating, account_rank "
               "from marts.account_scores_by_model where scoring_model = ? "
               "order by account_rank", [MODEL])
    # ACC1: L001 (B, 25, behaviour 20) counts fully, L008 (B, 25, 0) half of 0.
    assert rows == [
        ("ACC1", "B", 25.0, 20.0, 2, 1, "B20", 1),
        ("ACC2", "C", 10.0, 0.0, 1, 0, "C0", 2),
        ("ACC3", "D", 0.0, 0.0, 1, 0, "D0", 3),
    ]
    assert sql("select * exclude (scoring_model) from marts.account_scores "
               "order by account_id") == sql(
        "select * exclude (scoring_model) from marts.account_scores_by_model "
        "where scoring_model = 'default' order by account_id")


def test_report_per_scoring_model(warehouse, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(warehouse.database), "--out", str(out),
                 "--scoring-model", MODEL]) == 0
    page = out.read_text()
    assert f"Scoring model <code>{MODEL}</code>" in page
    assert "6 live leads" in page
    assert "Requested a demo" in page  # the model's own rules in its top rules
    assert main(["report", "--db", str(warehouse.database), "--out", str(out),
                 "--scoring-model", "enterprise"]) == 1
    assert ("no scores of scoring model 'enterprise' in" in (said := capsys.readouterr().out)
            and "it has: default, product_analytics" in said)
