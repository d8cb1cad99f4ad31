"""A BI reader process for the publishing test: reads the published marts in a
loop and reports every snapshot it saw, and any error, as JSON on stdout."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def main(published: str, stop_file: str, seconds: float) -> None:
    """Read until stop_file exists (or `seconds` pass)."""
    path, stop = Path(published), Path(stop_file)
    snapshots: dict[str, int] = {}
    errors: list[str] = []
    reads = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.exists():
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                row = con.execute("""
                    select
                        (select count(*) from marts.lead_scores),
                        (select count(distinct score_date) from marts.lead_scores),
                        (select cast(max(score_date) as varchar) from marts.lead_scores),
                        (select count(*) from marts.lead_score_history),
                        (select cast(max(score_date) as varchar) from marts.lead_score_history)
                """).fetchall()[0]
            key = "|".join(str(value) for value in row)
            snapshots[key] = snapshots.get(key, 0) + 1
        except Exception as error:  # noqa: BLE001 - every failure is reported
            errors.append(f"{type(error).__name__}: {error}")
        reads += 1
    print(json.dumps({"reads": reads, "snapshots": snapshots, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
