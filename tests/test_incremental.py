"""Daily incremental runs, with late, duplicate and re-identified events mixed
in, give exactly the scores of a full refresh."""

from __future__ import annotations

import re
import shutil
from datetime import date

import duckdb
import pytest

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import DB_FILE, FIXTURES, SCORE_DATE, copy_of, copy_project, edit

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"

# What arrives in the raw files after each daily run.
ARRIVALS = {
    "2026-03-30": {
        "web_events.csv": [
            # a new pricing visit of L001 today, and a late one from ten days ago
            f"W100,V1,L001,page_view,https://www.example.com/pricing,,{UA},2026-03-30 09:00:00",
            f"W101,V1,L001,page_view,https://www.example.com/pricing,,{UA},2026-03-20 09:00:00",
            # W01 delivered again: a duplicate
            f"W01,V1,L001,page_view,https://www.example.com/pricing,,{UA},2026-03-17 09:00:00",
            # visitor V9 (anonymous W11 of 2026-03-30) identifies as L007
            f"W102,V9,L007,identify,https://www.example.com/blog/post,,{UA},2026-03-30 12:00:00",
            # V9's anonymous W108 and 20 views of L007 in its minute: 21, a burst
            # (rate_burst); a pricing view of L007 after W11: its second that day
            f"W108,V9,,page_view,https://www.example.com/blog/d,,{UA},2026-03-30 10:30:59",
            *(f"W4{i:02d},V7,L007,page_view,https://www.example.com/blog/c,,{UA},"
              f"2026-03-30 10:30:{i:02d}" for i in range(20)),
            f"W107,V7,L007,page_view,https://www.example.com/pricing,,{UA},2026-03-30 11:00:00",
            # a view after L007's 40 of 2026-03-31 (10 a day score): numbered
            # on from the stored ones, the 41st of the day, not scored
            f"W104,V7,L007,page_view,https://www.example.com/blog/b,,{UA},2026-03-31 23:00:00",
            # 15 careers views of L002 in one minute: human (limit 20 a minute)
            *(f"W2{i:02d},V2,L002,page_view,https://www.example.com/careers,,{UA},"
              f"2026-03-30 11:00:{i:02d}" for i in range(15)),
        ],
        # webinars entered for the wrong lead (corrected the next day)
        "activities.csv": ["A21,L005,webinar_attended,2026-03-29 10:00:00,wrong lead",
                           "A22,L021,webinar_attended,2026-03-29 15:00:00,wrong lead",
                           # L001's first two webinar registrations (B13: 3 in a lifetime)
                           "A23,L001,webinar_registered,2026-03-30 10:00:00,registered",
                           "A25,L001,webinar_registered,2026-03-30 16:00:00,registered"],
        # L021, new in the CRM, with an open of its own
        "crm_leads.csv": [
            "L021,eve@acme.io,Eve,Ernst,Director of Marketing,Acme,,software,300,,US,"
            "webinar,Open,false,false,false,false,,2026-03-29 09:00:00,"
            "2026-03-29 09:00:00,false",
        ],
        "email_events.csv": [
            "E25,L021,C3,open,,2026-03-29 11:00:00",
            "E20,L002,C3,open,,2026-03-30 10:00:00",
            # L020 is not in the CRM yet: held back as unknown_lead
            "E24,L020,C3,open,,2026-03-30 10:30:00",
        ],
    },
    "2026-03-31": {
        "web_events.csv": [
            # an earlier page view of L007 on 2026-03-31 takes a daily-cap slot
            f"W103,V7,L007,page_view,https://www.example.com/blog/a,,{UA},2026-03-31 07:59:00",
            # a late identify of visitor V9 as L006, earlier than its identify as
            # L007 of yesterday: the first identification wins, so yesterday's
            # stitched visits W11 and W108 move from L007 to L006; L007's 20 views
            # in W108's minute are no burst any more, W107 its first pricing view
            f"W106,V9,L006,identify,https://www.example.com/blog/post,,{UA},2026-03-30 08:00:00",
            # L001 on pricing again, after everything stored for it
            f"W105,V1,L001,page_view,https://www.example.com/pricing,,{UA},2026-03-31 09:00:00",
            # W02 (of 2026-03-17) delivered again dated today: the changed day
            # is today's, the key's copies are counted across all days
            f"W02,V1,L001,page_view,https://www.example.com/pricing,,{UA},2026-03-31 09:05:00",
            # six late views in that minute of L002: yesterday's 15 become a
            # burst of 21 (rate_burst), not scored any more
            *(f"W3{i:02d},V2,L002,page_view,https://www.example.com/careers,,{UA},"
              f"2026-03-30 11:00:{30 + i:02d}" for i in range(6)),
        ],
        "email_events.csv": [
            # a late open of L002 from a week ago, and today's unsubscribe of L001
            "E21,L002,C3,open,,2026-03-24 10:00:00",
            "E22,L001,C4,unsubscribe,,2026-03-31 10:00:00",
            # a late delivery, five seconds before yesterday's open E20: that
            # open becomes a scanner's (email_scanner_fast)
            "E23,L002,C3,delivered,,2026-03-30 09:59:55",
        ],
        "activities.csv": [
            "A20,L004,webinar_attended,2026-03-28 10:00:00,late entry by sales",
            # L001's third and fourth: counted on from the two stored
            "A24,L001,webinar_registered,2026-03-31 08:00:00,registered",
            "A26,L001,webinar_registered,2026-03-31 08:30:00,registered",
        ],
        # an extra attribute of L007: its profile changes
        "crm_lead_attributes.csv": ["L007,age_band,35-44"],
        # the CRM delivers L020: yesterday's held-back open is its activity now
        "crm_leads.csv": [
            "L020,dee@acme.io,Dee,Dunn,Director of Marketing,Acme,,software,300,,US,"
            "webinar,Open,false,false,false,false,,2026-03-30 09:00:00,"
            "2026-03-30 09:00:00,false",
        ],
    },
}

