"""Source freshness: warn after a day without new rows, error after three."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from lead_scoring.dbt_runner import Warehouse, source_freshness
from lead_scoring.generator import generate

from .conftest import DB_FILE, FIXTURES

CHECKED = {"activities", "crm_leads", "crm_opportunities", "email_events", "web_events"}


def test_stale_fixtures_are_errors(tmp_path):
    # The fixtures end in spring 2026; the future-dated web event (2099) is
    # ignored by the freshness filter, so web_events is stale too.
    warehouse = Warehouse(database=tmp_path / "fresh" / DB_FILE, raw_path=FIXTURES,
                          raw_format="csv")
    statuses = source_freshness(warehouse)
    assert statuses == {table: "error" for table in CHECKED}


def test_data_loaded_within_the_day_is_fresh(tmp_path):
    # The generated events run up to 23:00 of the end date, one every hour or two in
    # a world this small. From noon, end today (the rows of the morning are under a day
    # old; rows later than now are ignored as future); before noon, end yesterday (its
    # evening's rows are under a day old). (Ending today failed just after midnight,
    # before the day's first row; ending yesterday failed after the time of yesterday's
    # last event, as at 22:53 with the last at 22:47.)
    now = datetime.now(UTC)
    end_date = now.date() if now.hour >= 12 else now.date() - timedelta(days=1)
    generate(tmp_path / "raw", leads=300, events=6_000, end_date=end_date)
    warehouse = Warehouse(database=tmp_path / "fresh" / DB_FILE, raw_path=tmp_path / "raw")
    statuses = source_freshness(warehouse)
    assert set(statuses) == CHECKED
    assert {statuses[table] for table in ("web_events", "email_events", "crm_leads")} == {
        "pass"}


def test_freshness_is_judged_as_of_the_score_date(tmp_path):
    # Data that ends 2026-03-31 is stale today, fresh as of its own end date, and
    # two days old (warn) as of 2026-04-02.
    generate(tmp_path / "raw", leads=300, events=6_000, end_date=date(2026, 3, 31))
    statuses = {}
    for score_date in (None, "2026-03-31", "2026-04-02"):
        warehouse = Warehouse(database=tmp_path / "fresh" / DB_FILE, raw_path=tmp_path / "raw",
                              score_date=score_date)
        freshness = source_freshness(warehouse)
        statuses[score_date] = {freshness[table] for table in ("web_events", "crm_leads")}
    assert statuses == {None: {"error"}, "2026-03-31": {"pass"}, "2026-04-02": {"warn"}}
