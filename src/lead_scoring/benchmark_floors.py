"""Floors for the benchmark: how fast the work could be, measured on the same files.

Each floor is a lower bound on a part of the project's work, written as plainly
as DuckDB allows, so the benchmark reports the models' seconds beside what the
engine needs at least (timed, never asserted):

- raw_scan: read every row and column of the raw tables once (hash them);
- one_query_score: fit points (profile rules on the leads' own columns) and
  behaviour points (identity-stitched events, the rule of each distinct
  activity type and URL, decay, the cap per rule) of every lead in one query,
  written as a table: the scoring without deduplication, non-human flags or
  frequency caps;
- roll_forward: a per-(lead, rule) decayed state as of the day before, rolled
  forward one day with the day's delivered events, and every lead's score
  written: what a daily run must do at least (state and the day's rows are
  prepared untimed, as a loader would have delivered them).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

# The benchmark process (generator, reference and floors) stays within 8 GB: DuckDB's
# buffers within 6 GB (it spills beyond), the rest for Python and the generator.
MEMORY_LIMIT = "6GB"

def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Both cores, the memory budget, no row order to keep (lets large queries spill)."""
    con.execute(f"set threads = 2; set memory_limit = '{MEMORY_LIMIT}'; "
                "set preserve_insertion_order = false")


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    configure(con)
    return con


def _timed(con: duckdb.DuckDBPyConnection, *statements: str) -> float:
    started = time.perf_counter()
    for statement in statements:
        con.execute(statement)
    return time.perf_counter() - started


def raw_scan(raw: Path) -> float:
    """Seconds to read every row and column of every raw table once."""
    tables = sorted(path for path in raw.glob("*.parquet") if not path.name.startswith("_"))
    with _connect() as con:
        return _timed(con, *(f"select count(*), sum(hash(t)) from read_parquet('{path}') as t"
                             for path in tables))


def _rules(seeds: Path) -> str:
    return f"""
activity_rules as (
    select rule_id, lower(activity_type) as activity_type,
           nullif(lower(url_pattern), '') as url_pattern, cast(points as double) as points,
           cast(half_life_days as double) as half_life_days,
           try_cast(max_points as double) as max_points
    from read_csv('{seeds}/scoring/activity_rules.csv', header = true, all_varchar = true)
    where scoring_model = 'default'
)"""


def _stream(raw: Path, where: str = "true") -> str:
    """The events of the raw files as (lead, type, url, occurred_at), anonymous web
    events stitched to the lead their visitor identified as first."""
    return f"""
web as (select * from read_parquet('{raw}/web_events.parquet') where {where}),
identities as (
    select anonymous_id, arg_min(lead_id, occurred_at) as lead_id
    from read_parquet('{raw}/web_events.parquet')
    where lead_id is not null group by anonymous_id
),
stream as (
    select coalesce(web.lead_id, identities.lead_id) as lead_id, web.event_type as activity_type,
           lower(web.page_url) as url, web.occurred_at
    from web left join identities using (anonymous_id)
    union all
    select lead_id, 'email_' || event_type, lower(link_url), occurred_at
    from read_parquet('{raw}/email_events.parquet') where {where}
    union all
    select lead_id, lower(activity_type), null, occurred_at
    from read_parquet('{raw}/activities.parquet') where {where}
),
kinds as (
    select kinds.activity_type, kinds.url, activity_rules.rule_id
    from (select distinct activity_type, url from stream) as kinds
    join activity_rules using (activity_type)
    where activity_rules.url_pattern is null
       or regexp_matches(kinds.url, activity_rules.url_pattern)
    qualify row_number() over (partition by kinds.activity_type, kinds.url
                               order by activity_rules.url_pattern is null,
                                        activity_rules.rule_id) = 1
),
matched as (
    select stream.lead_id, stream.occurred_at, activity_rules.*
    from stream
    join kinds on stream.activity_type = kinds.activity_type
        and stream.url is not distinct from kinds.url
    join activity_rules using (rule_id)
    where stream.lead_id is not null
)"""