# What the CRM's export corrects in place before a daily run: A21 and A22
# were L004's webinars. L005 (deleted, still in the stream) has no activity
# left: no recency row, no rule state; L021 keeps its open E25, nothing new.
# L003 is promoted (a director no more: a VP), and L021 is deleted (its
# activity stays in the stream; it has no profile or score any more).
CORRECTIONS = {"2026-03-31": {
    "activities.csv": [("A21,L005,", "A21,L004,"), ("A22,L021,", "A22,L004,")],
    "crm_leads.csv": [("L003,cara@medico.co.uk,Cara,Chen,Director of IT,",
                       "L003,cara@medico.co.uk,Cara,Chen,VP of IT,"),
                      ("2026-03-29 09:00:00,2026-03-29 09:00:00,false",
                       "2026-03-29 09:00:00,2026-03-31 08:00:00,true")],
}}

SCORES = ("select lead_id, scoring_model, behaviour_score, scored_activity_count "
          "from intermediate.int_lead_behaviour_scored order by lead_id, scoring_model")


# A build without data tests (a reference to compare with, or a first day whose
# tables the last day's build tests).
MODELS_AND_SEEDS = ("--exclude-resource-type", "test")

# Event tables that may carry a loader timestamp (var landing_loaded_at_column).
DELIVERED = ("web_events.csv", "email_events.csv")


def _append(raw, arrivals, delivered_at=None) -> None:
    for file_name, lines in arrivals.items():
        if delivered_at and file_name in DELIVERED:
            # W104 comes without a delivery timestamp: landed again each run
            lines = [f"{line},{'' if line.startswith('W104,') else delivered_at}"
                     for line in lines]
        with (raw / file_name).open("a") as handle:
            handle.write("\n".join(lines) + "\n")


def _stamp(raw, delivered_at) -> None:
    """Add a _loaded_at column to the event tables, every row delivered at delivered_at."""
    for file_name in DELIVERED:
        header, *rows = (raw / file_name).read_text().splitlines()
        (raw / file_name).write_text("\n".join([f"{header},_loaded_at"]
                                               + [f"{row},{delivered_at}" for row in rows])
                                     + "\n")


def _arrive(raw, score_date, delivered_at=None) -> None:
    """The day's arrivals appended, and the CRM's corrections made in place."""
    _append(raw, ARRIVALS[score_date], delivered_at)
    for file_name, corrections in CORRECTIONS.get(score_date, {}).items():
        text = (raw / file_name).read_text()
        for old, new in corrections:
            text = text.replace(old, new)
        (raw / file_name).write_text(text)


@pytest.fixture(scope="module")
def full_refresh(tmp_path_factory):
    """The reference: a full refresh as of the last day, on every arrival (models
    only; the scores do not depend on how a run finds what arrived)."""
    folder = tmp_path_factory.mktemp("incremental_full")
    raw = folder / "raw"
    shutil.copytree(FIXTURES, raw)
    for score_date in ARRIVALS:
        _arrive(raw, score_date)
    full = folder / "full" / DB_FILE
    run_dbt(["build", "--full-refresh", *MODELS_AND_SEEDS],
            Warehouse(database=full, raw_path=raw, raw_format="csv", score_date="2026-03-31"))
    return full


# Before each daily run, a run of the models up to these (both ways of finding
# arrivals, different cuts through the activity chain and the profile side).
PARTIAL_RUNS = {
    "snapshot": {"2026-03-30": "+int_activities_flagged +int_lead_profile_fingerprints",
                 "2026-03-31": "+int_activities_frequency_capped +int_lead_profile_fingerprints"},
    "loaded_at": {"2026-03-30": "+int_web_events_stitched",
                  "2026-03-31": "+int_activities_rules_matched +int_profile_rules_matched"},
}


# Both ways a run finds what arrived: by key in full snapshots (default), and
# by the loader's timestamp. Every test of the module runs on both.
@pytest.fixture(scope="module", params=["snapshot", "loaded_at"])
def runs(request, tmp_path_factory, full_refresh):
    folder = tmp_path_factory.mktemp(f"incremental_{request.param}")
    raw = folder / "raw"
    shutil.copytree(FIXTURES, raw)
    daily = folder / "daily" / DB_FILE
    by_loaded_at = request.param == "loaded_at"
    if by_loaded_at:
        _stamp(raw, "2026-03-29 06:00:00")

    def build(score_date, *flags, command="build"):
        # The column as the CLI passes it (the environment; the var: below)
        warehouse = Warehouse(database=daily, raw_path=raw, raw_format="csv",
                              score_date=score_date,
                              loaded_at_column="_loaded_at" if by_loaded_at else None)
        run_dbt([command, "--exclude", "test_type:unit", *flags], warehouse)

    # The first day only runs the models: the last day's build runs every data test
    # on the incremental tables as the days left them.
    build("2026-03-29", "--full-refresh", *MODELS_AND_SEEDS)
    last_day = list(ARRIVALS)[-1]
    for score_date in ARRIVALS:
        # As if an engine with another hash function had keyed the stored
        # activities: a row loaded again (moved to another lead) keeps its stored
        # key, else the tables downstream would hold it twice (scores differ).
        with duckdb.connect(str(daily)) as con:
            for model in ("int_activities_flagged", "int_activities_rules_matched",
                          "int_activities_frequency_capped"):
                con.execute(f"update intermediate.{model} set activity_key = activity_key - 1")
        _arrive(raw, score_date, f"{score_date} 06:00:00" if by_loaded_at else None)
        # A run of part of the DAG first (an analyst's, or a build a failing test
        # stopped): it lands the day's rows; the daily run after it lands nothing
        # new, and the models the partial run left out must still read those rows.
        build(score_date, "--select", PARTIAL_RUNS[request.param][score_date], command="run")
        # an analyst's test run in between builds nothing: the run log skips it
        build(score_date, "--select", "primary_key_int_activities_flagged_activity_id",
              command="test")
        build(score_date, command="build" if score_date == last_day else "run")
    return daily, full_refresh


