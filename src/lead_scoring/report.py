"""The HTML report written after a build: one self-contained page, works offline.

Charts are Plotly figures; plotly.js is embedded once in the page, so nothing is
fetched when it is opened.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from lead_scoring.dbt_runner import default_scoring_model

STAGES = ["lead", "recycled", "mql", "sql", "opportunity", "customer", "disqualified"]
# A cell or bar with fewer leads than this is shown with its count but left out of
# colour scales: two leads, one of them converted, are not a 50 % conversion rate.
MIN_LEADS_TO_COLOUR = 20
AUC_IN_WORDS = ("ROC AUC is the chance that a lead who converted is ranked above one who "
                "did not: 0.5 is a coin toss, 1 a perfect ranking.")


def verdict(value: float | None) -> str:
    """An AUC in plain words."""
    if value is None or value != value:  # None or NaN
        return "cannot be measured"
    if value < 0.55:
        return f"ranks no better than chance (AUC {value:.2f})"
    if value < 0.65:
        return f"ranks barely better than chance (AUC {value:.2f})"
    if value < 0.75:
        return f"ranks converters clearly above the rest (AUC {value:.2f})"
    return f"ranks converters well above the rest (AUC {value:.2f})"


@dataclass
class Section:
    title: str
    description: str
    figure: object | None = None
    table: pd.DataFrame | None = None
    summary: str | None = None  # a line for the terminal, printed by `lead-scoring report`


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _has_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    if not _has_table(con, schema, table):
        return False
    return con.execute(f"select count(*) from {schema}.{table}").fetchall()[0][0] > 0


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return rows[0][0] > 0


def score_distribution(con: duckdb.DuckDBPyConnection) -> Section:
    import plotly.express as px

    frame = _frame(con, "select grade, behaviour_score from marts.lead_scores order by grade")
    figure = px.histogram(frame, x="behaviour_score", color="grade", nbins=60,
                          barmode="stack", category_orders={"grade": list("ABCD")},
                          labels={"behaviour_score": "behaviour score", "grade": "grade"})
    figure.update_layout(yaxis_title="leads")
    return Section("Score distribution",
                   "Behaviour scores of live leads as of the score date, stacked by fit grade.",
                   figure=figure)


def grade_band_heatmap(con: duckdb.DuckDBPyConnection) -> Section:
    import plotly.graph_objects as go

    calibrated = _has_rows(con, "marts", "calibration_conversion")
    if calibrated:
        frame = _frame(con, """
            select substr(bucket, 1, 1) as grade, cast(substr(bucket, 2) as integer)
                   as engagement_band, lead_count as leads, conversion_rate
            from marts.calibration_conversion where breakdown = 'grade_engagement_cell'
        """)
        description = ("Leads per cell on the calibration date and the share that got an "
                       "opportunity within the calibration window.")
    else:
        frame = _frame(con, """
            select grade, engagement_band, count(*) as leads,
                   avg(case when lifecycle_stage in ('opportunity', 'customer')
                       then 1.0 else 0.0 end) as conversion_rate
            from marts.lead_scores group by grade, engagement_band
        """)
        description = "Leads per cell and the share that has an opportunity or a won deal."
    grades, bands = list("ABCD"), [1, 2, 3, 4]
    cell = {(row.grade, row.engagement_band): row for row in frame.itertuples()}

    def coloured(g: str, b: int) -> bool:
        return (g, b) in cell and cell[(g, b)].leads >= MIN_LEADS_TO_COLOUR

    z = [[cell[(g, b)].conversion_rate if coloured(g, b) else None for b in bands]
         for g in grades]
    text = [[(f"{int(cell[(g, b)].leads):,} leads<br>{cell[(g, b)].conversion_rate:.1%}"
              + ("" if coloured(g, b) else "<br>(too few to colour)"))
             if (g, b) in cell else "" for b in bands] for g in grades]
    figure = go.Figure(go.Heatmap(
        z=z, x=[f"band {b}" for b in bands], y=grades, text=text, texttemplate="%{text}",
        colorscale="Blues", colorbar={"title": "converted", "tickformat": ".0%"}))
    description += (f" Cells with fewer than {MIN_LEADS_TO_COLOUR} leads show their count "
                    "but no colour, so a tiny cell does not set the scale.")
    figure.update_layout(yaxis={"autorange": "reversed", "title": "grade"},
                         xaxis={"title": "engagement band (1 = most engaged)"})
    return Section("Grade x engagement: conversion", description, figure=figure)


def lifecycle_funnel(con: duckdb.DuckDBPyConnection) -> Section:
    import plotly.express as px

    frame = _frame(con, "select lifecycle_stage, count(*) as leads from marts.lead_scores "
                        "group by lifecycle_stage")
    frame["order"] = frame["lifecycle_stage"].map({s: i for i, s in enumerate(STAGES)})
    frame = frame.sort_values("order")
    figure = px.bar(frame, x="lifecycle_stage", y="leads", text="leads",
                    labels={"lifecycle_stage": "lifecycle stage"})
    return Section("Lifecycle stages", "Live leads per lifecycle stage.", figure=figure)


def top_rules(con: duckdb.DuckDBPyConnection) -> Section:
    import plotly.express as px

    frame = _frame(con, """
        select rule_id || ' ' || description as rule, reason_type,
               sum(points) as total_points, count(*) as leads
        from intermediate.int_lead_score_reasons
        where scoring_model = (select max(scoring_model) from marts.lead_scores)
        group by rule_id, description, reason_type
        order by abs(sum(points)) desc
        limit 15
    """)
    figure = px.bar(frame.iloc[::-1], x="total_points", y="rule", color="reason_type",
                    orientation="h", labels={"total_points": "points across all leads"})
    figure.update_layout(height=520, yaxis_title="")
    return Section("Top rules by contribution",
                   "Total points each rule adds (or takes away) across live leads.",
                   figure=figure)


def top_leads(con: duckdb.DuckDBPyConnection) -> Section:
    frame = _frame(con, """
        select priority_rank, lead_id, rating, grade_engagement_cell as cell,
               lifecycle_stage as stage, top_reasons
        from marts.lead_scores where priority_rank is not null order by priority_rank limit 20
    """)
    return Section("Top contactable leads", "The head of the sales priority list.", table=frame)


SCORE_LABELS = {"current_priority": "current rules (their order of the leads)",
                "fit_points": "fit points", "behaviour_score": "behaviour score",
                "calibrated_score": "calibrated score"}


def _roc_points(scores: pd.Series, outcomes: pd.Series) -> tuple[list[float], list[float]]:
    """ROC curve points (false and true positive rates), ties kept together."""
    frame = pd.DataFrame({"score": scores, "y": outcomes}).sort_values("score", ascending=False)
    grouped = frame.groupby("score", sort=False)["y"].agg(["sum", "count"])
    positives, negatives = frame["y"].sum(), len(frame) - frame["y"].sum()
    tpr, fpr = [0.0], [0.0]
    true_pos = false_pos = 0
    for total_pos, count in zip(grouped["sum"], grouped["count"], strict=True):
        true_pos += total_pos
        false_pos += count - total_pos
        tpr.append(true_pos / positives if positives else 0.0)
        fpr.append(false_pos / negatives if negatives else 0.0)
    return fpr, tpr


def conversion_bars(con: duckdb.DuckDBPyConnection, breakdown: str, label: str,
                    current: str | None) -> object:
    """Conversion rate per bucket of one breakdown of calibration_conversion, with the
    lead count on each bar; buckets too small to judge are drawn grey."""
    import plotly.graph_objects as go

    frame = _frame(con, f"""
        select bucket, lead_count, conversion_rate from marts.calibration_conversion
        where breakdown = '{breakdown}' order by bucket
    """)
    colours = ["#1f77b4" if leads >= MIN_LEADS_TO_COLOUR else "#bbbbbb"
               for leads in frame["lead_count"]]
    figure = go.Figure(go.Bar(
        x=[str(bucket) for bucket in frame["bucket"]], y=frame["conversion_rate"],
        marker_color=colours,
        text=[f"{rate:.1%}<br>{int(leads):,} leads"
              for rate, leads in zip(frame["conversion_rate"], frame["lead_count"],
                                     strict=True)],
        textposition="outside"))
    figure.update_layout(xaxis_title=label, yaxis={"title": "converted", "tickformat": ".0%"},
                         margin={"t": 40})
    if current is not None:
        figure.add_annotation(x=0, y=1.08, xref="paper", yref="paper", showarrow=False,
                              xanchor="left", text=current)
    return figure


def calibration_line(con: duckdb.DuckDBPyConnection, window_days: object) -> str:
    """One line: the calibration's holdout verdict, or why it could not run."""
    rows = con.execute("""
        select score_name, roc_auc, lead_count, converted_count
        from marts.calibration_performance where sample = 'holdout'
    """).fetchall()
    auc = {name: value for name, value, *_ in rows}
    if rows and auc.get("calibrated_score") is not None:
        calibration_date = con.execute("select max(calibration_date) "
                                       "from intermediate.int_calibration_leads").fetchall()[0][0]
        return (f"calibration (scores of {calibration_date}, holdout of {int(rows[0][2]):,} "
                f"leads, {int(rows[0][3]):,} converted): the current rules' order "
                f"{verdict(auc['current_priority'])}; ROC AUC current rules "
                f"{auc['current_priority']:.3f}, calibrated score {auc['calibrated_score']:.3f}")
    first, last = con.execute("select min(score_date), max(score_date) "
                              "from marts.lead_score_history").fetchall()[0]
    if first is None or (last - first).days < int(window_days):
        span = f"{first} to {last}" if first != last else f"only {last}"
        return (f"calibration could not run: the score history holds {span}, no score date "
                f"{window_days} days (calibration_window_days) before the latest; build an "
                f"earlier --score-date first, or set --var calibration_window_days=N")
    return ("calibration could not run: no lead on the calibration date converted (got an "
            "opportunity) in the window after it")


