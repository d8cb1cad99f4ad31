"""Any past score_date reproduces that day's scores from the same data."""

from __future__ import annotations

import pytest

from lead_scoring.dbt_runner import query

from .conftest import DB_FILE, build_warehouse


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("earlier") / "earlier" / DB_FILE,
                           score_date="2026-03-17")


def test_past_score_date_reproduces_that_day(earlier):
    rows = {row[0]: row[1:] for row in query(
        earlier.database,
        "select lead_id, behaviour_score, rating, cast(score_date as varchar) "
        "from marts.lead_scores")}
    # On 2026-03-17 L001 has only its three pricing views, each at age 0 (3 x 5),
    # and L007 (created 2026-01-20) has no activity yet.
    assert rows["L001"] == (15.0, "A15", "2026-03-17")
    assert rows["L007"] == (0.0, "C0", "2026-03-17")
    # L003's pricing views (2026-03-03) are 14 days old: 2 x 5 x 0.5^(14/14); its
    # form submit (2026-03-11) is 6 days old: 10 x 0.5^(6/30).
    assert rows["L003"][0] == round(5.0 + 10 * 0.5 ** (6 / 30), 2)


def test_a_new_score_date_and_raw_folder_keep_partial_parsing(tmp_path, monkeypatch):
    """The score date, the raw folder and the loader-timestamp column reach dbt through
    the environment, read only at execution: a daily run with a new date on a new folder
    (each day's export in its own folder) reuses the previous parse, and compiles the new
    date and folder; so does switching to landing by loader timestamp and back."""
    import shutil

    from lead_scoring.dbt_runner import Warehouse, run_dbt

    from .conftest import FIXTURES

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    next_folder = tmp_path / "export 2026-03-31"
    shutil.copytree(FIXTURES, next_folder)

    def compile_on(score_date: str, raw, loaded_at_column=None
                   ) -> tuple[list[str], dict[str, str]]:
        events: list[str] = []
        warehouse = Warehouse(database=tmp_path / "w" / DB_FILE, raw_path=raw,
                              raw_format="csv", score_date=score_date,
                              loaded_at_column=loaded_at_column)
        result = run_dbt(["compile", "--select", "int_lead_lifecycle_inputs", "stg_crm__leads",
                          "stg_web__events"], warehouse, events=events)
        return events, {r.node.name: r.node.compiled_code for r in result.results}

    first_events, first_sql = compile_on("2026-03-30", FIXTURES)
    second_events, second_sql = compile_on("2026-03-31", next_folder)
    assert "cast('2026-03-30' as date)" in first_sql["int_lead_lifecycle_inputs"]
    assert "cast('2026-03-31' as date)" in second_sql["int_lead_lifecycle_inputs"]
    assert "cast('2026-03-30' as date)" not in second_sql["int_lead_lifecycle_inputs"]
    assert f"read_csv('{FIXTURES.as_posix()}/crm_leads.csv'" in first_sql["stg_crm__leads"]
    assert f"read_csv('{next_folder.as_posix()}/crm_leads.csv'" in second_sql["stg_crm__leads"]
    assert "UnableToPartialParse" not in second_events
    assert "PartialParsingEnabled" in second_events
    delivered = "try_cast(_loaded_at as timestamp) as delivered_at"
    assert delivered not in second_sql["stg_web__events"]
    by_delivery_events, by_delivery_sql = compile_on("2026-03-31", next_folder, "_loaded_at")
    assert delivered in by_delivery_sql["stg_web__events"]
    back_events, back_sql = compile_on("2026-03-31", next_folder)
    assert delivered not in back_sql["stg_web__events"]
    for events in (by_delivery_events, back_events):
        assert "UnableToPartialParse" not in events and "PartialParsingEnabled" in events