def test_incremental_equals_full_refresh_for_every_lead(runs):
    daily, full = runs
    incremental_scores = query(daily, SCORES)
    full_scores = query(full, SCORES)
    assert [row[:2] for row in incremental_scores] == [row[:2] for row in full_scores]
    assert len(full_scores) == 14  # seven live leads (L021 deleted) x two scoring models
    for got, expected in zip(incremental_scores, full_scores, strict=True):
        assert got[2] == pytest.approx(expected[2], rel=0, abs=1e-9), got[0]
        assert got[3] == expected[3], got[0]


def test_the_run_log_numbers_the_building_runs_and_the_models_each_built(runs, request):
    daily, _ = runs
    logged = query(daily, "select run_number, list(model_name order by model_name) "
                          "filter (where model_name is not null) "
                          "from intermediate.dbt_incremental_run_log "
                          "group by run_number order by run_number")
    # the first day, and each day's partial and daily runs; not the test runs
    assert [number for number, _ in logged] == [1, 2, 3, 4, 5]
    every_model = logged[0][1]
    # the daily runs and the first day built every incremental model (18)
    assert len(every_model) == 18 and logged[2][1] == logged[4][1] == every_model
    # the first partial run logged the incremental models it built, and only those
    first_partial = {
        "snapshot": ["int_activities_flagged", "int_activities_held_back",
                     "int_lead_profile_fingerprints", "int_web_identities_resolved",
                     "stg_email__events", "stg_web__events"],
        "loaded_at": ["int_web_identities_resolved", "stg_web__events"],
    }
    assert logged[1][1] == first_partial[request.node.callspec.params["runs"]], logged[1][1]


FACT = "select * exclude (loaded_run) from marts.fct_lead_activity_daily order by all"
# The caps know an activity by its key; its id is in the stream.
CAPS_BY_ID = ("from intermediate.int_activities_frequency_capped as caps "
              "inner join intermediate.int_activities_flagged as flagged "
              "using (activity_key) ")


def test_the_activity_fact_equals_full_refresh(runs, tmp_path):
    """fct_lead_activity_daily recomputes only the days a run wrote activity for (late
    events, changed verdicts) and the days the score date reached; a run for an earlier
    date drops the later days."""
    daily, full = runs
    assert query(daily, FACT) == query(full, FACT)
    assert len(query(full, FACT)) > 20
    # The last run rewrote the lead-days W11 left (L007) and reached (L006) on
    # 2026-03-30, and kept L003's visit of 2026-03-11 as the first run wrote it.
    written = dict(query(daily, "select lead_id || ' ' || activity_date, any_value(loaded_run) "
                                "from marts.fct_lead_activity_daily where (lead_id, activity_date) "
                                "in (('L007', date '2026-03-30'), ('L006', date '2026-03-30'), "
                                "('L003', date '2026-03-11')) group by 1"))
    assert written["L007 2026-03-30"] == written["L006 2026-03-30"]
    assert written["L003 2026-03-11"] != written["L006 2026-03-30"]
    earlier = tmp_path / daily.name
    shutil.copyfile(daily, earlier)
    # the fact alone (it reads the activity tables, not the raw files)
    run_dbt(["run", "--select", "fct_lead_activity_daily"],
            Warehouse(database=earlier, raw_path=FIXTURES, raw_format="csv",
                      score_date="2026-03-30"))
    assert query(earlier, FACT) == query(
        full, "select * exclude (loaded_run) from marts.fct_lead_activity_daily "
              "where activity_date <= date '2026-03-30' order by all")
    assert query(earlier, "select max(activity_date) from marts.fct_lead_activity_daily") \
        == [(date(2026, 3, 30),)]


def test_incremental_equals_full_refresh_per_rule(runs):
    daily, full = runs
    statement = ("select lead_id, scoring_model, rule_id, occurrence_count, decayed_points, "
                 "capped_points from intermediate.int_lead_rule_contributions "
                 "order by lead_id, scoring_model, rule_id")
    got, expected = query(daily, statement), query(full, statement)
    assert [row[:4] for row in got] == [row[:4] for row in expected]
    for left, right in zip(got, expected, strict=True):
        assert left[4] == pytest.approx(right[4], rel=0, abs=1e-9)
        assert left[5] == pytest.approx(right[5], rel=0, abs=1e-9)


