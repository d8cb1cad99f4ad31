"""A lead deleted in the CRM, or set to do-not-contact, after it was scored reaches the
CRM sync feed (lead_threshold_events) on the next run."""

from __future__ import annotations

import shutil

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import FIXTURES, SCORE_DATE, copy_of

NEXT_DAY = "2026-04-01"
DAY_AFTER = "2026-04-02"


def _set(path, lead_id: str, column: str, value: str) -> None:
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    index = header.index(column)
    for number, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == lead_id:
            cells[index] = value
            lines[number] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_deleted_and_do_not_contact_leads_emit_events(tmp_path, warehouse):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    database = copy_of(warehouse, tmp_path / "warehouse").database  # built as of SCORE_DATE
    build = ["build", "--exclude-resource-type", "unit_test"]
    # The next day L003 is deleted in the CRM and L007 asks not to be contacted.
    _set(raw / "crm_leads.csv", "L003", "is_deleted", "true")
    _set(raw / "crm_leads.csv", "L007", "do_not_contact", "true")
    run_dbt(build, Warehouse(database=database, raw_path=raw, raw_format="csv",
                             score_date=NEXT_DAY))

    def events(day: str) -> list[tuple]:
        return query(database, f"""
            select scoring_model, lead_id, event_type, subject, from_value, to_value,
                   cast(previous_score_date as varchar)
            from marts.lead_threshold_events
            where score_date = '{day}' and lead_id in ('L003', 'L007')
                and event_type in ('stage_changed', 'segment_left', 'segment_entered')
            order by scoring_model, lead_id, event_type
        """)
    # Each scoring model reports its own stage change; segments are the default model's.
    assert events(NEXT_DAY) == [
        ("default", "L003", "segment_left", "nurture_educational", None, None, SCORE_DATE),
        ("default", "L003", "stage_changed", "lifecycle_stage", "lead", "deleted", SCORE_DATE),
        ("default", "L007", "segment_left", "nurture_educational", None, None, SCORE_DATE),
        ("default", "L007", "stage_changed", "lifecycle_stage", "lead", "disqualified",
         SCORE_DATE),
        ("product_analytics", "L003", "stage_changed", "lifecycle_stage", "lead", "deleted",
         SCORE_DATE),
        ("product_analytics", "L007", "stage_changed", "lifecycle_stage", "lead",
         "disqualified", SCORE_DATE),
    ]
    # The day after, the deleted lead is gone already: it is reported once, not on
    # every later run (its last row, two dates back, is no change of this run's).
    run_dbt(build, Warehouse(database=database, raw_path=raw, raw_format="csv",
                             score_date=DAY_AFTER))
    assert events(DAY_AFTER) == []
    assert query(database, """
        select count(*) from intermediate.int_lead_score_changes
        where lead_id = 'L003'
    """) == [(0,)]
