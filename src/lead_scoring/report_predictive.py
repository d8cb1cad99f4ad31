"""The predictive score's part of the report: how it, the current rules and the model
in whole points rank the holdout (the latest training snapshot, never fitted)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from lead_scoring.predictive import covered_auc, rules_order_sql
from lead_scoring.report import AUC_IN_WORDS, Section, _has_rows, _roc_points, verdict

SCORES = {
    "conversion_probability": "predictive score",
    "model_points": "the model in whole points (suggested rules)",
    "current_priority": "current rules (their order of the leads)",
}


def holdout_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Holdout leads with the three scores (current rules only where the history holds
    the holdout snapshot)."""
    return con.execute(f"""
        select
            holdout.lead_id, holdout.snapshot_date, holdout.is_converted,
            holdout.conversion_probability, holdout.model_points,
            -history.score_rank as current_priority
        from intermediate.int_prediction_holdout_scored as holdout
        left join ({rules_order_sql("intermediate.int_prediction_holdout_scored")}) as history
            on history.lead_id = holdout.lead_id
            and history.score_date = holdout.snapshot_date
    """).df()


def auc(frame: pd.DataFrame, column: str) -> float | None:
    return covered_auc(frame["is_converted"].to_numpy(),
                       frame[column].to_numpy(float, na_value=np.nan))


def predictive_sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    import plotly.graph_objects as go

    if not _has_rows(con, "rules", "predictive_model"):
        return [Section("Predictive score", "No trained model yet: run `lead-scoring "
                        "calibrate` on a warehouse with a history longer than the outcome "
                        "window; the build says when it can run.",
                        summary="predictive score: no trained model yet (lead-scoring "
                                "calibrate)")]
    frame = holdout_scores(con)
    if frame.empty:
        return [Section("Predictive score", "The holdout snapshot has no open leads.")]
    areas = {column: auc(frame, column) for column in SCORES}
    lines = [f"{label}: {verdict(areas[column])}" for column, label in SCORES.items()]
    snapshot = frame["snapshot_date"].iloc[0]
    intro = (f"Holdout: the {len(frame):,} open leads of {snapshot} (the latest training "
             f"snapshot, never fitted), {int(frame['is_converted'].sum()):,} of whom converted "
             f"within the window. {AUC_IN_WORDS} ")
    roc = go.Figure()
    gains = go.Figure()
    for column, label in SCORES.items():
        if areas[column] is None:
            continue
        scored = frame.dropna(subset=[column])
        fpr, tpr = _roc_points(scored[column], scored["is_converted"])
        roc.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines",
                                 name=f"{label} (AUC {areas[column]:.3f})"))
        ranked = scored.sort_values(column, ascending=False)
        captured = ranked["is_converted"].cumsum() / max(ranked["is_converted"].sum(), 1)
        share = np.arange(1, len(ranked) + 1) / len(ranked)
        gains.add_trace(go.Scatter(x=share, y=captured.to_numpy(), mode="lines", name=label))
    for figure in (roc, gains):
        figure.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="chance",
                                    line={"dash": "dot", "color": "grey"}))
    roc.update_layout(xaxis_title="false positive rate", yaxis_title="true positive rate")
    gains.update_layout(xaxis_title="share of leads contacted, best-scored first",
                        yaxis_title="share of converters reached")

    frame["decile"] = pd.qcut(frame["conversion_probability"].rank(method="first"), 10,
                              labels=False) + 1
    deciles = frame.groupby("decile").agg(
        leads=("lead_id", "count"), converted=("is_converted", "sum"),
        predicted=("conversion_probability", "mean"), observed=("is_converted", "mean"))
    calibration = go.Figure()
    calibration.add_trace(go.Scatter(x=deciles["predicted"], y=deciles["observed"],
                                     mode="lines+markers", name="deciles of the holdout"))
    top = float(max(deciles["predicted"].max(), deciles["observed"].max()))
    calibration.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name="perfect",
                                     line={"dash": "dot", "color": "grey"}))
    calibration.update_layout(xaxis_title="predicted probability (mean of the decile)",
                              yaxis_title="observed conversion rate")

    thresholds = []
    positives = frame["is_converted"].sum()
    for cut in (0.9, 0.8, 0.7, 0.5, 0.3):
        line = frame["conversion_probability"].quantile(cut)
        chosen = frame[frame["conversion_probability"] >= line]
        thresholds.append({
            "probability at least": round(float(line), 3), "leads": len(chosen),
            "share of leads": f"{len(chosen) / len(frame):.0%}",
            "converted": int(chosen["is_converted"].sum()),
            "precision": f"{chosen['is_converted'].mean():.1%}",
            "recall": f"{chosen['is_converted'].sum() / max(positives, 1):.0%}"})
    factors = con.execute("""
        select label as factor, round(coefficient, 3) as log_odds, cast(points as integer)
            as points
        from rules.predictive_model where match_type <> 'intercept'
        order by abs(coefficient) desc limit 20
    """).df()
    factors["log_odds"] = factors["log_odds"].map(lambda v: f"{v:+.3f}")
    return [
        Section("Predictive score: verdict on the holdout", intro + " · ".join(lines),
                summary="predictive score on the holdout: " + "; ".join(
                    f"{label} {verdict(areas[column])}" for column, label in SCORES.items())),
        Section("Predictive score: ROC on the holdout",
                "How each score ranks the holdout; the higher the curve, the better.",
                figure=roc),
        Section("Predictive score: gains",
                "Contact the best-scored leads first: the share of all converters reached "
                "for each share of leads contacted.", figure=gains),
        Section("Predictive score: calibration",
                "Predicted probability against the observed conversion rate per decile of "
                "the holdout: on the dotted line, a 20 % prediction converts 20 % of the time.",
                figure=calibration),
        Section("Predictive score: thresholds",
                "Handing over the leads above a probability line: how many, and the precision "
                "and recall of that hand-over on the holdout.",
                table=pd.DataFrame(thresholds)),
        Section("Predictive score: top factors",
                "The features that move the probability most (log-odds per feature; points "
                "on the rules' scale, as the suggested rules use them).", table=factors),
    ]