def test_verdicts_and_caps_equal_full_refresh(runs):
    daily, full = runs
    verdicts = ("select activity_id, non_human_reason from intermediate.int_activities_flagged "
                "order by activity_id")
    assert query(daily, verdicts) == query(full, verdicts)
    caps = ("select flagged.activity_id, caps.scoring_model, caps.occurrence_in_day, "
            "caps.occurrence_in_lifetime, caps.is_scored " + CAPS_BY_ID +
            "order by flagged.activity_id, caps.scoring_model")
    assert query(daily, caps) == query(full, caps)
    # (and no row of the matches or caps has a key the stream does not hold)
    for model in ("int_activities_rules_matched", "int_activities_frequency_capped"):
        assert query(daily, f"select count(*) from intermediate.{model} where activity_key "
                            "not in (select activity_key from intermediate.int_activities_flagged)"
                     ) == [(0,)], model
    # What the late arrivals changed in rows loaded the day before.
    flipped = dict(query(daily, "select activity_id, non_human_reason "
                                "from intermediate.int_activities_flagged "
                                "where activity_id in ('email:E20', 'web:W200', 'web:W214')"))
    assert flipped == {"email:E20": "email_scanner_fast", "web:W200": "rate_burst",
                       "web:W214": "rate_burst"}
    # L007's 20 views in W108's minute were a burst with W108, and are human
    # since W108 moved to L006; W107 is L007's first pricing view of the day now
    # (W11, its first the day before, moved too)
    assert query(daily, "select non_human_reason, count(*) "
                        "from intermediate.int_activities_flagged "
                        "where activity_id like 'web:W4__' group by 1") == [(None, 20)]
    assert query(daily, "select caps.occurrence_in_day " + CAPS_BY_ID +
                        "where activity_id = 'web:W107'") == [(1,)]
    assert query(daily, "select caps.occurrence_in_day, caps.is_scored " + CAPS_BY_ID +
                        "where activity_id = 'web:W104'") == [(42, False)]
    # L001's webinar registrations of the last day, later than its two stored
    # ones: numbered on from them under the lifetime cap (3), the fourth over
    # it (equal to the full refresh, checked above). Only rows a lifetime cap
    # can stop are numbered on it: not W105, under the pricing rule (no cap).
    assert query(daily, "select activity_id, caps.occurrence_in_lifetime, "
                        "caps.is_over_lifetime_cap, caps.is_scored " + CAPS_BY_ID +
                        "where activity_id in ('crm:A24', 'crm:A26', 'web:W105') "
                        "order by activity_id") \
        == [("crm:A24", 3, False, True), ("crm:A26", 4, True, False),
            ("web:W105", None, False, True)]
    assert query(daily, "select count(*) from intermediate.int_activities_frequency_capped "
                        "where lead_id = 'L002' and is_scored and activity_type = 'page_view' "
                        "and occurred_date = date '2026-03-30'") == [(0,)]


def test_the_late_arrivals_counted(runs):
    daily, full = runs
    rows = dict(query(daily, "select activity_id, lead_id "
                             "from intermediate.int_activities_flagged where activity_id in "
                             "('web:W101', 'web:W11', 'email:E21', 'crm:A20', 'email:E24')"))
    # The late visit, the re-identified anonymous visit (L007's the first day,
    # L006's since the late, earlier identify W106), the late entries and the
    # open held back until the CRM delivered its lead.
    assert rows == {"web:W101": "L001", "web:W11": "L006", "email:E21": "L002",
                    "crm:A20": "L004", "email:E24": "L020"}
    assert query(daily, "select moved_from_lead_id from intermediate.int_activities_flagged "
                        "where activity_id = 'web:W11'") == [("L007",)]
    assert query(daily, "select lead_id, moved_from_lead_id "
                        "from intermediate.int_activities_flagged "
                        "where activity_id = 'crm:A21'") == [("L004", "L005")]
    for state in ("int_lead_rule_state", "int_lead_activity_recency"):
        assert query(daily, f"select count(*) from intermediate.{state} "
                            "where lead_id = 'L005'") == [(0,)]
    # L021's open is its latest activity now, and its only rule state
    assert query(daily, "select cast(last_activity_at as varchar) "
                        "from intermediate.int_lead_activity_recency "
                        "where lead_id = 'L021'") == [("2026-03-29 11:00:00",)]
    assert query(daily, "select rule_id, occurrence_count from intermediate.int_lead_rule_state "
                        "where lead_id = 'L021' and occurrence_count > 0") \
        == query(full, "select rule_id, occurrence_count from intermediate.int_lead_rule_state "
                       "where lead_id = 'L021' and occurrence_count > 0")
    assert len(query(full, "select 1 from intermediate.int_lead_rule_state "
                           "where lead_id = 'L021'")) == 1
    # L007's pricing state is W107's alone now, as in a full build
    pricing = ("select lead_id, occurrence_count from intermediate.int_lead_rule_state "
               "where rule_id = 'B01' and lead_id in ('L006', 'L007') order by 1")
    assert query(daily, pricing) == query(full, pricing)
    # E24 was held back by the run of 2026-03-30 (L020 unknown then) and
    # streamed by the next one, with the CRM's L020.
    loaded_runs = {table: query(daily, f"select loaded_run from intermediate.{table} "
                                       "where activity_id = 'email:E24'")
                   for table in ("int_activities_held_back", "int_activities_flagged")}
    assert len(loaded_runs["int_activities_held_back"]) == 1
    assert len(loaded_runs["int_activities_flagged"]) == 1
    assert loaded_runs["int_activities_held_back"] != loaded_runs["int_activities_flagged"]
    # held back, in a fresh build too: the fixtures' activity of unknown leads
    full_held = query(full, "select activity_id from intermediate.int_activities_held_back "
                            "order by activity_id")
    assert full_held == query(full, "select distinct 'email:' || record_key "
                                    "from marts.quarantined_records "
                                    "where quarantine_reason = 'unknown_lead' "
                                    "and source_table = 'email_events' union all "
                                    "select distinct 'web:' || record_key "
                                    "from marts.quarantined_records "
                                    "where quarantine_reason = 'unknown_lead' "
                                    "and source_table = 'web_events' order by 1")
    assert full_held == [("email:E11",), ("web:W93",)]
    duplicates = query(daily, "select count(*) from marts.quarantined_records "
                              "where source_table = 'web_events' and record_key = 'W01'")
    assert duplicates == [(1,)]