def _decayed_state(raw: Path, seeds: Path, score_date: str) -> str:
    """Per (lead, rule): the decayed points as of score_date, uncapped."""
    return f"""
with {_rules(seeds)}, {_stream(raw, f"cast(occurred_at as date) <= date '{score_date}'")}
select lead_id, rule_id, any_value(half_life_days) as half_life_days,
       any_value(max_points) as max_points,
       sum(points * power(0.5, date_diff('day', cast(occurred_at as date),
                                         date '{score_date}') / half_life_days)) as decayed
from matched group by lead_id, rule_id"""


_CAPPED = ("case when max_points is null then decayed "
           "else greatest(least(decayed, max_points), -max_points) end")


def one_query_score(raw: Path, seeds: Path, score_date: str) -> float:
    """Seconds for fit and behaviour points of every lead in one query, written as a table."""
    fit = f"""
profile as (
    unpivot (
        select lead_id, lower(trim(job_title)) as job_title, lower(industry) as industry,
               lower(country) as country, cast(employee_count as varchar) as employee_count,
               cast(annual_revenue as varchar) as annual_revenue,
               lower(cast(is_decision_maker as varchar)) as is_decision_maker
        from read_parquet('{raw}/crm_leads.parquet')
    ) on job_title, industry, country, employee_count, annual_revenue, is_decision_maker
    into name attribute value attribute_value
),
profile_rules as (
    select attribute, operator, lower(rule_value) as rule_value, cast(points as double) as points
    from read_csv('{seeds}/scoring/profile_rules.csv', header = true, all_varchar = true)
    where scoring_model = 'default'
),
fit as (
    select profile.lead_id, sum(profile_rules.points) as fit_points
    from profile join profile_rules using (attribute)
    where case profile_rules.operator
        when 'eq' then attribute_value = rule_value
        when 'in' then list_contains(string_split(rule_value, '|'), attribute_value)
        when 'contains' then contains(attribute_value, rule_value)
        when 'gte' then try_cast(attribute_value as double) >= try_cast(rule_value as double)
        when 'between' then try_cast(attribute_value as double) between
            try_cast(split_part(rule_value, '|', 1) as double)
            and try_cast(split_part(rule_value, '|', 2) as double)
        else false end
    group by profile.lead_id
)"""
    statement = f"""
create table scores as
with state as ({_decayed_state(raw, seeds, score_date)}),
{fit},
behaviour as (select lead_id, sum({_CAPPED}) as behaviour_score from state group by lead_id)
select leads.lead_id, coalesce(fit.fit_points, 0) as fit_points,
       coalesce(behaviour.behaviour_score, 0) as behaviour_score
from (select distinct lead_id from read_parquet('{raw}/crm_leads.parquet')) as leads
left join fit using (lead_id) left join behaviour using (lead_id)"""
    with _connect() as con:
        return _timed(con, statement)


def roll_forward(held: Path, raw: Path, seeds: Path, day_before: str, day: str) -> float:
    """Seconds to roll the per-(lead, rule) state of day_before forward to day with the
    day's events, writing the new state and every lead's behaviour score."""
    with _connect() as con:
        con.execute(f"create table state as {_decayed_state(held, seeds, day_before)}")
        con.execute(f"""create table day_points as
            with {_rules(seeds)}, {_stream(raw, f"cast(occurred_at as date) = date '{day}'")}
            select lead_id, rule_id, any_value(half_life_days) as half_life_days,
                   any_value(max_points) as max_points, sum(points) as points
            from matched group by lead_id, rule_id""")
        return _timed(con, """
            create table rolled as
            select coalesce(state.lead_id, day_points.lead_id) as lead_id,
                   coalesce(state.rule_id, day_points.rule_id) as rule_id,
                   coalesce(state.half_life_days, day_points.half_life_days) as half_life_days,
                   coalesce(state.max_points, day_points.max_points) as max_points,
                   coalesce(state.decayed * power(0.5, 1 / state.half_life_days), 0)
                   + coalesce(day_points.points, 0) as decayed
            from state full join day_points using (lead_id, rule_id)""", f"""
            create table day_scores as
            select lead_id, sum({_CAPPED}) as behaviour_score from rolled group by lead_id""")
