"""Source freshness: warn after a day without new rows, error after three."""

from __future__ import annotations

from datetime import UTC, datetime

from lead_scoring.dbt_runner import Warehouse, source_freshness
from lead_scoring.generator import generate

from .conftest import FIXTURES

CHECKED = {"activities", "crm_leads", "crm_opportunities", "email_events", "web_events"}


def test_stale_fixtures_are_errors(tmp_path):
    # The fixtures end in spring 2026; the future-dated web event (2099) is
    # ignored by the freshness filter, so web_events is stale too.
    warehouse = Warehouse(database=tmp_path / "fresh.duckdb", raw_path=FIXTURES,
                          raw_format="csv")
    statuses = source_freshness(warehouse)
    assert statuses == {table: "error" for table in CHECKED}


def test_data_loaded_today_is_fresh(tmp_path):
    today = datetime.now(UTC).date()
    generate(tmp_path / "raw", leads=300, events=6_000, end_date=today)
    warehouse = Warehouse(database=tmp_path / "fresh.duckdb", raw_path=tmp_path / "raw")
    statuses = source_freshness(warehouse)
    assert set(statuses) == CHECKED
    assert {statuses[table] for table in ("web_events", "email_events", "crm_leads")} == {
        "pass"}
