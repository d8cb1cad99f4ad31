"""Suggested rules: the fitted predictive model translated into the rule seeds' format.

Log-odds become points on the rules' 5-point scale: the strongest effect of the
model is worth 30 points (as a demo request is in the shipped rules), every
other in proportion, rounded to a multiple of 5. Profile features become
profile rules (eq, not_in, is_null, between/gte/lt); an activity type (or type
and URL pattern) becomes an activity rule whose points are what one fresh
activity adds and whose max_points is the most any count of them adds. Lead
age and recency stay in the predictive score (no rule format for them).

A current rule keeps its points unless the model has evidence to change them:
the change must be backed by a coefficient at least `min_z` standard errors
from 0; a sign flip without that evidence is refused and said so. A new rule
needs the same evidence. The hand rules stay the default until a person
applies the suggestion (`lead-scoring calibrate --apply`).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lead_scoring.predictive import FeatureDefinition, FittedModel, in_range

STRONGEST_POINTS = 30
MIN_Z = 2.0
MAX_COUNT = 50  # activity counts considered when finding a rule's cap


@dataclass
class Candidate:
    """A rule the model would write for one feature (profile) or one activity key."""

    kind: str  # profile or activity
    key: tuple  # (attribute, operator, value) or (activity_type, url_pattern)
    effect: float  # log-odds of the rule's typical effect (profile: the coefficient)
    z: float  # evidence: the strongest |coefficient / standard error| behind it
    label: str
    cap_effect: float = 0.0  # activity: the largest effect of any count
    matched: bool = False


@dataclass
class RuleChange:
    rule_id: str
    kind: str
    before: float | None
    after: float | None
    note: str


@dataclass
class Suggestion:
    profile_rows: list[dict[str, str]]
    activity_rows: list[dict[str, str]]
    changes: list[RuleChange] = field(default_factory=list)
    points_per_log_odds: float = 0.0

    def diff_lines(self) -> list[str]:
        lines = []
        for change in self.changes:
            before = "-" if change.before is None else f"{change.before:+g}"
            after = "-" if change.after is None else f"{change.after:+g}"
            lines.append(f"{change.rule_id:<6} {change.kind:<8} {before:>5} -> {after:<5} "
                         f"{change.note}")
        return lines


def round5(points: float) -> float:
    return float(5 * round(points / 5))


def _activity_points(effect: float, cap_effect: float, scale: float) -> tuple[float, float]:
    """An activity rule's points (what one fresh activity adds; at least 5 either way when
    more of them add something) and its max_points (the most any number of them add, at
    least the points; 0 when they add nothing)."""
    points = round5(scale * effect)
    cap = abs(round5(scale * cap_effect))
    if not points and cap:
        points = math.copysign(5, cap_effect)
    return points, max(cap, abs(points))


def _activity_contribution(definitions: list[tuple[FeatureDefinition, float]],
                           count: int) -> float:
    """Log-odds that `count` fresh activities of one key add (count = recent count =
    decayed sum)."""
    total = 0.0
    for definition, coefficient in definitions:
        if definition.match_type == "log":
            total += coefficient * math.log1p(count)
        elif definition.match_type == "range" and in_range(
                count, definition.lower, definition.upper):
            total += coefficient
    return total


def candidates(fitted: FittedModel) -> list[Candidate]:
    errors = fitted.standard_errors if fitted.standard_errors is not None else np.ones(
        len(fitted.definitions))
    found: list[Candidate] = []
    by_key: dict[str, list[tuple[FeatureDefinition, float, float]]] = {}
    categories: dict[str, list[str]] = {}
    for definition in fitted.definitions:
        if definition.source == "profile" and definition.match_type == "category":
            categories.setdefault(definition.name, []).append(str(definition.value_text))
    for definition, error in zip(fitted.definitions, errors, strict=True):
        z = abs(definition.coefficient) / error if error > 0 else 0.0
        if definition.source == "activity":
            by_key.setdefault(definition.name, []).append((definition, definition.coefficient, z))
            continue
        if definition.source != "profile":
            continue
        if definition.match_type == "category":
            key = (definition.name, "eq", str(definition.value_text).lower())
        elif definition.match_type == "missing":
            key = (definition.name, "is_null", "")
        elif definition.match_type == "other":
            key = (definition.name, "not_in", "|".join(sorted(categories.get(definition.name, []))))
        elif definition.lower is not None and definition.upper is not None:
            key = (definition.name, "between", f"{definition.lower:g}|{definition.upper:g}")
        elif definition.lower is not None:
            key = (definition.name, "gte", f"{definition.lower:g}")
        elif definition.upper is not None:
            key = (definition.name, "lt", f"{definition.upper:g}")
        else:
            continue
        found.append(Candidate("profile", key, definition.coefficient, z, definition.label))
    for name, parts in by_key.items():
        pairs = [(d, c) for d, c, _ in parts]
        curve = [_activity_contribution(pairs, n) for n in range(1, MAX_COUNT + 1)]
        strongest = max(curve, key=abs)
        activity_type, _, url_pattern = name.partition(" ")
        found.append(Candidate("activity", (activity_type, url_pattern), curve[0],
                               max(z for *_, z in parts), f"{name} (suggested)",
                               cap_effect=strongest))
    return found


def points_scale(fitted: FittedModel, found: list[Candidate] | None = None) -> float:
    """Points per unit of log-odds: the model's strongest effect is worth STRONGEST_POINTS."""
    found = candidates(fitted) if found is None else found
    strongest = max([abs(c.effect) for c in found] + [abs(c.cap_effect) for c in found]
                    + [1e-9])
    return STRONGEST_POINTS / strongest