def test_landed_staging_equals_full_refresh(runs):
    daily, full = runs
    for table in ("staging.stg_web__events", "staging.stg_email__events"):
        statement = (f"select event_id, occurred_at, key_occurrence, quarantine_reason "
                     f"from {table} order by all")
        assert query(daily, statement) == query(full, statement), table
    statement = ("select source_table, record_key, quarantine_level, quarantine_reason, detail "
                 "from marts.quarantined_records order by all")
    assert query(daily, statement) == query(full, statement)


def test_a_daily_run_lands_only_what_arrived(runs, request):
    daily, _ = runs
    by_loaded_at = request.node.callspec.params["runs"] == "loaded_at"
    landed = query(daily, "select loaded_run, list(event_id order by event_id) "
                          "from staging.stg_web__events "
                          "where event_id is not null group by loaded_run")
    batches = sorted((events for _, events in landed), key=len)
    # The first run landed everything else; the partial run before each daily
    # run landed the day's arrivals (both copies of the redelivered W01), the
    # daily run after it nothing new. Every run re-lands W92, dated 2099
    # (future_timestamp until its day comes), so the last run holds it; by
    # loader timestamp W104 (delivered without one) too.
    last_only = ["W104"] if by_loaded_at else []
    assert len(batches) == 4
    assert batches[0] == sorted(["W92", *last_only])
    assert batches[1] == sorted(["W02", "W02", "W103", "W105", "W106",
                                 *(f"W3{i:02d}" for i in range(6))])
    assert batches[2] == sorted(["W01", "W01", "W100", "W101", "W102", "W107", "W108",
                                 *([] if by_loaded_at else ["W104"]),
                                 *(f"W2{i:02d}" for i in range(15)),
                                 *(f"W4{i:02d}" for i in range(20))])
    delivered = dict(query(daily, "select event_id, cast(max(delivered_at) as varchar) "
                                  "from staging.stg_web__events "
                                  "where event_id in ('W01', 'W100', 'W104', 'W105') "
                                  "group by event_id"))
    if by_loaded_at:
        # W01's first copy came with the first delivery, its second on 03-30
        assert delivered == {"W01": "2026-03-30 06:00:00", "W100": "2026-03-30 06:00:00",
                             "W104": None, "W105": "2026-03-31 06:00:00"}
    else:
        assert delivered == {"W01": None, "W100": None, "W104": None, "W105": None}
    assert [row[0] for row in query(daily, "select quarantine_reason "
                                           "from staging.stg_web__events "
                                           "where event_id = 'W01' order by key_occurrence")] \
        == [None, "duplicate_key"]
    assert query(daily, "select cast(occurred_at as varchar), quarantine_reason "
                        "from staging.stg_web__events "
                        "where event_id = 'W02' order by key_occurrence") \
        == [("2026-03-17 09:05:00", None), ("2026-03-31 09:05:00", "duplicate_key")]


def test_a_future_event_lands_when_its_day_comes(tmp_path):
    """W92 (2099-01-01) is quarantined as future_timestamp; a run scoring as of
    2098-12-31 may use it (tolerance one day): it is re-landed, usable, and
    stitched to its lead like in a full refresh."""
    models = ["--select", "stg_web__events", "int_web_identities_resolved",
              "int_web_events_stitched"]

    def build(database, score_date, *flags):
        warehouse = Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                              score_date=score_date)
        run_dbt(["run", *models, *flags], warehouse)

    daily, full = tmp_path / "daily" / DB_FILE, tmp_path / "full" / DB_FILE
    build(daily, "2026-03-31", "--full-refresh")
    reason = ("select quarantine_reason from staging.stg_web__events "
              "where event_id = 'W92'")
    assert query(daily, reason) == [("future_timestamp",)]
    build(daily, "2098-12-31")
    build(full, "2098-12-31", "--full-refresh")
    assert query(daily, reason) == [(None,)]
    statement = "select * from intermediate.int_web_events_stitched order by all"
    assert query(daily, statement) == query(full, statement)
    assert query(daily, "select count(*) from intermediate.int_web_events_stitched "
                        "where event_id = 'W92'") == [(1,)]


