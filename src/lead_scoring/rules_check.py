"""Pre-flight check of the rule seeds as a whole, run by the CLI before dbt.

dbt loads seeds with typed columns and checks each rule on its own
(int_scoring_rules_validated); what only the whole set or the engine can say
is checked here, naming the file, line and rule: numbers that are not
numbers, mixed line endings, rule ids used twice across the rule seeds,
attributes nobody has (with the closest known name), regular expressions the
engine cannot compile, between ranges, and scoring models without their bands
or matrix rows.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import defaultdict
from pathlib import Path

from lead_scoring.dbt_runner import project_vars

NUMERIC_COLUMNS = {
    "profile_rules": (["points"], []),
    "activity_rules": (["points", "half_life_days"], ["max_points", "max_per_day",
                                                      "max_lifetime"]),
    "grade_bands": (["min_points", "max_points"], []),
    "engagement_bands": (["engagement_band", "min_score", "max_score"], []),
}
RULE_SEEDS = ("profile_rules", "activity_rules")  # rule ids are unique across these


class RulesError(ValueError):
    """A rule seed cannot be loaded; the message names every bad rule."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(line, {key: (value or "").strip() for key, value in row.items() if key})
                for line, row in enumerate(csv.DictReader(handle), start=2)]


def _name(row: dict[str, str]) -> str:
    return row.get("rule_id") or row.get("segment_id") or " ".join(
        filter(None, [row.get("scoring_model"), row.get("grade"), row.get("engagement_band")]))


def _line_endings(path: Path) -> list[str]:
    """A file that mixes LF and CRLF rows (a row appended by another editor)."""
    lines = path.read_bytes().split(b"\n")[:-1]
    endings = ["CRLF" if line.endswith(b"\r") else "LF" for line in lines]
    for number, ending in enumerate(endings, start=1):
        if ending != endings[0]:
            return [f"{path.name} line {number} ends with {ending} but line 1 with "
                    f"{endings[0]}: save the file with one kind of line ending"]
    return []


def _numbers(seed: str, path: Path, rows) -> list[str]:
    required, optional = NUMERIC_COLUMNS[seed]
    problems = []
    for line, row in rows:
        for column in required + optional:
            value = row.get(column, "")
            if not value and column in optional:
                continue
            if not _is_number(value):
                problems.append(f"{path.name} line {line} ({_name(row)}): "
                                f"{column} {value!r} is not a number")
    return problems


def _unique_ids(seeds: dict[str, list]) -> list[str]:
    seen: dict[str, list[str]] = defaultdict(list)
    for seed in RULE_SEEDS:
        for line, row in seeds[seed]:
            if row.get("rule_id"):
                seen[row["rule_id"]].append(f"{seed}.csv line {line}")
    return [f"rule id {rule_id} is used {len(places)} times ({', '.join(places)}): rule ids "
            f"must be unique across every rule seed" for rule_id, places in seen.items()
            if len(places) > 1]


def known_attributes(project_dir: Path) -> tuple[set[str], set[str]]:
    """Built-in attributes of profile rules and of segments (vars of dbt_project.yml)."""
    variables = project_vars(project_dir)
    return tuple({name for names in variables[key].values() for name in names}
                 for key in ("profile_attributes", "segment_attributes"))


def _attributes(seed: str, rows, known: set[str], sources: str) -> list[str]:
    problems = []
    for line, row in rows:
        attribute = row.get("attribute", "").lower()
        if attribute and attribute not in known:
            close = difflib.get_close_matches(attribute, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{seed}.csv line {line} ({_name(row)}): unknown attribute "
                            f"'{attribute}'{hint}; known: {sources}")
    return problems