def calibration_sections(con: duckdb.DuckDBPyConnection,
                         settings: dict | None = None) -> list[Section]:
    """The calibration's charts and tables; settings: the run's mql_min_grade,
    mql_min_behaviour_score and calibration_window_days (marked, quoted)."""
    import plotly.graph_objects as go

    settings = settings or {}

    if not _has_rows(con, "intermediate", "int_calibration_scores"):
        return [Section("Calibration", "No calibration yet: the history needs a score date at "
                        "least the calibration window (var calibration_window_days) before the "
                        "latest one. Build an earlier --score-date first.")]
    performance = _frame(con, "select * from marts.calibration_performance "
                              "order by sample, roc_auc desc")
    scores = _frame(con, "select * from intermediate.int_calibration_scores "
                         "where sample = 'holdout'")
    calibration_date = scores["calibration_date"].iloc[0] if len(scores) else None
    roc = go.Figure()
    auc = {row.score_name: row.roc_auc for row in performance.itertuples()
           if row.sample == "holdout"}
    for name, label in SCORE_LABELS.items():
        fpr, tpr = _roc_points(scores[name], scores["has_opportunity"])
        roc.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines",
                                 name=f"{label} (AUC {auc.get(name, float('nan')):.3f})"))
    roc.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="chance",
                             line={"dash": "dot", "color": "grey"}))
    roc.update_layout(xaxis_title="false positive rate", yaxis_title="true positive rate")

    lift = go.Figure()
    base_rate = scores["has_opportunity"].mean() if len(scores) else 0
    for name in ("current_priority", "calibrated_score"):
        ranked = scores.sort_values([name, "lead_id"], ascending=[False, True]).reset_index()
        ranked["decile"] = ranked.index * 10 // max(len(ranked), 1) + 1
        by_decile = ranked.groupby("decile")["has_opportunity"].mean() / (base_rate or 1)
        lift.add_trace(go.Bar(x=by_decile.index, y=by_decile.values, name=SCORE_LABELS[name]))
    lift.update_layout(barmode="group", xaxis_title="decile (1 = highest score)",
                       yaxis_title="lift over the base rate")

    thresholds = _frame(con, "select * from marts.calibration_thresholds order by threshold")
    tradeoff = go.Figure()
    tradeoff.add_trace(go.Scatter(x=thresholds["threshold"], y=thresholds["precision_rate"],
                                  name="precision", mode="lines+markers"))
    tradeoff.add_trace(go.Scatter(x=thresholds["threshold"], y=thresholds["recall_rate"],
                                  name="recall", mode="lines+markers"))
    tradeoff.add_trace(go.Bar(x=thresholds["threshold"], y=thresholds["leads_handed_over"],
                              name="leads handed over", yaxis="y2", opacity=0.3))
    tradeoff.update_layout(xaxis={"title": "MQL behaviour-score threshold", "automargin": True},
                           yaxis={"title": "share", "range": [0, 1], "tickformat": ".0%",
                                  "automargin": True},
                           yaxis2={"title": "leads", "overlaying": "y", "side": "right",
                                   "automargin": True},
                           legend={"orientation": "h", "y": -0.25},
                           margin={"l": 70, "r": 70, "t": 40, "b": 90})
    current = settings.get("mql_min_behaviour_score")
    if current is not None:
        tradeoff.add_vline(x=float(current), line={"dash": "dash", "color": "black"},
                           annotation_text=f"current threshold {current}",
                           annotation_position="top")
    rules = _frame(con, """
        select rule_id, description, current_points, suggested_points, lead_count,
               converted_count, observed_rate, lift
        from marts.calibration_rules order by abs(weight_of_evidence) desc
    """)
    window = f"calibration date {calibration_date}" if calibration_date is not None else ""
    verdicts = [f"{SCORE_LABELS[name]} {verdict(auc.get(name))}" for name in SCORE_LABELS]
    mql_grade = settings.get("mql_min_grade")
    return [
        Section("Calibration: ROC on the holdout",
                f"Leads created last ({window}) ranked by each score; the outcome is an "
                "opportunity within the window. The calibrated score uses rule weights "
                f"learnt on the earlier leads only. {AUC_IN_WORDS} Verdict: "
                + "; ".join(verdicts) + ".", figure=roc,
                summary=calibration_line(con, settings.get("calibration_window_days", 90))),
        Section("Calibration: AUC and top-decile capture",
                "Per sample: ROC AUC and the share of converters in the top 10% of the score "
                "(top_decile_capture: 0.10 is what a random order captures).",
                table=performance),
        Section("Calibration: conversion by grade",
                "Share of the leads of each fit grade on the calibration date that got an "
                "opportunity within the window. A good grading falls from A to D.",
                figure=conversion_bars(con, "grade", "fit grade",
                                       f"MQL needs grade {mql_grade} or better"
                                       if mql_grade else None)),
        Section("Calibration: conversion by engagement band",
                "The same per behaviour-score band (1 = most engaged). A good behaviour score "
                "falls from band 1 to 4.",
                figure=conversion_bars(con, "engagement_band", "engagement band", None)),
        Section("Calibration: lift by decile (holdout)",
                "Leads sorted by each score and cut into ten equal groups; lift is a group's "
                "conversion rate divided by the rate of all leads (1 = no better than "
                "average, 3 = three times as likely to convert).", figure=lift),
        Section("Calibration: MQL threshold trade-off",
                "Leads with an MQL-grade fit handed over at each behaviour threshold, and "
                "the precision (share of those handed over who converted) and recall (share "
                "of all converters handed over) of that hand-over; the dashed line is the "
                "current threshold.", figure=tradeoff),
        Section("Calibration: suggested points",
                "Observed lift per rule (smoothed toward the base rate) and a point value on "
                "the seed's scale. Weight of evidence is the log of how much more common the "
                "rule is among converters than among the rest (0 = no signal, above 0 = a "
                "buying signal, below 0 = a warning sign). Review before editing the seeds.",
                table=rules),
    ]