def test_switching_to_the_loader_timestamp_lands_everything_once(tmp_path):
    """A warehouse landed from snapshots has no delivered_at: its first run by
    loader timestamp lands every raw row again (nothing missed), the next one
    only what was delivered since; both equal a full refresh."""
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    _stamp(raw, "2026-03-29 06:00:00")
    models = ["--select", "stg_web__events", "stg_email__events"]

    def build(database, score_date, by_loaded_at, *flags):
        extra_vars = {"landing_loaded_at_column": "_loaded_at"} if by_loaded_at else {}
        warehouse = Warehouse(database=database, raw_path=raw, raw_format="csv",
                              score_date=score_date, extra_vars=extra_vars)
        run_dbt(["run", *models, *flags], warehouse)

    daily, full = tmp_path / "daily" / DB_FILE, tmp_path / "full" / DB_FILE
    build(daily, "2026-03-29", False, "--full-refresh")
    batches = ("select count(distinct loaded_run), count(*), count(delivered_at) "
               "from staging.stg_web__events")
    assert query(daily, batches)[0][0] == 1
    total = query(daily, batches)[0][1]
    assert query(daily, batches)[0][2] == 0  # landed from snapshots: no timestamp
    build(daily, "2026-03-30", True)
    # every row landed again by this run, now with its delivery timestamp
    assert query(daily, batches) == [(1, total, total)]
    _append(raw, ARRIVALS["2026-03-30"], "2026-03-30 06:00:00")
    build(daily, "2026-03-30", True)
    build(full, "2026-03-30", True, "--full-refresh")
    new_rows = len(ARRIVALS["2026-03-30"]["web_events.csv"])
    counts = query(daily, "select count(*) from staging.stg_web__events "
                          "group by loaded_run order by 1")
    # the last run landed the arrivals, the redelivered W01's first copy and
    # the future-dated W92 again; the run before everything else
    assert counts == [(new_rows + 2,), (total - 2,)]
    for table in ("staging.stg_web__events", "staging.stg_email__events"):
        statement = (f"select event_id, occurred_at, key_occurrence, quarantine_reason, "
                     f"delivered_at from {table} order by all")
        assert query(daily, statement) == query(full, statement), table


PROFILE_MATCHES = ("select * exclude (loaded_run) from intermediate.int_profile_rules_matched "
                   "order by all")


def test_profile_rules_match_again_only_the_changed_profiles(runs):
    """The profile side is incremental by lead: a run matches the profile rules again
    only for the leads whose profile (CRM row or extra attributes) changed or which
    are new, deletes the leads that are no longer live, and equals a full refresh."""
    daily, full = runs
    assert query(daily, PROFILE_MATCHES) == query(full, PROFILE_MATCHES)
    fit = ("select lead_id, scoring_model, fit_points, grade "
           "from intermediate.int_lead_fit_scored order by all")
    assert query(daily, fit) == query(full, fit)
    # L003 as a VP: the executive rule P01 instead of the director rule P02
    assert query(daily, "select rule_id from intermediate.int_profile_rules_matched "
                        "where lead_id = 'L003' and rule_id in ('P01', 'P02')") == [("P01",)]
    # The last day's two runs (the partial one and the daily one), from the run log.
    last_day = [run for run, in query(daily, "select invocation_id "
                                             "from intermediate.dbt_incremental_run_log "
                                             "where model_name is null "
                                             "order by run_number desc limit 2")]
    written = dict(query(daily, "select lead_id, list_contains($runs, loaded_run) "
                                "from intermediate.int_lead_profile_fingerprints",
                         {"runs": last_day}))
    # new (L020), promoted (L003) and with a new extra attribute (L007): written on
    # the last day; L021, deleted, is gone; the others kept from the first run
    # (L021, new the day before, is the only lead the middle day wrote).
    assert written == {"L001": False, "L002": False, "L003": True, "L004": False,
                       "L007": True, "L008": False, "L020": True}
    matched_again = query(daily, "select distinct lead_id "
                                 "from intermediate.int_profile_rules_matched "
                                 "where list_contains($runs, loaded_run) order by 1",
                          {"runs": last_day})
    assert matched_again == [("L003",), ("L007",), ("L020",)]


def test_untouched_leads_are_rolled_forward_not_recomputed(runs):
    daily, _ = runs
    states = dict(query(daily, "select lead_id, cast(max(state_date) as varchar) "
                               "from intermediate.int_lead_rule_state group by lead_id"))
    # L008's activity (2026-03-31) came due on the last day: recomputed then.
    assert states["L008"] == "2026-03-31"
    # Nothing new for L003 after the first run and nothing came due: its stored
    # state is from 2026-03-29, rolled forward to 2026-03-31 when read.
    assert states["L003"] == "2026-03-29"


def test_last_activity_equals_full_refresh_and_only_changed_leads_recomputed(runs):
    daily, full = runs
    statement = ("select lead_id, cast(last_activity_at as varchar), "
                 "cast(next_due_date as varchar) from intermediate.int_lead_activity_recency "
                 "order by lead_id")
    got = query(daily, statement)
    assert got == query(full, statement)
    last = {lead_id: last_activity_at for lead_id, last_activity_at, _ in got}
    # E22, L001's unsubscribe of 2026-03-31 10:00, is its latest activity
    # (W02's copy redelivered dated that day is not streamed again).
    assert last["L001"] == "2026-03-31 10:00:00"
    # L020's open, held back on 2026-03-30, counts once the CRM delivered L020.
    assert last["L020"] == "2026-03-30 10:30:00"
    states = dict(query(daily, "select lead_id, cast(state_date as varchar) "
                               "from intermediate.int_lead_activity_recency"))
    # L008's CRM activity of 2026-03-31 came due on the last day: recomputed
    # then, its latest activity now. L003's only later row, a Googlebot view
    # of 2026-03-30 (never scored, so int_lead_rule_state ignores it), came
    # due on 2026-03-30; nothing new or due for L003 on 2026-03-31: kept.
    assert states["L008"] == "2026-03-31"
    assert last["L008"] == "2026-03-31 11:00:00"
    assert states["L003"] == "2026-03-30"
    assert last["L003"] == "2026-03-30 10:00:00"


