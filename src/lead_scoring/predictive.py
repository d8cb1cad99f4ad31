"""Predictive scoring: learn from the warehouse's history what predicts conversion.

`lead-scoring calibrate` reads the training observations (open leads on several
snapshot dates, with whether they converted in the window after) and their
candidate features, both computed in SQL from data dated on or before each
snapshot (models/intermediate/prediction). Here the features are defined
(categories with enough support, rare values pooled, missing indicators,
quantile bins of numbers), one-hot encoded, and a regularised logistic
regression is fitted, its strength chosen by time-ordered cross-validation
over the training snapshots. The fitted model is written back as data
(seeds/scoring/predictive_model.csv), so scoring stays SQL
(int_lead_predictive_scored). The encoding here mirrors
macros/prediction_features_matched.sql; a test checks that both give the same
probabilities.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from lead_scoring.dbt_runner import default_scoring_model

SEED_COLUMNS = [
    "feature_id", "feature_source", "feature_name", "feature_measure", "match_type",
    "value_text", "lower_bound", "upper_bound", "coefficient", "points", "label",
    "model_version",
    "trained_rules_version", "trained_through",
]
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
NUMERIC_MIN_DISTINCT = 13  # a profile attribute with fewer distinct numbers is a category
QUANTILES = (0.2, 0.4, 0.6, 0.8)


class CalibrationError(RuntimeError):
    """Training cannot run; the message says why in one line."""


@dataclass
class FeatureDefinition:
    source: str
    name: str
    measure: str
    match_type: str
    value_text: str | None = None
    lower: float | None = None
    upper: float | None = None
    label: str = ""
    support: int = 0
    coefficient: float = 0.0


@dataclass
class TrainingData:
    observations: pd.DataFrame  # row_id order: snapshot_date, lead_id, sample, is_converted
    features: pd.DataFrame  # row_id, feature_source, feature_name, feature_measure, values


@dataclass
class FittedModel:
    definitions: list[FeatureDefinition]
    intercept: float
    strength: float
    cv_log_loss: dict[float, float] = field(default_factory=dict)
    train_rows: int = 0
    train_positives: int = 0
    holdout_rows: int = 0
    holdout_positives: int = 0
    holdout_auc: float | None = None
    trained_through: date | None = None
    standard_errors: np.ndarray | None = None


# ---------------------------------------------------------------- reading


def load_training(database: Path) -> TrainingData:
    """The training observations and their long features from the warehouse.

    The features are computed once into a temporary table, and their texts are read
    as codes plus dictionaries (pandas categoricals): millions of rows of repeated
    strings would not fit in memory as Python objects."""
    import duckdb

    with duckdb.connect(str(database)) as con:  # temporary tables only; nothing is written
        con.execute("""
            create temporary table observations as
            select
                row_number() over (order by snapshot_date, lead_id) - 1 as row_id,
                snapshot_date, lead_id, sample, snapshots_before_latest, is_converted,
                sample_weight
            from intermediate.int_prediction_observations
            where sample in ('train', 'holdout')
        """)
        con.execute("""
            create temporary table features as
            select
                observations.row_id, features.feature_source, features.feature_name,
                features.feature_measure, features.value_text, features.value_number
            from intermediate.int_prediction_training_features as features
            inner join observations
                on features.snapshot_date = observations.snapshot_date
                and features.lead_id = observations.lead_id
        """)
        observations = con.execute("select * from observations order by row_id").df()
        columns = ["feature_source", "feature_name", "feature_measure", "value_text"]
        dictionaries = {}
        for column in columns:
            con.execute(f"""
                create temporary table {column}_codes as
                select {column} as value, row_number() over (order by {column}) - 1 as code
                from (select distinct {column} from features where {column} is not null)
            """)
            dictionaries[column] = [row[0] for row in con.execute(
                f"select value from {column}_codes order by code").fetchall()]
        frame = con.execute(f"""
            select
                features.row_id,
                {", ".join(f"coalesce({c}_codes.code, -1)::integer as {c}" for c in columns)},
                features.value_number
            from features
            {" ".join(f"left join {c}_codes on features.{c} = {c}_codes.value"
                      for c in columns)}
        """).df()
    for column in columns:
        frame[column] = pd.Categorical.from_codes(frame[column].to_numpy(),
                                                  categories=dictionaries[column])
    return TrainingData(observations=observations, features=frame)


# ---------------------------------------------------------------- definitions


def _number_text(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


INTEGRAL_MEASURES = ("count_all", "count_recent", "days_since_last", "age_days")


def _range_label(name: str, measure: str, lower: float | None, upper: float | None,
                 recent_days: int, smallest: float) -> str:
    """The range in words; an open lower end of a count starts at the smallest value seen."""
    if measure in INTEGRAL_MEASURES:
        low = math.ceil(smallest if lower is None else lower)
        high = None if upper is None else math.ceil(upper) - 1
        span = (f"{low} or more" if high is None
                else str(low) if low == high else f"{low}-{high}")
    else:
        low_text = None if lower is None else _number_text(lower)
        high_text = None if upper is None else _number_text(upper)
        if low_text and high_text:
            span = f"{low_text} to under {high_text}"
        elif low_text:
            span = f"{low_text} or more"
        elif high_text:
            span = f"under {high_text}"
        else:
            span = "any"
    if measure == "count_all":
        return f"{name}: {span} times"
    if measure == "count_recent":
        return f"{name}: {span} times in the last {recent_days} days"
    if measure == "decayed_sum":
        return f"{name}: recent intensity {span}"
    if measure == "days_since_last":
        return f"last activity {span} days ago"
    if measure == "age_days":
        return f"lead created {span} days ago"
    return f"{name} {span}"


def _log_label(name: str, measure: str, recent_days: int) -> str:
    what = {"count_all": "how often", "count_recent": f"how often in the last {recent_days} days",
            "decayed_sum": "recent intensity"}[measure]
    return f"{name} ({what})"


def in_range(values, lower: float | None, upper: float | None):
    """lower <= values < upper, an open end where a bound is None (arrays or a number):
    the range match of a feature, as macros/prediction_features_matched.sql makes it."""
    inside = values >= lower if lower is not None else np.ones(np.shape(values), bool)
    return inside & (values < upper) if upper is not None else inside


def _bins(values: np.ndarray, min_support: int, integral: bool,
          quantiles: tuple[float, ...] = QUANTILES) -> list[tuple[float | None, float | None]]:
    """Quantile bins [lower, upper) of values, each with at least min_support values.
    Edges of whole-number measures are whole; others keep 3 significant digits."""
    edges = np.quantile(values, quantiles)
    edges = np.ceil(edges) if integral else np.array([float(f"{e:.3g}") for e in edges])
    edges = sorted(set(edges.tolist()))
    edges = [edge for edge in edges if edge > values.min()]
    bounds: list[float | None] = [None, *edges, None]
    bins = list(zip(bounds[:-1], bounds[1:], strict=True))

    def count(lower: float | None, upper: float | None) -> int:
        return int(in_range(values, lower, upper).sum())

    merged: list[tuple[float | None, float | None]] = []
    for lower, upper in bins:
        if merged and count(*merged[-1]) < min_support:
            merged[-1] = (merged[-1][0], upper)
        else:
            merged.append((lower, upper))
    while len(merged) > 1 and count(*merged[-1]) < min_support:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged


def bin_quantiles(positives: int) -> tuple[float, ...]:
    """Fewer bins when there are few conversions to estimate them from: quintiles from
    500 training conversions, tertiles from 100, else a median split."""
    if positives >= 500:
        return QUANTILES
    if positives >= 100:
        return (1 / 3, 2 / 3)
    return (0.5,)


def _range_definitions(source: str, name: str, measure: str, numbers: np.ndarray,
                       min_support: int, quantiles: tuple[float, ...],
                       recent_days: int) -> list[FeatureDefinition]:
    found = []
    for lower, upper in _bins(numbers, min_support, measure in INTEGRAL_MEASURES, quantiles):
        support = int(in_range(numbers, lower, upper).sum())
        if support >= min_support:
            found.append(FeatureDefinition(
                source, name, measure, "range", lower=lower, upper=upper,
                label=_range_label(name, measure, lower, upper, recent_days,
                                   float(numbers.min())),
                support=support))
    return found


def _category_definitions(source: str, name: str, measure: str, group: pd.DataFrame,
                          min_support: int) -> list[FeatureDefinition]:
    counts = group.groupby("value_text", observed=True)["row_id"].nunique().sort_index()
    found = [FeatureDefinition(source, name, measure, "category", value_text=str(value),
                               label=f"{name} is {value}", support=int(support))
             for value, support in counts[counts >= min_support].items()]
    pooled = int(counts[counts < min_support].sum())
    if pooled >= min_support:
        found.append(FeatureDefinition(source, name, measure, "other",
                                       label=f"{name} is another value", support=pooled))
    return found


def define_features(data: TrainingData, min_support: int = 25,
                    recent_days: int = 30) -> list[FeatureDefinition]:
    """Candidate features from the train sample: every attribute and activity measure.

    - profile attributes: a category per value seen on at least min_support training
      observations, rarer values pooled into 'other'; attributes whose values are all
      numbers (with at least NUMERIC_MIN_DISTINCT of them) get quantile bins instead;
    - activity counts and decayed sums: log(1 + value) and quantile bins (absent = 0
      is the reference); with fewer than 100 training conversions only the log of the
      count and of the decayed sum (too few conversions to estimate bins);
    - lead age and days since the last activity: quantile bins;
    - a missing indicator where both missing and present have min_support.
    """
    train = data.observations["sample"] == "train"
    train_rows = data.observations.loc[train, "row_id"]
    quantiles = bin_quantiles(int(data.observations.loc[train, "is_converted"].sum()))
    few = quantiles == (0.5,)
    features = data.features[data.features["row_id"].isin(train_rows)]
    definitions: list[FeatureDefinition] = []
    for (source, name, measure), group in features.groupby(
            ["feature_source", "feature_name", "feature_measure"], sort=True, observed=True):
        present = group["row_id"].nunique()
        numbers = group["value_number"].to_numpy(dtype=float, na_value=np.nan)
        if source == "activity":
            if not (few and measure == "count_recent"):
                definitions.append(FeatureDefinition(
                    source, name, measure, "log", support=present,
                    label=_log_label(name, measure, recent_days)))
            if not few:
                definitions += _range_definitions(source, name, measure, numbers,
                                                  min_support, quantiles, recent_days)
            continue
        is_numeric = source != "profile" or (
            not np.isnan(numbers).any() and len(np.unique(numbers)) >= NUMERIC_MIN_DISTINCT)
        if is_numeric:
            definitions += _range_definitions(source, name, measure, numbers, min_support,
                                              quantiles, recent_days)
        else:
            definitions += _category_definitions(source, name, measure, group, min_support)
        missing = len(train_rows) - present
        # Missing against present is a contrast: both sides need the support.
        if min(missing, present) >= min_support:
            label = ("no activity yet" if measure == "days_since_last"
                     else f"{name} unknown")
            definitions.append(FeatureDefinition(
                source, name, measure, "missing", label=label, support=missing))
    return definitions


# ---------------------------------------------------------------- encoding


def _feature_arrays(features: pd.DataFrame) -> dict[tuple, tuple[np.ndarray, ...]]:
    """Per feature (source, name, measure): its rows, value codes and numbers as arrays."""
    rows = features["row_id"].to_numpy(np.int64)
    codes = features["value_text"].cat.codes.to_numpy()
    numbers = features["value_number"].to_numpy(float, na_value=np.nan)
    groups = features.groupby(["feature_source", "feature_name", "feature_measure"],
                              sort=False, observed=True).indices
    return {key: (rows[index], codes[index], numbers[index]) for key, index in groups.items()}


def encode(data: TrainingData, definitions: list[FeatureDefinition]):
    """One-hot matrix (observations x definitions), as the SQL matches them (log
    features hold log(1 + value) instead of 1)."""
    from scipy import sparse

    n_rows = len(data.observations)
    categories = list(data.features["value_text"].cat.categories)
    code_of = {value: code for code, value in enumerate(categories)}
    arrays = _feature_arrays(data.features)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0))
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for definition in definitions:
        rows, codes, numbers = arrays.get(
            (definition.source, definition.name, definition.measure), empty)
        value = np.ones(len(rows))
        if definition.match_type == "category":
            mask = codes == code_of.get(definition.value_text, -2)
        elif definition.match_type == "other":
            known = [code_of[d.value_text] for d in definitions
                     if d.match_type == "category" and d.value_text in code_of
                     and (d.source, d.name, d.measure)
                     == (definition.source, definition.name, definition.measure)]
            mask = (codes >= 0) & ~np.isin(codes, known)
        elif definition.match_type == "range":
            mask = ~np.isnan(numbers) & in_range(numbers, definition.lower, definition.upper)
        elif definition.match_type == "log":
            mask = ~np.isnan(numbers)
            value = np.log1p(np.where(mask, numbers, 0))
        elif definition.match_type == "missing":
            present = np.zeros(n_rows, dtype=bool)  # setdiff1d hashed every row: 7 s at 1M
            present[rows] = True
            missing = np.flatnonzero(~present)
            columns.append(missing)
            values.append(np.ones(len(missing)))
            continue
        else:
            raise ValueError(definition.match_type)
        chosen, first = np.unique(rows[mask], return_index=True)
        columns.append(chosen)
        values.append(value[mask][first])
    indices = np.concatenate(columns) if columns else np.zeros(0, np.int64)
    column_ids = np.repeat(np.arange(len(columns)), [len(c) for c in columns])
    matrix = sparse.csc_matrix(
        (np.concatenate(values) if values else np.zeros(0), (indices, column_ids)),
        shape=(n_rows, len(definitions)))
    return matrix.tocsr()


# ---------------------------------------------------------------- fitting


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(labels)) < 2:
        return None
    return float(roc_auc_score(labels, scores))


def _solver(**parameters):
    """The L2-penalised logistic regression every fit uses (cross-validation folds and the
    final fit alike, so a fold's solution is a start for the final fit)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(solver="lbfgs", max_iter=2000, tol=1e-6, **parameters)


def _fit(matrix, labels: np.ndarray, strength: float, weights: np.ndarray,
         start: tuple[np.ndarray, np.ndarray] | None = None):
    """Fit at strength C; start (coefficients, intercept) warm-starts the solver: the
    same convex objective, so the same optimum within the tolerance, found in fewer
    iterations (at 1M leads 178 instead of 433)."""
    model = _solver(C=strength, warm_start=start is not None)
    if start is not None:
        model.coef_, model.intercept_ = start[0].copy(), start[1].copy()
    model.fit(matrix, labels, sample_weight=weights)
    return model


def choose_strength(matrix, observations: pd.DataFrame, max_rows: int = 150_000,
                    seed: int = 0) -> tuple[dict[float, float], dict[float, tuple]]:
    """Mean validation log loss per C, fitting on earlier snapshots, validating on the
    next; and per C the (coefficients, intercept) fitted on the latest fold, to start the
    final fit from.

    Each fold fits at most max_rows rows, the strengths from the strongest regularisation
    up, each fit starting from the previous one's coefficients (a warm start). The folds
    are independent: they run side by side (the solver leaves the interpreter lock for
    the matrix products)."""
    from concurrent.futures import ThreadPoolExecutor

    from sklearn.metrics import log_loss

    train = observations["sample"].to_numpy() == "train"
    snapshots = np.sort(observations.loc[train, "snapshot_date"].unique())
    labels = observations["is_converted"].to_numpy(dtype=int)
    weights = observations["sample_weight"].to_numpy(dtype=float)
    dates = observations["snapshot_date"].to_numpy()
    rng = np.random.default_rng(seed)
    folds = []
    for fold_date in snapshots[1:]:
        fit_rows = np.flatnonzero(train & (dates < fold_date))
        check_rows = np.flatnonzero(train & (dates == fold_date))
        if len(fit_rows) > max_rows:
            fit_rows = np.sort(rng.choice(fit_rows, max_rows, replace=False))
        if len(np.unique(labels[fit_rows])) >= 2 and len(np.unique(labels[check_rows])) >= 2:
            folds.append((fit_rows, check_rows))

    def run_fold(fold: tuple[np.ndarray, np.ndarray]) -> dict[float, tuple]:
        fit_rows, check_rows = fold
        model = _solver(warm_start=True)
        results = {}
        for strength in sorted(C_GRID):
            model.set_params(C=strength)
            model.fit(matrix[fit_rows], labels[fit_rows], sample_weight=weights[fit_rows])
            predicted = model.predict_proba(matrix[check_rows])[:, 1]
            loss = log_loss(labels[check_rows], predicted, labels=[0, 1],
                            sample_weight=weights[check_rows])
            results[strength] = (loss, model.coef_.copy(), model.intercept_.copy())
        return results

    with ThreadPoolExecutor(max_workers=2) as pool:
        per_fold = list(pool.map(run_fold, folds))
    if not per_fold:
        return {}, {}
    losses = {c: float(np.mean([fold[c][0] for fold in per_fold])) for c in C_GRID}
    starts = {c: per_fold[-1][c][1:] for c in C_GRID}
    return losses, starts


def _standard_errors(matrix, probabilities: np.ndarray, strength: float,
                     sample_weights: np.ndarray) -> np.ndarray:
    """Approximate standard errors of the coefficients (diagonal of the penalised Fisher
    information): how much evidence each feature has."""
    weights = sample_weights * probabilities * (1 - probabilities)
    information = np.asarray(matrix.multiply(matrix).T @ weights).ravel() + 1.0 / strength
    return 1.0 / np.sqrt(information)


def fit_model(data: TrainingData, min_support: int = 25, recent_days: int = 30,
              min_positives: int = 10) -> FittedModel:
    observations = data.observations
    train = observations["sample"].to_numpy() == "train"
    holdout = observations["sample"].to_numpy() == "holdout"
    labels = observations["is_converted"].to_numpy(dtype=int)
    positives = int(labels[train].sum())
    blocker = calibration_blocker(int(train.sum()), positives, min_positives)
    if blocker:
        raise CalibrationError(blocker)
    definitions = define_features(data, min_support=min_support, recent_days=recent_days)
    if not definitions:
        raise CalibrationError("no candidate feature has enough support "
                               f"(at least {min_support} training observations)")
    matrix = encode(data, definitions)
    losses, starts = choose_strength(matrix, observations)
    strength = min(losses, key=losses.get) if losses else 1.0
    weights = observations["sample_weight"].to_numpy(dtype=float)
    model = _fit(matrix[train], labels[train], strength, weights[train], starts.get(strength))
    for definition, coefficient in zip(definitions, model.coef_[0], strict=True):
        definition.coefficient = float(coefficient)
    fitted = FittedModel(
        definitions=definitions, intercept=float(model.intercept_[0]), strength=strength,
        cv_log_loss=losses, train_rows=int(train.sum()), train_positives=positives,
        holdout_rows=int(holdout.sum()), holdout_positives=int(labels[holdout].sum()),
        trained_through=pd.Timestamp(observations["snapshot_date"].max()).date(),
    )
    fitted.standard_errors = _standard_errors(
        matrix[train], model.predict_proba(matrix[train])[:, 1], strength, weights[train])
    if holdout.any():
        fitted.holdout_auc = roc_auc(labels[holdout], predict(fitted, matrix[holdout]))
    return fitted


def predict(fitted: FittedModel, matrix) -> np.ndarray:
    coefficients = np.array([_rounded(d.coefficient) for d in fitted.definitions])
    logit = matrix @ coefficients + _rounded(fitted.intercept)
    return 1 / (1 + np.exp(-logit))


def _rounded(value: float) -> float:
    """Coefficients and bounds as written to the seed (6 significant digits: the same
    text on every machine; SQL and Python both score with these)."""
    return float(f"{value:.6g}")


# ---------------------------------------------------------------- writing


def model_rows(fitted: FittedModel, rules_version: str,
               points_per_log_odds: float) -> list[dict[str, object]]:
    """The seed's rows: the intercept, then every feature with its coefficient and its
    points (the coefficient on the rules' scale, rounded to a multiple of 5)."""
    rows: list[dict[str, object]] = [{
        "feature_source": "model", "feature_name": "intercept", "feature_measure": "",
        "match_type": "intercept", "value_text": "", "lower_bound": "", "upper_bound": "",
        "coefficient": _rounded(fitted.intercept), "points": 0, "label": "base rate",
    }]
    for definition in fitted.definitions:
        rows.append({
            "feature_source": definition.source, "feature_name": definition.name,
            "feature_measure": definition.measure, "match_type": definition.match_type,
            "value_text": definition.value_text or "",
            "lower_bound": "" if definition.lower is None else _rounded(definition.lower),
            "upper_bound": "" if definition.upper is None else _rounded(definition.upper),
            "coefficient": _rounded(definition.coefficient),
            "points": int(5 * round(points_per_log_odds * definition.coefficient / 5)),
            "label": definition.label,
        })
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
    for number, row in enumerate(rows):
        row.update(feature_id=number, model_version=digest, trained_rules_version=rules_version,
                   trained_through=fitted.trained_through.isoformat()
                   if fitted.trained_through else "")
    return rows


def write_model_seed(rows: list[dict[str, object]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SEED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def rules_version(database: Path) -> str:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute(
            "select rules_version from intermediate.int_scoring_rules_versioned").fetchone()
    return row[0] if row else ""


# ---------------------------------------------------------------- evaluation


def covered_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC of the scores that are there, when they cover at least 90 % of the leads
    (None otherwise, or with one class only)."""
    present = ~np.isnan(scores)
    if present.sum() < 0.9 * len(scores):
        return None
    return roc_auc(labels[present], scores[present])


def rules_order_sql(snapshots: str) -> str:
    """The current rules' order (score_rank) of every lead in the history on the
    snapshot dates of the relation `snapshots`: cell priority, behaviour, fit, lead_id
    over every lead whatever its stage (the priority list ranks workable leads only), by
    the default scoring model; macros/rules_order.sql is the same order in the models."""
    return f"""
        select
            lead_id, score_date,
            row_number() over (
                partition by score_date
                order by matrix_priority, behaviour_score desc, fit_points desc, lead_id
            ) as score_rank
        from marts.lead_score_history
        where
            score_date in (select distinct snapshot_date from {snapshots})
            and scoring_model = '{default_scoring_model()}'
    """


def current_rules_auc(database: Path, data: TrainingData) -> float | None:
    """ROC AUC of the current rules' order (minus score_rank) on the holdout, where the
    history holds the holdout snapshot's scores."""
    import duckdb

    holdout = data.observations[data.observations["sample"] == "holdout"]
    if holdout.empty:
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        con.register("holdout", holdout[["snapshot_date", "lead_id", "is_converted"]])
        frame = con.execute(f"""
            select holdout.is_converted, -history.score_rank as current_priority
            from holdout
            left join ({rules_order_sql("holdout")}) as history
                on history.lead_id = holdout.lead_id
                and history.score_date = holdout.snapshot_date
        """).df()
    return covered_auc(frame["is_converted"].to_numpy(),
                       frame["current_priority"].to_numpy(float, na_value=np.nan))


def ceiling_auc(database: Path, truth: Path) -> float | None:
    """ROC AUC of a generator's hidden propensity (_truth.parquet) on the holdout."""
    import duckdb

    if not truth.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("""
            select observations.is_converted, truth.propensity
            from intermediate.int_prediction_observations as observations
            inner join read_parquet(?) as truth
                on truth.lead_id = observations.lead_id
            where observations.sample = 'holdout'
        """, [truth.as_posix()]).fetchall()
    if not rows:
        return None
    return roc_auc(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))


def summary_line(fitted: FittedModel, rules_auc: float | None = None) -> str:
    auc = "n/a" if fitted.holdout_auc is None else f"{fitted.holdout_auc:.3f}"
    line = (f"predictive model (trained through {fitted.trained_through}): holdout ROC AUC "
            f"{auc} on {fitted.holdout_rows:,} leads ({fitted.holdout_positives:,} converted); "
            f"fitted on {fitted.train_rows:,} observations ({fitted.train_positives:,} "
            f"converted), {len(fitted.definitions)} features, C={fitted.strength:g}")
    if rules_auc is not None:
        line += f"; current rules' order {rules_auc:.3f} on the same leads"
    return line


def status_line(database: Path, min_positives: int = 10) -> str:
    """One line on the predictive score of a built warehouse: the model that scored it,
    or why there is none and whether `lead-scoring calibrate` can run."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        version, trained_through, rows = con.execute("""
            select max(model_version), max(trained_through), count(*)
            from rules.predictive_model
        """).fetchone()
        observations, positives = con.execute("""
            select count(*), coalesce(sum(is_converted), 0)
            from intermediate.int_prediction_observations where sample = 'train'
        """).fetchone()
        scored = con.execute(
            "select count(conversion_probability) from marts.lead_scores").fetchone()[0]
    if rows:
        return (f"predictive score: model {version} (trained through {trained_through}) "
                f"scored {scored:,} leads")
    return "predictive score: no trained model yet (seeds/scoring/predictive_model.csv " \
        "is empty); " + readiness(observations, positives, min_positives)


def calibration_blocker(observations: int, positives: int, min_positives: int = 10
                        ) -> str | None:
    """Why calibration cannot run on this many training observations and conversions
    (None: it can). The build's status line and `calibrate` both say it."""
    if observations == 0:
        return ("no training snapshot has a whole outcome window before the score date "
                "(history too short for var prediction_outcome_window_days)")
    if positives < min_positives:
        return (f"only {positives} conversions in {observations:,} training observations "
                f"(at least {min_positives} needed)")
    return None


def readiness(observations: int, positives: int, min_positives: int = 10) -> str:
    """Whether calibration can run on this many training observations and conversions."""
    blocker = calibration_blocker(observations, positives, min_positives)
    if blocker:
        return f"calibration cannot run: {blocker}"
    return "run lead-scoring calibrate to train one"


def calibrate(database: Path, seed_dir: Path, min_support: int = 25,
              recent_days: int = 30) -> tuple[FittedModel, TrainingData]:
    """Fit on the warehouse and write the model seed; raise CalibrationError if it cannot."""
    from lead_scoring.suggest import points_scale

    data = load_training(database)
    fitted = fit_model(data, min_support=min_support, recent_days=recent_days)
    write_model_seed(model_rows(fitted, rules_version(database), points_scale(fitted)),
                     seed_dir / "predictive_model.csv")
    return fitted, data
