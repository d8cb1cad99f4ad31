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

STAGES = ["lead", "recycled", "mql", "sql", "opportunity", "customer", "disqualified"]


@dataclass
class Section:
    title: str
    description: str
    figure: object | None = None
    table: pd.DataFrame | None = None


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


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

    frame = _frame(con, """
        select grade, engagement_band, count(*) as leads,
               avg(case when lifecycle_stage in ('opportunity', 'customer')
                   then 1.0 else 0.0 end) as conversion_rate
        from marts.lead_scores group by grade, engagement_band
    """)
    grades, bands = list("ABCD"), [1, 2, 3, 4]
    cell = {(row.grade, row.engagement_band): row for row in frame.itertuples()}
    z = [[cell[(g, b)].conversion_rate if (g, b) in cell else None for b in bands]
         for g in grades]
    text = [[f"{cell[(g, b)].leads:,} leads<br>{cell[(g, b)].conversion_rate:.1%}"
             if (g, b) in cell else "" for b in bands] for g in grades]
    figure = go.Figure(go.Heatmap(
        z=z, x=[f"band {b}" for b in bands], y=grades, text=text, texttemplate="%{text}",
        colorscale="Blues", colorbar={"title": "converted"}))
    figure.update_layout(yaxis={"autorange": "reversed", "title": "grade"},
                         xaxis={"title": "engagement band (1 = most engaged)"})
    return Section("Grade x engagement",
                   "Leads per cell and the share that has an opportunity or a won deal.",
                   figure=figure)


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
        from marts.lead_scores where is_contactable order by priority_rank limit 20
    """)
    return Section("Top contactable leads", "The head of the sales priority list.", table=frame)


SECTIONS: list[Callable[[duckdb.DuckDBPyConnection], Section]] = [
    score_distribution, grade_band_heatmap, lifecycle_funnel, top_rules, top_leads,
]


def _summary(con: duckdb.DuckDBPyConnection) -> str:
    score_date, rules_version, leads = con.execute(
        "select max(score_date), max(rules_version), count(*) from marts.lead_scores"
    ).fetchall()[0]
    return (f"Score date {score_date} &middot; rules version <code>{rules_version}</code> "
            f"&middot; {leads:,} live leads")


def build_sections(database: Path,
                   extra: list[Callable[[duckdb.DuckDBPyConnection], list[Section]]] | None = None
                   ) -> tuple[str, list[Section]]:
    with duckdb.connect(str(database), read_only=True) as con:
        if not _has_table(con, "marts", "lead_scores"):
            raise FileNotFoundError(f"{database} has no marts.lead_scores: build it first")
        sections = [make(con) for make in SECTIONS]
        for make_many in extra or []:
            sections.extend(make_many(con))
        return _summary(con), sections


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
            body = section.table.to_html(index=False, border=0, classes="table",
                                         float_format=lambda value: f"{value:,.2f}")
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>"
                     f"<p>{html.escape(section.description)}</p>{body}</section>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Lead scoring report</title>
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
                 extra: list[Callable[[duckdb.DuckDBPyConnection], list[Section]]] | None = None
                 ) -> Path:
    summary, sections = build_sections(database, extra)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(summary, sections), encoding="utf-8")
    return out