SECTIONS: list[Callable[[duckdb.DuckDBPyConnection], Section]] = [
    score_distribution, grade_band_heatmap, lifecycle_funnel, top_rules, top_leads,
]


def _summary(con: duckdb.DuckDBPyConnection) -> str:
    score_date, rules_version, leads, model = con.execute(
        "select max(score_date), max(rules_version), count(*), max(scoring_model) "
        "from marts.lead_scores"
    ).fetchall()[0]
    return (f"Scoring model <code>{model}</code> &middot; score date {score_date} &middot; "
            f"rules version <code>{rules_version}</code> &middot; {leads:,} live leads")


class UnknownScoringModel(ValueError):
    """The report was asked for a scoring model the warehouse has no scores of."""


def scoring_model_lens(database: Path, scoring_model: str) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose schemas are views of the warehouse's (attached
    read-only) showing one scoring model: every table with a
    scoring_model column is filtered to it, and marts.lead_scores is that model's rows of
    lead_scores_by_model. The report's queries then serve any model unchanged."""
    con = duckdb.connect()
    con.execute(f"attach '{database.as_posix()}' as warehouse (read_only)")
    models = [row[0] for row in con.execute(
        "select distinct scoring_model from warehouse.marts.lead_scores_by_model "
        "order by 1").fetchall()]
    if scoring_model not in models:
        con.close()
        raise UnknownScoringModel(f"no scores of scoring model '{scoring_model}' in {database}; "
                                  f"it has: {', '.join(models) or 'none'}")
    columns = con.execute("""
        select table_schema, table_name, bool_or(column_name = 'scoring_model')
        from information_schema.columns
        where table_catalog = 'warehouse' and table_schema <> 'main'
        group by all
    """).fetchall()
    for schema in {schema for schema, *_ in columns}:
        con.execute(f"create schema {schema}")
    for schema, table, has_model in columns:
        source = "lead_scores_by_model" if (schema, table) == ("marts", "lead_scores") else table
        where = f"where scoring_model = '{scoring_model}'" if has_model else ""
        con.execute(f"create view {schema}.{table} as "
                    f"select * from warehouse.{schema}.{source} {where}")
    return con


