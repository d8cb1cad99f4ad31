{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ lead_scoring.delete_stale_rules_version() }}",
    )
}}
{#- Every activity of the stream with a verdict: human, or non-human with the
    reason. Non-human activity is kept here (nothing is lost) and left out of
    scoring. Reasons, first match wins:
    bot_user_agent (web user agent matches bot_user_agents),
    email_scanner_fast (open/click <= var non_human_email_seconds after the
    email's delivery), email_multi_link_burst (>= var
    non_human_links_same_second distinct links of one email clicked in one
    second), rate_burst (> var non_human_max_events_per_minute web events of one
    lead in one minute).
    Incremental: a verdict depends on the activity itself, on the other email
    events of the same lead and campaign, or on the other web events of the
    same lead and minute. A run computes the new stream rows and every stored
    row sharing a lead and campaign or a lead and minute with one, and
    writes the new rows and the stored rows whose verdict changed (all rows
    after a rules change; see delete_stale_rules_version). -#}
{#- The stream is read where needed, not through one import CTE: an engine
    may materialise a CTE read several times (DuckDB does), which would copy
    the whole stream to pick the few rows of a daily batch. -#}
{%- set activity_stream = ref('int_activities_unioned') %}
{%- set stream_columns = [
    'activity_id', 'lead_id', 'campaign_id', 'activity_source', 'activity_type',
    'url', 'user_agent', 'is_stitched', 'occurred_date', 'occurred_at'] %}
{%- set activity_stream_columns =
    'activity_stream.' ~ stream_columns | join(',\n        activity_stream.') %}
{%- set previous_columns =
    'previous.' ~ stream_columns | join(',\n        previous.') %}

with

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

{% if is_incremental() %}
new_email_pairs as (

    select distinct
        lead_id,
        campaign_id
    from {{ activity_stream }} as activity_stream
    where
        {{ lead_scoring.loaded_this_run('activity_stream') }}
        and activity_source = 'email'

),

new_web_minutes as (

    select distinct
        lead_id,
        {{ dbt.date_trunc('minute', 'occurred_at') }} as occurred_minute
    from {{ activity_stream }} as activity_stream
    where
        {{ lead_scoring.loaded_this_run('activity_stream') }}
        and activity_source = 'web'

),

batch_rows as (

    -- The new rows, and the stored rows whose verdict they can change, with
    -- that verdict (whole rows: fetching them again by id would scan the
    -- whole stream). The three parts are disjoint: new rows are not stored
    -- yet, and a row is email or web.
    select
        {{ activity_stream_columns }},
        true as is_new,
        cast(null as {{ dbt.type_string() }}) as stored_reason
    from {{ activity_stream }} as activity_stream
    where {{ lead_scoring.loaded_this_run('activity_stream') }}

    union all

    select
        {{ previous_columns }},
        false as is_new,
        previous.non_human_reason as stored_reason
    from {{ this }} as previous
    inner join new_email_pairs
        on
            previous.lead_id = new_email_pairs.lead_id
            and previous.campaign_id = new_email_pairs.campaign_id
    where previous.activity_source = 'email'

    union all

    select
        {{ previous_columns }},
        false as is_new,
        previous.non_human_reason as stored_reason
    from {{ this }} as previous
    inner join new_web_minutes
        on
            previous.lead_id = new_web_minutes.lead_id
            and {{ dbt.date_trunc('minute', 'previous.occurred_at') }}
            = new_web_minutes.occurred_minute
    where previous.activity_source = 'web'

),

{% endif %}
activities as (

    select
        {{ activity_stream_columns }},
        true as is_new,
        cast(null as {{ dbt.type_string() }}) as stored_reason
    from {{ activity_stream }} as activity_stream
    {% if is_incremental() %}
        -- Two branches, never "recompute_all() or <batch>": the engine can
        -- then skip the branch it does not need (see recompute_all).
        where {{ lead_scoring.recompute_all() }}

        union all

        select batch_rows.* from batch_rows
        where not {{ lead_scoring.recompute_all() }}
    {% endif %}

),

bot_user_agents as (

    select * from {{ ref('bot_user_agents') }}

),

bot_pattern as (

    select
        {{ dbt.listagg('lower(user_agent_pattern)', "'|'") }}
            as user_agent_regex
    from bot_user_agents

),

web_user_agents as (

    -- User agents repeat across events: match each distinct one once.
    select distinct user_agent
    from activities
    where activity_source = 'web'

),

bot_user_agents_seen as (

    select web_user_agents.user_agent
    from web_user_agents
    cross join bot_pattern
    where {{ lead_scoring.regex_matches(
        'lower(web_user_agents.user_agent)', 'bot_pattern.user_agent_regex') }}

),

deliveries as (

    -- When each email reached the lead: its delivery, else its send.
    select
        lead_id,
        campaign_id,
        coalesce(
            min(case when activity_type = 'email_delivered' then occurred_at end),
            min(case when activity_type = 'email_sent' then occurred_at end)
        ) as delivered_at
    from activities
    where activity_type in ('email_delivered', 'email_sent')
    group by lead_id, campaign_id

),

email_clicks as (

    select
        activity_id,
        lead_id,
        campaign_id,
        url,
        {{ dbt.date_trunc('second', 'occurred_at') }} as occurred_second
    from activities
    where activity_type = 'email_click'

),

link_bursts as (

    select
        lead_id,
        campaign_id,
        occurred_second
    from email_clicks
    group by lead_id, campaign_id, occurred_second
    having
        count(distinct url)
        >= {{ var('non_human_links_same_second', 3) }}

),

web_minutes as (

    select
        lead_id,
        {{ dbt.date_trunc('minute', 'occurred_at') }} as occurred_minute
    from activities
    where activity_source = 'web'
    group by lead_id, {{ dbt.date_trunc('minute', 'occurred_at') }}
    having count(*) > {{ var('non_human_max_events_per_minute', 20) }}

),

verdicts as (

    select
        activities.*,
        rules_version.rules_version,
        case
            when
                activities.activity_source = 'web'
                and bot_user_agents_seen.user_agent is not null
                then 'bot_user_agent'
            when
                activities.activity_type in ('email_open', 'email_click')
                and {{ dbt.datediff(
                    'deliveries.delivered_at', 'activities.occurred_at', 'second') }}
                <= {{ var('non_human_email_seconds', 10) }}
                then 'email_scanner_fast'
            when link_bursts.lead_id is not null then 'email_multi_link_burst'
            when web_minutes.lead_id is not null then 'rate_burst'
        end as non_human_reason
    from activities
    cross join rules_version
    left join bot_user_agents_seen
        on activities.user_agent = bot_user_agents_seen.user_agent
    left join deliveries
        on
            activities.lead_id = deliveries.lead_id
            and activities.campaign_id = deliveries.campaign_id
    left join email_clicks
        on activities.activity_id = email_clicks.activity_id
    left join link_bursts
        on
            email_clicks.lead_id = link_bursts.lead_id
            and email_clicks.campaign_id = link_bursts.campaign_id
            and email_clicks.occurred_second = link_bursts.occurred_second
    left join web_minutes
        on
            activities.activity_source = 'web'
            and activities.lead_id = web_minutes.lead_id
            and {{ dbt.date_trunc('minute', 'activities.occurred_at') }}
            = web_minutes.occurred_minute

),

final as (

    select
        -- ids
        activity_id,
        lead_id,
        campaign_id,

        -- strings
        activity_source,
        activity_type,
        url,
        user_agent,
        non_human_reason,

        -- booleans
        is_stitched,
        non_human_reason is not null as is_non_human,

        -- dates
        occurred_date,

        -- timestamps
        occurred_at,

        -- lineage
        rules_version,
        '{{ invocation_id }}' as loaded_run

    from verdicts
    -- A stored row is written again only when its verdict changed: the
    -- models downstream recompute what this run wrote.
    where
        is_new
        or stored_reason is distinct from non_human_reason

)

select * from final
