"""Strict, explicit parsing of raw files: RFC 4180 CSV from any standard writer (quoted
commas, newlines and doubled quotes late in a large file), timestamps with offsets in
UTC, a documented set of booleans, thousands separators, a deterministic winner among
copies of a lead, and a raw folder whose path holds a quote."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import DB_FILE, FIXTURES, SCORE_DATE

LATE = 25_000  # beyond what a CSV sniffer samples
REFERRER = 'https://search.example.com/?q=pricing, "enterprise"\nplan'
CAMPAIGN = 'campaign "spring"'


def _append(path, rows: list[dict]) -> None:
    """The file rewritten whole by Python's csv writer (CRLF rows, RFC 4180 quoting), as
    an export would be, with rows added."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields, existing = reader.fieldnames, list(reader)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows([*existing, *rows])


def _events(path, rows: list[dict], special: dict) -> None:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields, existing = reader.fieldnames, list(reader)
    with path.open("w", newline="") as handle:  # Python's csv writer: RFC 4180 quoting
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(existing)
        for number in range(LATE + 10):
            row = {**rows, "event_id": f"BULK{number}"}
            writer.writerow({**row, **special} if number == LATE else row)


def _raw(folder, lead_order=("CEO", "Intern")):
    raw = folder / "o'brien raw"  # a quote in the path
    shutil.copytree(FIXTURES, raw)
    lead = {"email": "x@example.org", "first_name": "X", "last_name": "Y",
            "company_name": "Acme", "status": "Open", "created_at": "2026-01-02 10:00:00",
            "updated_at": "2026-01-03 10:00:00", "do_not_contact": "false",
            "is_deleted": "false"}
    _append(raw / "crm_leads.csv", [
        {**lead, "lead_id": "L020", "do_not_contact": "X"},
        {**lead, "lead_id": "L021", "do_not_contact": " Yes ", "employee_count": "12,500"},
        {**lead, "lead_id": "L022", "is_deleted": "on"},
        {**lead, "lead_id": "L023", "employee_count": "about 500"},
        *({**lead, "lead_id": "L024", "job_title": title} for title in lead_order),
    ])
    _append(raw / "crm_opportunities.csv", [
        {"opportunity_id": "O20", "lead_id": "L021", "created_at": "2026-03-01 09:00:00",
         "stage": "Closed Won", "amount": "1,000.50", "is_closed": "Y", "is_won": "yes",
         "closed_at": "2026-03-20T23:30:00-05:00"}])
    _events(raw / "web_events.csv",
            {"anonymous_id": "BULKV", "event_type": "page_view", "page_url": "/blog",
             "user_agent": "Mozilla/5.0", "occurred_at": "2026-03-01 10:00:00"},
            {"referrer": REFERRER, "occurred_at": "2026-03-15T23:30:00-05:00"})
    _events(raw / "email_events.csv",
            {"lead_id": "L002", "campaign_id": "C1", "event_type": "sent",
             "occurred_at": "2026-03-01 08:00:00"},
            {"campaign_id": CAMPAIGN})
    return raw


def _stage(raw, database) -> None:
    warehouse = Warehouse(database=database, raw_path=raw, raw_format="csv",
                          score_date=SCORE_DATE)
    run_dbt(["build", "--select", "+int_leads_enriched", "stg_web__events",
             "stg_email__events", "stg_crm__opportunities",
             "--exclude-resource-type", "unit_test"], warehouse)


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parsing")
    database = folder / "staged" / DB_FILE
    _stage(_raw(folder), database)
    return database, folder


def test_quoted_commas_newlines_and_quotes_late_in_a_large_csv(staged):
    database, _ = staged
    assert query(database, "select count(*) from staging.stg_web__events "
                           "where event_id like 'BULK%'") == [(LATE + 10,)]
    assert query(database, "select referrer, occurred_at from staging.stg_web__events "
                           f"where event_id = 'BULK{LATE}'")[0][0] == REFERRER
    assert query(database, "select campaign_id from staging.stg_email__events "
                           f"where event_id = 'BULK{LATE}'") == [(CAMPAIGN,)]


def test_offsets_are_converted_to_utc(staged):
    database, _ = staged
    (occurred,) = query(database, "select cast(occurred_at as varchar) from "
                                  f"staging.stg_web__events where event_id = 'BULK{LATE}'")[0]
    assert occurred == "2026-03-16 04:30:00"
    (closed,) = query(database, "select cast(closed_at as varchar) from "
                                "staging.stg_crm__opportunities where opportunity_id = 'O20'")[0]
    assert closed == "2026-03-21 04:30:00"


