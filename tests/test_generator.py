"""The sample-data generator: deterministic, contract-shaped, with a real signal."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from lead_scoring.generator import RAW_TABLES, generate, manifest_end_date

CONTRACT = {
    "crm_leads": ["lead_id", "email", "first_name", "last_name", "job_title", "company_name",
                  "account_id", "industry", "employee_count", "annual_revenue", "country",
                  "lead_source", "status", "do_not_contact", "budget_confirmed",
                  "is_decision_maker", "need_identified", "purchase_timeline", "created_at",
                  "updated_at", "is_deleted"],
    "crm_accounts": ["account_id", "name", "domain", "industry", "employee_count",
                     "annual_revenue", "country", "created_at", "updated_at"],
    "crm_opportunities": ["opportunity_id", "lead_id", "account_id", "created_at", "stage",
                          "amount", "is_closed", "is_won", "closed_at"],
    "web_events": ["event_id", "anonymous_id", "lead_id", "event_type", "page_url", "referrer",
                   "user_agent", "occurred_at"],
    "email_events": ["event_id", "lead_id", "campaign_id", "event_type", "link_url",
                     "occurred_at"],
    "activities": ["activity_id", "lead_id", "activity_type", "occurred_at", "detail"],
    "crm_lead_attributes": ["lead_id", "attribute", "value"],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    sizes = generate(out, leads=1_500, events=60_000, seed=7, end_date=date(2026, 6, 30))
    return out, sizes


def table_hash(path) -> int:
    return duckdb.sql(f"select sum(hash(t)) from read_parquet('{path}') t").fetchall()[0][0]


def test_files_follow_the_raw_contract(generated):
    out, sizes = generated
    assert set(sizes.rows) == set(RAW_TABLES)
    for table, columns in CONTRACT.items():
        names = [row[0] for row in duckdb.sql(
            f"describe select * from read_parquet('{out / (table + '.parquet')}')").fetchall()]
        assert names == columns, table
    assert manifest_end_date(out) == date(2026, 6, 30)


def test_same_seed_same_data(generated, tmp_path):
    out, sizes = generated
    again = generate(tmp_path, leads=1_500, events=60_000, seed=7, end_date=date(2026, 6, 30))
    assert again.rows == sizes.rows
    for table in RAW_TABLES:
        assert table_hash(out / f"{table}.parquet") == table_hash(tmp_path / f"{table}.parquet")


def test_other_seed_other_data(generated, tmp_path):
    out, _ = generated
    generate(tmp_path, leads=1_500, events=60_000, seed=8, end_date=date(2026, 6, 30))
    assert table_hash(out / "web_events.parquet") != table_hash(tmp_path / "web_events.parquet")


def test_sizes_follow_arguments(generated):
    _, sizes = generated
    assert sizes.rows["crm_leads"] == 1_500
    events = sizes.rows["web_events"] + sizes.rows["email_events"] + sizes.rows["activities"]
    assert 0.8 * 60_000 <= events <= 1.2 * 60_000


def test_nothing_after_the_end_date(generated):
    out, _ = generated
    for table in ("web_events", "email_events", "activities", "crm_opportunities"):
        latest = duckdb.sql(
            f"select max(occurred_at) from read_parquet('{out / (table + '.parquet')}')"
            if table != "crm_opportunities" else
            f"select max(created_at) from read_parquet('{out / (table + '.parquet')}')"
        ).fetchall()[0][0]
        assert latest.date() <= date(2026, 6, 30), table


def test_propensity_drives_engagement_and_outcomes(generated):
    out, _ = generated
    # Leads that became opportunities were, on average, far more active.
    with_opp, without_opp = duckdb.sql(f"""
        with events as (
            select lead_id, count(*) as n from read_parquet('{out / 'activities.parquet'}')
            group by lead_id
        ),
        opps as (select distinct lead_id from read_parquet('{out / 'crm_opportunities.parquet'}'))
        select
            avg(coalesce(events.n, 0)) filter (where opps.lead_id is not null),
            avg(coalesce(events.n, 0)) filter (where opps.lead_id is null)
        from read_parquet('{out / 'crm_leads.parquet'}') leads
        left join events using (lead_id)
        left join opps using (lead_id)
    """).fetchall()[0]
    assert with_opp > 1.5 * without_opp


def test_messy_values_and_duplicates_are_present(generated):
    out, _ = generated
    duplicates = duckdb.sql(
        "select count(*) - count(distinct event_id) "
        f"from read_parquet('{out / 'web_events.parquet'}')"
    ).fetchall()[0][0]
    assert duplicates > 0
    anonymous = duckdb.sql(
        f"select count(*) from read_parquet('{out / 'web_events.parquet'}') where lead_id is null"
    ).fetchall()[0][0]
    assert anonymous > 0


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="leads must be"):
        generate(None, leads=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="file_format"):
        generate(None, leads=1, file_format="xlsx")  # type: ignore[arg-type]


def test_large_worlds_are_written_a_block_of_leads_at_a_time(generated, tmp_path, monkeypatch):
    """Above LEADS_PER_BLOCK leads the events are made and written per block (memory stays
    bounded): ids stay unique across blocks, every block's leads have events, the sizes
    still follow the arguments, and no block file is left behind."""
    from lead_scoring import generator

    monkeypatch.setattr(generator, "LEADS_PER_BLOCK", 600)  # 1,500 leads: 3 blocks
    sizes = generate(tmp_path, leads=1_500, events=60_000, seed=7, end_date=date(2026, 6, 30))
    events = sizes.rows["web_events"] + sizes.rows["email_events"] + sizes.rows["activities"]
    assert 0.8 * 60_000 <= events <= 1.2 * 60_000
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [f"{table}.parquet" for table in RAW_TABLES] + ["_generated.json", "_truth.parquet"])
    for table, key in (("web_events", "event_id"), ("email_events", "event_id"),
                       ("activities", "activity_id")):
        rows, distinct, leads_seen, last_block = duckdb.sql(
            f"select count(*), count(distinct {key}), count(distinct lead_id), "
            "count(*) filter (where cast(substr(lead_id, 6) as int) > 1200) "
            f"from read_parquet('{tmp_path / (table + '.parquet')}')").fetchall()[0]
        # duplicates of delivered events repeat their id; nothing else does
        assert rows == sizes.rows[table] and rows - distinct < 0.01 * rows, table
        assert leads_seen > 1_000 and last_block > 0, table
    # a known visitor's anonymous id belongs to one lead, whatever block made it
    assert duckdb.sql(
        "select count(*) from (select anonymous_id from read_parquet("
        f"'{tmp_path / 'web_events.parquet'}') where lead_id is not null "
        "group by anonymous_id having count(distinct lead_id) > 1)").fetchall() == [(0,)]
    # the same leads and accounts as one block; other events
    for table in ("crm_leads", "crm_accounts"):
        assert table_hash(tmp_path / f"{table}.parquet") == table_hash(
            generated[0] / f"{table}.parquet")