def test_a_rules_change_recomputes_every_row(tmp_path, warehouse):
    """An incremental run after a rules edit equals a full refresh: rows of
    the old rules version are deleted and everything is recomputed."""
    project = copy_project(tmp_path / "project")

    def build(database, *flags):
        warehouse = Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                              score_date=SCORE_DATE)
        return run_dbt(["build", "--exclude", "test_type:unit", *flags], warehouse,
                       project_dir=project)

    # The shipped rules' build as of SCORE_DATE: the session's, copied.
    daily = copy_of(warehouse, tmp_path / "daily").database
    # No pricing rule any more (pricing views fall to the catch-all B03), and
    # this Firefox build is a bot now.
    edit(project / "seeds" / "scoring" / "activity_rules.csv",
         "B01,default,page_view,/pricing,5,14,25,3,,Pricing page visit\n", "")
    with (project / "seeds" / "reference" / "bot_user_agents.csv").open("a") as handle:
        handle.write("firefox/130,A test pattern\n")
    # the stored rows are all stale: the caps compile to recompute every row
    assert _recompute_all_compiled(build(daily), "int_activities_frequency_capped") == "true"
    full = tmp_path / "full" / DB_FILE
    build(full, "--full-refresh", *MODELS_AND_SEEDS)  # the reference: no data tests
    for statement in (
        SCORES,
        "select activity_id, non_human_reason from intermediate.int_activities_flagged "
        "order by activity_id",
        "select activity_id, caps.scoring_model, caps.rule_id, caps.occurrence_in_day, "
        "caps.is_scored " + CAPS_BY_ID + "order by activity_id, caps.scoring_model",
        "select lead_id, scoring_model, rule_id, occurrence_count, round(decayed_points, 9) "
        "from intermediate.int_lead_rule_state order by lead_id, scoring_model, rule_id",
        PROFILE_MATCHES,
    ):
        assert query(daily, statement) == query(full, statement), statement
    assert query(daily, "select count(*) from intermediate.int_activities_rules_matched "
                        "where rule_id = 'B01'") == [(0,)]
    assert query(daily, "select matched.rule_id, matched.is_non_human, flagged.non_human_reason "
                        "from intermediate.int_activities_rules_matched as matched "
                        "inner join intermediate.int_activities_flagged as flagged "
                        "using (activity_key) "
                        "where activity_id = 'web:W01'") == [("B03", True, "bot_user_agent")]


def _recompute_all_compiled(result, model: str) -> str:
    """What recompute_all compiled to in a model's SQL of a run: its batch branch
    reads `and not <it>`, its every-row branch `where <it>`."""
    code = next(r.node.compiled_code for r in result.results if r.node.name == model)
    batch = re.search(r"loaded_run = '[^']+'\s+and not (.+)\n", code).group(1).strip()
    every_row = re.search(r"union all\s+select all_matched\.\* from \S+ as all_matched\s+"
                          r"where (.+)\n", code).group(1).strip()
    assert batch == every_row, code
    return batch


def test_recompute_all_is_a_constant_the_engine_sees(tmp_path, warehouse):
    """A daily run decides while the model compiles whether it recomputes every row
    (the stored table is empty or stale): the batch's SQL holds the constant, not a
    run-time `not exists`, from which DuckDB estimated the batch as large as the whole
    upstream table and hashed the stored rows instead of the batch. The copy is
    also a warehouse of before the caps and the rules' matches wrote only what
    their readers use: the columns they dropped leave their tables on that run."""
    daily = copy_of(warehouse, tmp_path / "daily")
    dropped = {"int_activities_frequency_capped": [
                   ("url", "varchar"), ("non_human_reason", "varchar"),
                   ("max_per_day", "integer"), ("max_lifetime", "integer")],
               "int_activities_rules_matched": [
                   ("url", "varchar"), ("non_human_reason", "varchar")]}
    with duckdb.connect(str(daily.database)) as con:
        for model, columns in dropped.items():
            for column, kind in columns:
                con.execute(f"alter table intermediate.{model} add column {column} {kind}")
    result = run_dbt(["run", "--select", *dropped], daily)
    assert _recompute_all_compiled(result, "int_activities_frequency_capped") == "false"
    for model in dropped:
        assert _columns(daily, model) == _columns(warehouse, model)
        assert "url" not in _columns(daily, model)
    # emptied, it recomputes every row
    with duckdb.connect(str(daily.database)) as con:
        con.execute("delete from intermediate.int_activities_frequency_capped")
    result = run_dbt(["run", "--select", "int_activities_frequency_capped"], daily)
    assert _recompute_all_compiled(result, "int_activities_frequency_capped") == "true"
    assert query(daily.database, "select count(*) from "
                 "intermediate.int_activities_frequency_capped") == query(
        warehouse.database, "select count(*) from intermediate.int_activities_frequency_capped")


def _columns(warehouse, model: str) -> list[str]:
    """A model's stored column names, by name."""
    return [name for (name,) in query(
        warehouse.database, "select column_name from information_schema.columns "
        f"where table_name = '{model}' order by 1")]