def lead_scores_model(database: Path) -> str:
    """The scoring model lead_scores shows (the build's var default_scoring_model)."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select max(scoring_model) from marts.lead_scores").fetchall()
    return rows[0][0] or default_scoring_model()


def build_sections(database: Path,
                   extra: list[Callable[[duckdb.DuckDBPyConnection], list[Section]]] | None = None,
                   settings: dict | None = None,
                   scoring_model: str | None = None) -> tuple[str, list[Section]]:
    """The report's sections for one scoring model (default: lead_scores' model)."""
    from lead_scoring.report_predictive import predictive_sections

    with duckdb.connect(str(database), read_only=True) as con:
        if not _has_table(con, "marts", "lead_scores"):
            raise FileNotFoundError(f"{database} has no marts.lead_scores: build it first")
    with scoring_model_lens(database, scoring_model or lead_scores_model(database)) as con:
        sections = [make(con) for make in SECTIONS]
        sections.extend(calibration_sections(con, settings))
        for make_many in [predictive_sections, *(extra or [])]:
            sections.extend(make_many(con))
        return _summary(con), sections


def _number(value: float) -> str:
    """Two decimals, without a minus sign on a value that rounds to zero."""
    text = f"{value:,.2f}"
    return "0.00" if text == "-0.00" else text


def _integers(table: pd.DataFrame) -> pd.DataFrame:
    """Counts, ranks and points that hold whole numbers shown as whole numbers (1,319)."""
    table = table.copy()
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_numeric_dtype(values) and values.notna().any() and (
                values.dropna() % 1 == 0).all() and (
                column.endswith(("_count", "_rank", "_points", "leads", "_over"))):
            table[column] = [f"{int(value):,}" if pd.notna(value) else ""
                             for value in values]
    return table


def render(summary: str, sections: list[Section]) -> str:
    parts: list[str] = []
    first_figure = True
    for section in sections:
        body = ""
        if section.figure is not None:
            body = section.figure.to_html(full_html=False,
                                          include_plotlyjs="inline" if first_figure else False,
                                          config={"displaylogo": False})
            first_figure = False
        elif section.table is not None:
            body = _integers(section.table).to_html(index=False, border=0, classes="table",
                                                    float_format=_number)
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>"
                     f"<p>{html.escape(section.description)}</p>{body}</section>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Lead scoring report</title>
<script>
window.reportErrors = [];
var consoleError = console.error;
console.error = function () {{
  window.reportErrors.push(Array.prototype.join.call(arguments, " "));
  consoleError.apply(console, arguments);
}};
window.addEventListener("error", function (event) {{
  window.reportErrors.push(String(event.message));
}});
window.addEventListener("load", function () {{
  var charts = document.querySelectorAll(".js-plotly-plot").length;
  document.body.setAttribute("data-errors", window.reportErrors.join(" | "));
  document.body.setAttribute("data-charts", String(charts));
}});
</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
section {{ margin-bottom: 2.5rem; }}
table.table {{ border-collapse: collapse; font-size: 0.9rem; }}
table.table td, table.table th {{ padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd;
  text-align: left; }}
code {{ background: #f3f3f3; padding: 0 0.2rem; }}
</style></head>
<body><h1>Lead scoring report</h1><p>{summary}</p>
{''.join(parts)}
</body></html>
"""


def write_report(database: Path, out: Path,
                 extra: list[Callable[[duckdb.DuckDBPyConnection], list[Section]]] | None = None,
                 settings: dict | None = None, scoring_model: str | None = None) -> list[str]:
    """Write the report to out; return the sections' one-line summaries for the terminal.

    settings: the run's mql_min_grade, mql_min_behaviour_score (marked on the charts) and
    calibration_window_days. scoring_model: whose scores (default: lead_scores' model).
    """
    summary, sections = build_sections(database, extra, settings, scoring_model)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(summary, sections), encoding="utf-8")
    return [section.summary for section in sections if section.summary]