def _patterns(seed: str, rows) -> list[str]:
    """Regular expressions compiled by DuckDB, as the build will run them."""
    import duckdb

    problems = []
    with duckdb.connect() as con:
        for line, row in rows:
            column = "url_pattern" if seed == "activity_rules" else "rule_value"
            if seed != "activity_rules" and row.get("operator", "").lower() != "regex":
                continue
            pattern = row.get(column, "").lower()
            if not pattern:
                continue
            try:
                con.execute("select regexp_matches('', ?)", [pattern]).fetchall()
            except duckdb.Error as error:
                reason = re.sub(r"^.*?Error: ", "", str(error).splitlines()[0])
                problems.append(f"{seed}.csv line {line} ({_name(row)}): {column} "
                                f"'{pattern}' is not a valid regular expression: {reason}")
    return problems


def _ranges(seed: str, rows) -> list[str]:
    problems = []
    for line, row in rows:
        if row.get("operator", "").lower() != "between":
            continue
        parts = row.get("rule_value", "").split("|")
        if len(parts) != 2 or not all(_is_number(part) for part in parts):
            problems.append(f"{seed}.csv line {line} ({_name(row)}): between needs "
                            f"low|high numbers, got '{row.get('rule_value', '')}'")
        elif float(parts[0]) > float(parts[1]):
            problems.append(f"{seed}.csv line {line} ({_name(row)}): between range "
                            f"{parts[0]}|{parts[1]} is empty (low above high)")
    return problems


def _models_complete(seeds: dict[str, list]) -> list[str]:
    models = sorted({row["scoring_model"] for seed in RULE_SEEDS
                     for _, row in seeds[seed] if row.get("scoring_model")})
    problems = []
    for model in models:
        grades = {row["grade"] for _, row in seeds["grade_bands"]
                  if row.get("scoring_model") == model}
        bands = {row["engagement_band"] for _, row in seeds["engagement_bands"]
                 if row.get("scoring_model") == model}
        for seed, present in (("grade_bands", grades), ("engagement_bands", bands)):
            if not present:
                problems.append(f"scoring model '{model}' has rules but no rows in {seed}.csv "
                                f"(every scoring model needs its grade bands, engagement "
                                f"bands and priority matrix)")
        cells = {(row.get("grade"), row.get("engagement_band"))
                 for _, row in seeds["priority_matrix"] if row.get("scoring_model") == model}
        missing = sorted((grade, band) for grade in grades for band in bands
                         if (grade, band) not in cells)
        if missing:
            problems.append(f"scoring model '{model}': priority_matrix.csv has no row for "
                            + ", ".join(f"{grade}{band}" for grade, band in missing)
                            + " (grade x engagement band)")
    return problems


def check_rule_seeds(seed_dir: Path, extra_attributes: set[str] | None = None,
                     project_dir: Path | None = None) -> None:
    """Raise RulesError naming every problem; extra_attributes: the names the raw
    crm_lead_attributes holds."""
    project_dir = project_dir or seed_dir.parents[1]
    problems: list[str] = []
    names = ("profile_rules", "activity_rules", "grade_bands", "engagement_bands",
             "priority_matrix", "segments")
    for name in names:
        problems += _line_endings(seed_dir / f"{name}.csv")
    if problems:  # csv cannot be trusted to read the rest
        raise RulesError("The scoring rules are broken; nothing was scored:\n  "
                         + "\n  ".join(problems))
    seeds = {name: _rows(seed_dir / f"{name}.csv") for name in names}
    for seed in NUMERIC_COLUMNS:
        problems += _numbers(seed, seed_dir / f"{seed}.csv", seeds[seed])
    problems += _unique_ids(seeds)
    profile_known, segment_known = known_attributes(project_dir)
    extras = {name.lower() for name in extra_attributes or set()}
    problems += _attributes("profile_rules", seeds["profile_rules"], profile_known | extras,
                            "a CRM attribute, a derived one or a name in crm_lead_attributes")
    problems += _attributes("segments", seeds["segments"], segment_known,
                            "an attribute of the day's scores (var segment_attributes)")
    for seed in ("profile_rules", "activity_rules", "segments"):
        problems += _patterns(seed, seeds[seed])
    for seed in ("profile_rules", "segments"):
        problems += _ranges(seed, seeds[seed])
    problems += _models_complete(seeds)
    if problems:
        raise RulesError("The scoring rules are broken; nothing was scored:\n  "
                         + "\n  ".join(problems))
