-- Reference for the benchmark: the behaviour score of every lead (default
-- scoring model) as of a score date, hand-written as one DuckDB query over
-- the raw Parquet files and the rule seeds, with the models' semantics:
-- first copy of an event id, identity stitching, non-human flags, the one
-- matching rule, daily and lifetime caps, decay, the cap per rule.
-- Regular expressions are matched once per distinct value (user agents, and
-- activity type with URL), as a careful hand-written query would.
-- Placeholders: {raw}, {seeds}, {score_date}.
with
leads as (
    select distinct trim(lead_id) as lead_id
    from read_parquet('{raw}/crm_leads.parquet') where lead_id is not null
),
web as (
    select * exclude (copy_number) from (
        select *, row_number() over (partition by event_id order by occurred_at) as copy_number
        from read_parquet('{raw}/web_events.parquet')
        where event_id is not null and occurred_at is not null
          and event_type in ('page_view', 'form_submit', 'identify')
    ) where copy_number = 1
),
identities as (
    select anonymous_id, arg_min(lead_id, (occurred_at, event_id)) as lead_id
    from web where lead_id is not null and anonymous_id is not null
    group by anonymous_id
),
email as (
    select * exclude (copy_number) from (
        select *, row_number() over (partition by event_id order by occurred_at) as copy_number
        from read_parquet('{raw}/email_events.parquet')
        where event_id is not null and occurred_at is not null and lead_id is not null
    ) where copy_number = 1
),
crm as (
    select * exclude (copy_number) from (
        select *, row_number() over (partition by activity_id order by occurred_at) as copy_number
        from read_parquet('{raw}/activities.parquet')
        where activity_id is not null and occurred_at is not null and lead_id is not null
    ) where copy_number = 1
),
stream as (
    select 'web:' || web.event_id as activity_id, coalesce(web.lead_id, identities.lead_id) as lead_id,
           'web' as source, web.event_type as activity_type, lower(web.page_url) as url,
           web.user_agent, null as campaign_id, web.occurred_at
    from web left join identities using (anonymous_id)
    union all
    select 'email:' || event_id, lead_id, 'email', 'email_' || event_type, lower(link_url),
           null, campaign_id, occurred_at
    from email
    union all
    select 'crm:' || activity_id, lead_id, 'crm', lower(activity_type), null, null, null, occurred_at
    from crm
),
known as (
    select stream.* from stream semi join leads using (lead_id)
),
deliveries as (
    select lead_id, campaign_id,
           coalesce(min(occurred_at) filter (where activity_type = 'email_delivered'),
                    min(occurred_at) filter (where activity_type = 'email_sent')) as delivered_at
    from known where activity_type in ('email_delivered', 'email_sent')
    group by lead_id, campaign_id
),
bursts as (
    select lead_id, campaign_id, date_trunc('second', occurred_at) as second
    from known where activity_type = 'email_click'
    group by all having count(distinct url) >= 3
),
busy_minutes as (
    select lead_id, date_trunc('minute', occurred_at) as minute
    from known where source = 'web' group by all having count(*) > 20
),
bots as (
    select string_agg(lower(user_agent_pattern), '|') as pattern
    from read_csv('{seeds}/reference/bot_user_agents.csv', header = true)
),
bot_agents as (
    -- each distinct user agent matched once, not once per event
    select agents.user_agent
    from (select distinct user_agent from known where source = 'web') as agents
    cross join bots
    where regexp_matches(lower(agents.user_agent), bots.pattern)
),
human as (
    select known.*
    from known
    left join bot_agents on known.source = 'web' and known.user_agent = bot_agents.user_agent
    left join deliveries using (lead_id, campaign_id)
    left join bursts on known.lead_id = bursts.lead_id and known.campaign_id = bursts.campaign_id
        and date_trunc('second', known.occurred_at) = bursts.second
    left join busy_minutes on known.source = 'web' and known.lead_id = busy_minutes.lead_id
        and date_trunc('minute', known.occurred_at) = busy_minutes.minute
    where bot_agents.user_agent is null
      and not coalesce(known.activity_type in ('email_open', 'email_click')
                       and date_diff('second', deliveries.delivered_at, known.occurred_at) <= 10, false)
      and bursts.lead_id is null and busy_minutes.lead_id is null
),
rules as (
    select rule_id, lower(activity_type) as activity_type, nullif(lower(url_pattern), '') as url_pattern,
           cast(points as double) as points, cast(half_life_days as double) as half_life_days,
           try_cast(max_points as double) as max_points, try_cast(max_per_day as integer) as max_per_day,
           try_cast(max_lifetime as integer) as max_lifetime
    from read_csv('{seeds}/scoring/activity_rules.csv', header = true, all_varchar = true)
    where scoring_model = 'default'
),
url_rules as (
    -- the rule of each distinct (activity type, URL), each pattern matched once
    -- per distinct value, not once per event
    select kinds.activity_type, kinds.url, rules.rule_id
    from (select distinct activity_type, url from human) as kinds
    join rules on kinds.activity_type = rules.activity_type
    where rules.url_pattern is null or regexp_matches(kinds.url, rules.url_pattern)
    qualify row_number() over (partition by kinds.activity_type, kinds.url
                               order by rules.url_pattern is null, rules.rule_id) = 1
),
matched as (
    select human.lead_id, human.activity_id, human.occurred_at, rules.*
    from human
    join url_rules on human.activity_type = url_rules.activity_type
        and human.url is not distinct from url_rules.url
    join rules using (rule_id)
),
daily as (
    select *, row_number() over (partition by lead_id, rule_id, cast(occurred_at as date)
                                 order by occurred_at, activity_id) as in_day
    from matched
),
lifetime as (
    select *, row_number() over (partition by lead_id, rule_id order by occurred_at, activity_id)
              as in_life
    from daily where max_per_day is null or in_day <= max_per_day
),
per_rule as (
    select lead_id, rule_id, max(max_points) as max_points,
           sum(points * power(0.5, date_diff('day', cast(occurred_at as date),
                                               date '{score_date}') / half_life_days)) as decayed
    from lifetime
    where (max_lifetime is null or in_life <= max_lifetime)
      and cast(occurred_at as date) <= date '{score_date}'
    group by lead_id, rule_id
)
select lead_id,
       sum(case when max_points is null then decayed
                else greatest(least(decayed, max_points), -max_points) end) as behaviour_score
from per_rule
group by lead_id