def test_booleans_and_numbers_are_read_or_quarantined(staged):
    database, _ = staged
    leads = dict(query(database, "select lead_id, quarantine_reason from staging.stg_crm__leads "
                                 "where lead_id in ('L020', 'L021', 'L022', 'L023')"))
    assert leads == {"L020": "unreadable_boolean", "L021": None, "L022": "unreadable_boolean",
                     "L023": "unreadable_number"}
    assert query(database, "select is_do_not_contact, employee_count from "
                           "staging.stg_crm__leads where lead_id = 'L021'") == [(True, 12500)]
    assert query(database, "select amount, is_closed, is_won, quarantine_reason from "
                           "staging.stg_crm__opportunities where opportunity_id = 'O20'") == [
        (1000.5, True, True, None)]
    # None of the unreadable leads is scored as if the value were missing.
    live = {row[0] for row in query(database, "select lead_id from "
                                              "intermediate.int_leads_enriched")}
    assert {"L020", "L022", "L023"}.isdisjoint(live) and "L021" in live


def test_copies_of_a_lead_updated_together_resolve_the_same_way(staged):
    database, folder = staged
    other = folder / "reversed"
    other.mkdir()
    _stage(_raw(other, lead_order=("Intern", "CEO")), other / "staged" / DB_FILE)
    kept = "select job_title from staging.stg_crm__leads " \
           "where lead_id = 'L024' and quarantine_reason is null"
    scored = "select job_title from intermediate.int_leads_enriched where lead_id = 'L024'"
    assert query(database, kept) == query(other / "staged" / DB_FILE, kept) == query(
        database, scored) == query(other / "staged" / DB_FILE, scored)


@pytest.mark.parametrize("bad_row, problem", [
    ('L099,bad@example.com,Bad,Row,CEO,"Unclosed,ACC1,,,,,web,Open,false,false,false,false,,'
     '2026-01-01 10:00:00,2026-01-01 10:00:00,false', "line 14: unexpected end of data"),
    ('L099,bad@example.com,Bad,Row,CEO,Acme,ACC1,,,,,web,Open,false,false,false,false,,'
     '2026-01-01 10:00:00,2026-01-01 10:00:00,false,extra', "line 14 has 22 fields, the "
                                                            "header 21"),
])
def test_a_broken_csv_row_is_named_without_its_values(tmp_path, capsys, bad_row, problem):
    from lead_scoring.cli import main

    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    with (raw / "crm_leads.csv").open("a") as handle:
        handle.write(bad_row + "\n")
    assert main(["build", "--raw", str(raw), "--db", str(tmp_path / "w" / DB_FILE),
                 "--no-publish"]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert f"error: raw table crm_leads cannot be read ({raw / 'crm_leads.csv'}): " \
           f"{problem}" in out
    assert "bad@example.com" not in out and "Bad" not in out


def test_timestamps_typed_in_the_raw_table_read_as_utc(tmp_path):
    """Raw tables typed already (parquet, a loader's typed columns) skip parsing text:
    a timestamp without zone is UTC, a zoned one converted, a date its midnight;
    text still parses with its offset, and unreadable text is null. Naive typed
    timestamps stay UTC even in a session set to another time zone."""
    compiled = run_dbt(
        ["compile", "--inline", "select {{ lead_scoring.parse_timestamp('raw_value') }}"],
        Warehouse(database=tmp_path / DB_FILE)).results[0].node.compiled_code
    cases = {
        "timestamp '2026-03-16 04:30:00'": "2026-03-16 04:30:00",
        "cast(timestamp '2026-03-16 04:30:00' as timestamp_ns)": "2026-03-16 04:30:00",
        "cast(timestamp '2026-03-16 04:30:00' as timestamp_ms)": "2026-03-16 04:30:00",
        "timestamptz '2026-03-15 23:30:00-05:00'": "2026-03-16 04:30:00",
        "date '2026-03-16'": "2026-03-16 00:00:00",
        "'2026-03-15T23:30:00-05:00'": "2026-03-16 04:30:00",
        "'2026-03-16 04:30:00'": "2026-03-16 04:30:00",
        "'not a time'": None,
        "cast(null as timestamp)": None,
    }
    expression = compiled.strip().removeprefix("select").strip()
    for zone in ("UTC", "America/New_York"):
        with duckdb.connect() as con:
            con.execute(f"set TimeZone = '{zone}'")
            for value, expected in cases.items():
                if zone != "UTC" and not value.startswith(("timestamp ", "cast(timestamp")):
                    continue  # text without an offset is read in the session's zone
                (parsed,) = con.execute(
                    f"with raw as (select {value} as raw_value) "
                    f"select cast({expression} as varchar) from raw").fetchone()
                assert parsed == expected, (zone, value, parsed)
