"""Bad input is quarantined with a reason; nothing is lost (fixtures in
tests/fixtures/raw hold one bad row per class)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from .conftest import FIXTURES

STAGING = {
    "crm_leads": "stg_crm__leads",
    "crm_accounts": "stg_crm__accounts",
    "crm_opportunities": "stg_crm__opportunities",
    "crm_lead_attributes": "stg_crm__lead_attributes",
    "activities": "stg_crm__activities",
    "web_events": "stg_web__events",
    "email_events": "stg_email__events",
}


def raw_count(table: str) -> int:
    path = FIXTURES / f"{table}.csv"
    return duckdb.sql(f"select count(*) from read_csv('{path}', header = true, "
                      f"all_varchar = true)").fetchall()[0][0]


@pytest.mark.parametrize("table", sorted(STAGING))
def test_raw_rows_equal_staged_plus_quarantined(sql, table):
    staged = sql(f"select count(*) from staging.{STAGING[table]} "
                 f"where quarantine_reason is null")[0][0]
    quarantined = sql("select count(*) from marts.quarantined_records where source_table = $t "
                      "and quarantine_level = 'row' and quarantine_stage = 'staging'",
                      {"t": table})[0][0]
    assert raw_count(table) == staged + quarantined
    assert quarantined > 0


def test_every_bad_input_class_has_its_reason(sql):
    rows = set(sql("select source_table, record_key, quarantine_level, quarantine_stage, "
                   "quarantine_reason from marts.quarantined_records"))
    expected = {
        ("crm_leads", None, "row", "staging", "missing_key"),
        ("crm_leads", "L003", "row", "staging", "duplicate_key"),  # older export of L003
        ("crm_leads", "L010", "row", "staging", "unparseable_timestamp"),
        ("crm_leads", "L011", "value", "staging", "malformed_email"),
        ("crm_leads", "L011", "value", "staging", "negative_employee_count"),
        ("crm_accounts", "ACC1", "row", "staging", "duplicate_key"),
        ("crm_accounts", "ACC9", "value", "staging", "negative_employee_count"),
        ("crm_opportunities", "O9", "row", "staging", "unparseable_timestamp"),
        ("crm_lead_attributes", "L001", "row", "staging", "duplicate_key"),
        ("crm_lead_attributes", "L002", "row", "staging", "missing_key"),
        ("activities", "A9", "row", "staging", "missing_timestamp"),
        ("activities", "A10", "row", "staging", "missing_lead"),
        ("activities", "A3", "row", "stream", "unknown_lead"),
        ("web_events", "W09", "row", "staging", "duplicate_key"),  # delivered twice
        ("web_events", "W90", "row", "staging", "unknown_event_type"),
        ("web_events", "W91", "row", "staging", "unparseable_timestamp"),
        ("web_events", "W92", "row", "staging", "future_timestamp"),
        ("web_events", "W93", "row", "stream", "unknown_lead"),
        ("web_events", None, "row", "staging", "missing_key"),
        ("email_events", "E1", "row", "staging", "duplicate_key"),
        ("email_events", "E9", "row", "staging", "unknown_event_type"),
        ("email_events", "E10", "row", "staging", "missing_lead"),
        ("email_events", "E11", "row", "stream", "unknown_lead"),
    }
    assert rows == expected


def test_copies_of_a_key_are_counted_and_numbered(sql):
    # (key_copies, key_occurrence, quarantine_reason) of a key delivered twice
    # and of a key delivered once. L003's older export (updated 2026-01-15)
    # is the second copy; W09's two copies are identical.
    def copies(table, key_column, key, extra=""):
        return sql(f"select key_copies, key_occurrence, quarantine_reason{extra} "
                   f"from staging.{table} where {key_column} = $k order by key_occurrence",
                   {"k": key})

    assert copies("stg_crm__leads", "lead_id", "L003", ", cast(updated_at as date)") == [
        (2, 1, None, date(2026, 2, 1)), (2, 2, "duplicate_key", date(2026, 1, 15))]
    assert copies("stg_crm__leads", "lead_id", "L001") == [(1, 1, None)]
    assert copies("stg_web__events", "event_id", "W09") == [
        (2, 1, None), (2, 2, "duplicate_key")]
    assert copies("stg_web__events", "event_id", "W10") == [(1, 1, None)]
    assert copies("stg_email__events", "event_id", "E1") == [
        (2, 1, None), (2, 2, "duplicate_key")]


def test_duplicates_are_scored_once(sql):
    # E1 (sent) arrived twice: one activity; W09 arrived twice: one activity.
    assert sql("select count(*) from intermediate.int_activities_flagged "
               "where activity_id in ('email:E1', 'web:W09')") == [(2,)]


def test_quarantined_rows_do_not_score(sql):
    assert sql("select count(*) from intermediate.int_activities_flagged where activity_id in "
               "('web:W90', 'web:W91', 'web:W92', 'web:W93', 'email:E9', 'email:E11', "
               "'crm:A3', 'crm:A9')") == [(0,)]
    # L010's creation date is unreadable, so it is not scored; L011 is deleted.
    assert sql("select count(*) from marts.lead_scores where lead_id in ('L010', 'L011')") == [
        (0,)]