def _by_name(warehouse, model: str, order_by: str, without=("loaded_run",)) -> str:
    """SELECT of a model's rows with its columns by name (an upgraded table has its
    columns in another order), without the given ones."""
    columns = [name for name in _columns(warehouse, model) if name not in without]
    return f"select {', '.join(columns)} from intermediate.{model} order by {order_by}"


def test_a_warehouse_with_the_stream_in_a_table_of_its_own_upgrades(tmp_path, warehouse):
    """Earlier versions wrote the activities stream (int_activities_unioned) and its
    verdicts as two tables, the verdicts without moved_from_lead_id or activity_key,
    the rules' matches and caps with the activity's id instead of its key, and the
    stitched web events as a table. The next run adds the columns (the keys from
    the ids), drops the ids downstream, keeps every row as it was, and replaces the
    stitching table with the view."""
    stream = _by_name(warehouse, "int_activities_flagged", "activity_id",
                      without=("loaded_run", "moved_from_lead_id"))
    stitched = "select * from intermediate.int_web_events_stitched order by event_id"
    keyed = {model: _by_name(warehouse, model, "activity_key, scoring_model")
             for model in ("int_activities_rules_matched", "int_activities_frequency_capped")}
    upgraded = copy_of(warehouse, tmp_path / "upgraded")
    with duckdb.connect(str(upgraded.database)) as con:
        # the tables downstream of the stream carried the activity's id, not its key
        for model in keyed:
            con.execute(f"alter table intermediate.{model} add column activity_id varchar")
            con.execute(f"update intermediate.{model} as old set activity_id = ("
                        "select flagged.activity_id from intermediate.int_activities_flagged "
                        "as flagged where flagged.activity_key = old.activity_key)")
            con.execute(f"alter table intermediate.{model} drop column activity_key")
        con.execute("alter table intermediate.int_activities_flagged "
                    "drop column activity_key")
        con.execute("alter table intermediate.int_activities_flagged "
                    "drop column moved_from_lead_id")
        con.execute("create table intermediate.stitched_table as "
                    "select *, 'an earlier run' as loaded_run "
                    "from intermediate.int_web_events_stitched")
        con.execute("drop view intermediate.int_web_events_stitched")
        con.execute("alter table intermediate.stitched_table rename to int_web_events_stitched")
    run_dbt(["run", "--select", "int_web_events_stitched", "int_activities_flagged", *keyed],
            upgraded)
    assert query(upgraded.database, stream) == query(warehouse.database, stream)
    for model, rows in keyed.items():
        assert query(upgraded.database, rows) == query(warehouse.database, rows), model
        assert "activity_id" not in _columns(upgraded, model)
    assert query(upgraded.database, "select table_type from information_schema.tables "
                                    "where table_name = 'int_web_events_stitched'") == [("VIEW",)]
    assert query(upgraded.database, stitched) == query(warehouse.database, stitched)
    assert len(query(warehouse.database, stream)) > 50
    assert query(upgraded.database, "select count(moved_from_lead_id) "
                                    "from intermediate.int_activities_flagged") == [(0,)]


def test_an_upgraded_warehouse_matches_every_profile_again(tmp_path, warehouse):
    """A warehouse built before the profile side was incremental (no fingerprints, no
    rules_version or loaded_run on the profile matches) gets every profile matched
    again by its next incremental run instead of an error."""
    upgraded = copy_of(warehouse, tmp_path / "upgraded")
    with duckdb.connect(str(upgraded.database)) as con:
        con.execute("drop table intermediate.int_lead_profile_fingerprints")
        for column in ("rules_version", "loaded_run"):
            con.execute(f"alter table intermediate.int_profile_rules_matched drop column {column}")
    run_dbt(["run", "--select", "int_lead_profile_fingerprints", "int_profile_rules_matched"],
            upgraded)
    assert query(upgraded.database, PROFILE_MATCHES) == query(warehouse.database, PROFILE_MATCHES)
    assert query(upgraded.database, "select count(*) from intermediate.int_profile_rules_matched "
                                    "where loaded_run is null") == [(0,)]


def test_events_without_an_id_land_once_each(tmp_path, warehouse):
    """Landed staging replaces a key's rows on the key column and, for the rows
    without one (one landing key, ''), by a post-hook: a day that brings one more
    event without an id keeps each such raw row once (delete+insert alone cannot
    match a null key), and a day that brings none changes nothing. An older
    warehouse's stored landing_key column goes on its next run."""
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    daily = copy_of(warehouse, tmp_path / "daily", raw_path=raw)
    models = ("stg_web__events", "stg_email__events")
    with duckdb.connect(str(daily.database)) as con:
        for model in models:
            con.execute(f"alter table staging.{model} add column landing_key varchar")
    _append(raw, {"web_events.csv": [f",V1,L001,page_view,https://www.example.com/a,,{UA},"
                                     "2026-03-31 09:00:00"],
                  "email_events.csv": [",L001,C1,open,,2026-03-31 09:00:00",
                                       ",L002,C1,open,,2026-03-31 09:05:00"]})
    missing = ("select count(*) from staging.{} where event_id is null "
               "and quarantine_reason = 'missing_key'")
    for _ in range(2):  # the day the rows arrive, and a day with nothing new
        run_dbt(["run", "--select", *models], daily)
        assert query(daily.database, missing.format("stg_web__events")) == [(2,)]
        assert query(daily.database, missing.format("stg_email__events")) == [(2,)]
    for model in models:
        assert "landing_key" not in _columns(daily, model)
