{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.add_activity_key() }}",
            "{{ lead_scoring.delete_stale_rules_version() }}",
        ],
    )
}}
{#- The activities stream (activity_stream_batch: web, email and CRM activity
    in one shape, web events stitched to their leads, each with the integer
    activity_key the tables downstream carry), with a verdict: human, or
    non-human with the reason (first match wins: bot_user_agent,
    email_scanner_fast, email_multi_link_burst, rate_burst; thresholds in the
    yml), kept and left out of scoring. Incremental: a verdict depends on the
    email events of the same lead and campaign and the web events of the same
    lead and minute; a run judges the rows it loads with their stored
    neighbours, writes them and the stored rows whose verdict changed. -#}
-- depends_on: {{ ref('int_activities_held_back') }}
{%- set stream_columns = ['activity_id', 'activity_key', 'lead_id', 'campaign_id',
    'activity_source', 'activity_type', 'url', 'user_agent', 'is_stitched',
    'occurred_date', 'occurred_at'] %}

with

{{ lead_scoring.activity_stream_batch() }},

-- The rows loaded, and the stored rows whose verdict they can change, with
-- that verdict as stored_non_human_reason.
activities {{ lead_scoring.as_read_again_on_full_build() }} (

    {{ lead_scoring.rows_with_neighbours(
        batch='stream_batch', columns=stream_columns, stored_column='non_human_reason',
        neighbourhoods=[
            {'where': "activity_source = 'email'", 'keys': ['lead_id', 'campaign_id']},
            {'where': "activity_source = 'web'",
             'keys': ['lead_id', dbt.date_trunc('minute', 'occurred_at')]},
        ]) }}

),

bot_user_agents_seen as (

    {{ lead_scoring.bot_user_agents_in('activities') }}

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

link_bursts as (

    select
        lead_id,
        campaign_id,
        {{ dbt.date_trunc('second', 'occurred_at') }} as occurred_second
    from activities
    where activity_type = 'email_click'
    group by lead_id, campaign_id, {{ dbt.date_trunc('second', 'occurred_at') }}
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
    cross join {{ ref('int_scoring_rules_versioned') }} as rules_version
    left join bot_user_agents_seen
        on activities.user_agent = bot_user_agents_seen.user_agent
    left join deliveries
        on
            activities.lead_id = deliveries.lead_id
            and activities.campaign_id = deliveries.campaign_id
    left join link_bursts
        on
            activities.activity_type = 'email_click'
            and activities.lead_id = link_bursts.lead_id
            and activities.campaign_id = link_bursts.campaign_id
            and {{ dbt.date_trunc('second', 'activities.occurred_at') }}
            = link_bursts.occurred_second
    left join web_minutes
        on
            activities.activity_source = 'web'
            and activities.lead_id = web_minutes.lead_id
            and {{ dbt.date_trunc('minute', 'activities.occurred_at') }}
            = web_minutes.occurred_minute

),

final as (

    -- The stream's columns, the verdict, and lineage (moved_from_lead_id).
    select
        {{ stream_columns | join(',\n        ') }},
        non_human_reason,
        non_human_reason is not null as is_non_human,
        rules_version,
        moved_from_lead_id,
        '{{ invocation_id }}' as loaded_run
    from verdicts
    -- A stored row is written again only when its verdict changed: the
    -- models downstream recompute what this run wrote.
    where
        is_new
        or stored_non_human_reason is distinct from non_human_reason

)

select * from final
