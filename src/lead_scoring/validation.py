"""Great Expectations suite for the lead_scores mart, kept as code.

The mart is read from DuckDB into pandas and validated there (Great
Expectations' SQL path on DuckDB is not relied on). Bounds come from the rules
in the warehouse, so the suite follows the seeds when marketing edits them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

NOT_NULL = ["lead_id", "scoring_model", "grade", "rating", "grade_engagement_cell",
            "lifecycle_stage", "top_reasons", "rules_version", "fit_points", "behaviour_score",
            "engagement_band", "is_contactable", "score_date"]
STAGES = ["lead", "mql", "sql", "opportunity", "customer", "disqualified", "recycled"]
WORKABLE_STAGES = ["lead", "mql", "sql", "recycled"]  # on the priority list


@dataclass
class Bounds:
    """The range of scores the rules can produce for the default scoring model."""

    fit_min: float
    fit_max: float
    behaviour_min: float | None  # None: a negative rule has no cap
    behaviour_max: float | None  # None: a positive rule has no cap


@dataclass
class ValidationReport:
    success: bool
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        passed = sum(1 for _, ok, _ in self.checks if ok)
        out = [f"Great Expectations on marts.lead_scores: {passed}/{len(self.checks)} passed"]
        out += [f"  FAILED {name}: {detail}" for name, ok, detail in self.checks if not ok]
        return out


def rule_bounds(con: duckdb.DuckDBPyConnection, scoring_model: str) -> Bounds:
    fit_min, fit_max = con.execute(
        "select coalesce(sum(least(points, 0)), 0), coalesce(sum(greatest(points, 0)), 0) "
        "from rules.profile_rules where scoring_model = ?", [scoring_model]).fetchall()[0]
    rows = con.execute(
        "select points, max_points from rules.activity_rules where scoring_model = ?",
        [scoring_model]).fetchall()
    positive = [cap for points, cap in rows if points > 0]
    negative = [cap for points, cap in rows if points < 0]
    behaviour_max = None if any(cap is None for cap in positive) else float(sum(positive))
    behaviour_min = None if any(cap is None for cap in negative) else -float(sum(negative))
    return Bounds(float(fit_min), float(fit_max), behaviour_min, behaviour_max)


def load(database: Path) -> tuple[pd.DataFrame, Bounds]:
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute("select * from marts.lead_scores").df()
        model = frame["scoring_model"].iloc[0] if len(frame) else "default"
        return frame, rule_bounds(con, model)


def _quiet_gx() -> None:
    """Import Great Expectations without its noise: the FutureWarning PySpark (when the
    dev set installed it) raises on import, and GE's info logging."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support",
                                category=FutureWarning)
        import great_expectations  # noqa: F401
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


def build_suite(frame: pd.DataFrame, bounds: Bounds):  # -> gx.ExpectationSuite
    _quiet_gx()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    suite = gx.ExpectationSuite(name="lead_scores")
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="lead_id"))
    for column in NOT_NULL:
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="grade",
                                                          value_set=list("ABCD")))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="lifecycle_stage",
                                                          value_set=STAGES))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="engagement_band",
                                                          value_set=[1, 2, 3, 4]))
    suite.add_expectation(gxe.ExpectColumnValuesToMatchRegex(column="rating",
                                                             regex=r"^[ABCD]-?[0-9]+$"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(
        column="fit_points", min_value=bounds.fit_min, max_value=bounds.fit_max))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(
        column="behaviour_score", min_value=bounds.behaviour_min,
        max_value=bounds.behaviour_max))
    # The priority list: dense ranks, unique, from 1 to the number of leads sales can
    # work (stage lead, mql, sql or recycled), null for every other lead.
    workable = int(frame["lifecycle_stage"].isin(WORKABLE_STAGES).sum())
    suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column="priority_rank"))
    suite.add_expectation(gxe.ExpectColumnMinToBeBetween(column="priority_rank",
                                                         min_value=1, max_value=1))
    suite.add_expectation(gxe.ExpectColumnMaxToBeBetween(column="priority_rank",
                                                         min_value=workable,
                                                         max_value=workable))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="rank_matches_stage",
                                                          value_set=[True]))
    return suite


def validate_frame(frame: pd.DataFrame, bounds: Bounds) -> ValidationReport:
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                         metric_calculations=False)
    source = context.data_sources.add_pandas("warehouse")
    asset = source.add_dataframe_asset(name="lead_scores")
    batch = asset.add_batch_definition_whole_dataframe("whole_mart")
    suite = context.suites.add(build_suite(frame, bounds))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(data=batch, suite=suite, name="lead_scores_after_build"))
    # A rank exactly where the stage is workable (a derived column GE can check).
    frame = frame.assign(rank_matches_stage=frame["priority_rank"].notna()
                         == frame["lifecycle_stage"].isin(WORKABLE_STAGES))
    result = definition.run(batch_parameters={"dataframe": frame})
    checks = []
    for outcome in result.results:
        config = outcome.expectation_config
        column = config.kwargs.get("column", "")
        name = f"{config.type}({column})"
        detail = ""
        if not outcome.success:
            details = outcome.result or {}
            detail = (f"{details.get('unexpected_count', '?')} unexpected, e.g. "
                      f"{details.get('partial_unexpected_list', [])[:5]}"
                      if "unexpected_count" in details else str(details.get("observed_value")))
        checks.append((name, bool(outcome.success), detail))
    return ValidationReport(success=bool(result.success), checks=checks)


def validate_warehouse(database: Path) -> ValidationReport:
    frame, bounds = load(database)
    return validate_frame(frame, bounds)
