"""Pre-flight check of the rule seeds' numbers, run by the CLI before dbt.

dbt loads seeds with typed columns, so a non-numeric value fails the seed load
with a type error that does not say which rule is wrong. This names the rule.
Everything else about the rules is checked in dbt (int_scoring_rules_validated).
"""

from __future__ import annotations

import csv
from pathlib import Path

NUMERIC_COLUMNS = {
    "profile_rules": (["points"], []),
    "activity_rules": (["points", "half_life_days"], ["max_points", "max_per_day",
                                                      "max_lifetime"]),
    "grade_bands": (["min_points", "max_points"], []),
    "engagement_bands": (["engagement_band", "min_score", "max_score"], []),
}


class RulesError(ValueError):
    """A rule seed cannot be loaded; the message names every bad rule."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_rule_seeds(seed_dir: Path) -> None:
    problems: list[str] = []
    for seed, (required, optional) in NUMERIC_COLUMNS.items():
        path = seed_dir / f"{seed}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            for line_number, row in enumerate(csv.DictReader(handle), start=2):
                name = row.get("rule_id") or " ".join(
                    filter(None, [row.get("scoring_model"), row.get("grade"),
                                  row.get("engagement_band")]))
                for column in required + optional:
                    value = (row.get(column) or "").strip()
                    if not value and column in optional:
                        continue
                    if not _is_number(value):
                        problems.append(f"{path.name} line {line_number} ({name}): "
                                        f"{column} {value!r} is not a number")
    if problems:
        raise RulesError("The scoring rules are broken; nothing was scored:\n  "
                         + "\n  ".join(problems))