def _profile_rule_keys(rule: dict[str, str]) -> list[tuple]:
    attribute, operator = rule["attribute"].lower(), rule["operator"].lower()
    values = [v.strip().lower() for v in (rule.get("rule_value") or "").split("|")]
    if operator in ("eq", "in"):
        return [(attribute, "eq", value) for value in values]
    if operator == "is_null":
        return [(attribute, "is_null", "")]
    return []


def suggest(fitted: FittedModel, seed_dir: Path, scoring_model: str = "default",
            half_life_days: float = 30, min_z: float = MIN_Z) -> Suggestion:
    found = candidates(fitted)
    scale = points_scale(fitted, found)
    profile_rows = _read(seed_dir / "profile_rules.csv")
    activity_rows = _read(seed_dir / "activity_rules.csv")
    profile_index = {c.key: c for c in found if c.kind == "profile"}
    activity_index = {c.key: c for c in found if c.kind == "activity"}
    changes: list[RuleChange] = []

    def decide(rule: dict[str, str], kind: str, matches: list[Candidate]) -> None:
        current = float(rule["points"])
        if not matches:
            changes.append(RuleChange(rule["rule_id"], kind, current, current,
                                      "kept: the model has no matching feature"))
            return
        for match in matches:
            match.matched = True
        proposed = round5(scale * float(np.mean([m.effect for m in matches])))
        cap = 0.0
        if kind == "activity":
            proposed, cap = _activity_points(matches[0].effect, matches[0].cap_effect, scale)
        evidence = max(m.z for m in matches)
        if proposed == current:
            changes.append(RuleChange(rule["rule_id"], kind, current, current, "unchanged"))
            return
        if evidence < min_z:
            flip = proposed * current < 0
            why = "opposite sign" if flip else f"{proposed:+g}"
            changes.append(RuleChange(
                rule["rule_id"], kind, current, current,
                f"kept: too little evidence for {why} (z={evidence:.1f} < {min_z:g})"))
            return
        rule["points"] = f"{proposed:g}"
        note = f"changed (z={evidence:.1f})"
        if cap:  # a rule worth 0 keeps its cap (a cap must be above 0)
            rule["max_points"] = f"{cap:g}"
            note += f", cap {cap:g}"
        if proposed * current < 0:
            note = "sign flipped with evidence " + note[len("changed "):]
        changes.append(RuleChange(rule["rule_id"], kind, current, proposed, note))

    for rule in profile_rows:
        if rule["scoring_model"] == scoring_model:
            keys = _profile_rule_keys(rule)
            decide(rule, "profile", [profile_index[k] for k in keys if k in profile_index])
    for rule in activity_rows:
        if rule["scoring_model"] == scoring_model:
            key = (rule["activity_type"].lower(), rule.get("url_pattern") or "")
            decide(rule, "activity", [activity_index[key]] if key in activity_index else [])

    new_profile = new_activity = 0
    for candidate in sorted(found, key=lambda c: -abs(c.effect)):
        points = round5(scale * candidate.effect)
        if candidate.matched or candidate.z < min_z:
            continue
        if candidate.kind == "profile" and points:
            new_profile += 1
            rule_id = f"SP{new_profile:02d}"
            attribute, operator, value = candidate.key
            profile_rows.append({
                "rule_id": rule_id, "scoring_model": scoring_model, "attribute": attribute,
                "operator": operator, "rule_value": value, "points": f"{points:g}",
                "description": f"{candidate.label} (suggested)"})
            changes.append(RuleChange(rule_id, "profile", None, points,
                                      f"new: {candidate.label} (z={candidate.z:.1f})"))
        elif candidate.kind == "activity":
            points, cap = _activity_points(candidate.effect, candidate.cap_effect, scale)
            if not points:
                continue
            new_activity += 1
            rule_id = f"SB{new_activity:02d}"
            activity_type, url_pattern = candidate.key
            activity_rows.append({
                "rule_id": rule_id, "scoring_model": scoring_model,
                "activity_type": activity_type, "url_pattern": url_pattern,
                "points": f"{points:g}", "half_life_days": f"{half_life_days:g}",
                "max_points": f"{cap:g}", "max_per_day": "",
                "max_lifetime": "", "description": candidate.label})
            changes.append(RuleChange(rule_id, "activity", None, points,
                                      f"new: {candidate.label} (z={candidate.z:.1f}), "
                                      f"cap {cap:g}"))
    return Suggestion(profile_rows, activity_rows, changes, scale)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(suggestion: Suggestion, out_dir: Path, template_dir: Path) -> list[Path]:
    """Write the suggested rule seeds (same columns as the templates) and the diff."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in (("profile_rules", suggestion.profile_rows),
                       ("activity_rules", suggestion.activity_rows)):
        with (template_dir / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            columns = next(csv.reader(handle))
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n",
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    diff = out_dir / "rules_diff.txt"
    diff.write_text("\n".join([
        "Suggested rules against the current ones (rule, kind, points before -> after, why).",
        f"Scale: {suggestion.points_per_log_odds:.1f} points per unit of log-odds.",
        *suggestion.diff_lines(), ""]))
    written.append(diff)
    return written
