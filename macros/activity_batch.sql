{#- SELECT of the events of one source that an activity model reads this run
    (source web: the web events stitched to their leads, web_events_stitched;
    email: the usable landed email events): those (re)computed upstream in
    this run, every one on a full build, and with every_row every one also
    when the model recomputes all its rows (recompute_all: after a rules
    change). The activities stream (activity_stream_batch) and
    int_activities_held_back read the same batch. -#}
{% macro activity_batch(source, every_row=false) -%}
    {%- if source == 'web' -%}
        {{ lead_scoring.web_events_stitched(every_row) }}
    {%- elif source == 'email' -%}
        {%- set relation = ref('stg_email__events') -%}
        {%- if every_row -%}
        select landed.*
        from ({{ lead_scoring.rows_to_recompute(relation, 'landed') }}) as landed
        where landed.quarantine_reason is null
        {%- else -%}
        select landed.* from {{ relation }} as landed
        where
            landed.quarantine_reason is null
            {%- if is_incremental() %}
            and {{ lead_scoring.loaded_this_run('landed') }}
            {%- endif %}
        {%- endif %}
    {%- else -%}
        {{ exceptions.raise_compiler_error("activity_batch: unknown source " ~ source) }}
    {%- endif -%}
{%- endmacro %}

{#- SELECT of usable landed web events, each with the lead it belongs to: its
    own lead_id, or the lead its anonymous visitor was identified as
    (int_web_identities_resolved; is_stitched); visitors never identified
    keep a null lead_id. Every event on a full build (and with every_row
    when the model recomputes all its rows); else the events landed in this
    run and the events without a lead of their own whose visitor's identity
    this run recomputed (identified, or identified differently). One branch
    each, so that the engine skips the ones it does not need. -#}
{% macro web_events_stitched(every_row=false) -%}
    {%- if not is_incremental() -%}
        {%- set branches = ['every_event'] -%}
    {%- else -%}
        {%- set branches = ['landed_this_run', 'identified_this_run']
            + (['every_event_if_all'] if every_row else []) -%}
    {%- endif -%}
    {%- for branch in branches %}
    select
        landed.event_id,
        landed.anonymous_id,
        coalesce(landed.lead_id, identities.lead_id) as lead_id,
        landed.event_type,
        landed.page_url,
        landed.referrer,
        landed.user_agent,
        landed.lead_id is null and identities.lead_id is not null as is_stitched,
        landed.occurred_at
    from {{ ref('stg_web__events') }} as landed
    left join {{ ref('int_web_identities_resolved') }} as identities
        on landed.anonymous_id = identities.anonymous_id
    where
        landed.quarantine_reason is null
        {%- if branch == 'landed_this_run' %}
        and {{ lead_scoring.loaded_this_run('landed') }}
        {%- elif branch == 'identified_this_run' %}
        and landed.lead_id is null
        and not {{ lead_scoring.loaded_this_run('landed') }}
        and landed.anonymous_id in (
            select recomputed.anonymous_id
            from {{ ref('int_web_identities_resolved') }} as recomputed
            where {{ lead_scoring.loaded_this_run('recomputed') }}
        )
        {%- elif branch == 'every_event_if_all' %}
        and {{ lead_scoring.recompute_all() }}
        {%- endif %}
        {%- if every_row and branch in ['landed_this_run', 'identified_this_run'] %}
        and not {{ lead_scoring.recompute_all() }}
        {%- endif %}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}

{#- CTEs of the activities stream's rows this run (re)loads, ending in
    `stream_batch`: one row per lead activity from web, email and the CRM
    activity log in one shape (activity_stream_select), of leads the CRM
    knows, with activity_key (text_key of activity_id), occurred_date and
    moved_from_lead_id. A full build, or a run that recomputes all rows
    (recompute_all), loads every event. Else only rows not stored yet (new
    and late events, visits whose visitor was identified since, held-back
    activity of leads new to the CRM) and rows stored for another lead (a
    re-stitched visit, a CRM activity whose lead was corrected), with the
    lead they leave (moved_from_lead_id).
    int_activities_flagged starts with it. -#}
{% macro activity_stream_batch() -%}
known_leads as (

    select lead_id from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

web_events as (

    {{ lead_scoring.activity_batch('web', every_row=true) }}

),

email_events as (

    {{ lead_scoring.activity_batch('email', every_row=true) }}

),

crm_activities as (

    select * from {{ ref('stg_crm__activities') }}
    where quarantine_reason is null

),

batch as (

    {{ lead_scoring.activity_stream_select('web', 'web_events') }}

    union all

    {{ lead_scoring.activity_stream_select('email', 'email_events') }}

    union all

    {{ lead_scoring.activity_stream_select('crm', 'crm_activities') }}

),

shaped as (

    select * from batch
    {%- if is_incremental() %}

    union all

    -- Activity held back (unknown_lead) until the CRM delivered its lead;
    -- the batch's version of an event wins (restitched since).
    select
        held_back.activity_id,
        held_back.lead_id,
        held_back.activity_source,
        held_back.activity_type,
        held_back.url,
        held_back.user_agent,
        held_back.campaign_id,
        held_back.is_stitched,
        held_back.occurred_at
    from {{ ref('int_activities_held_back') }} as held_back
    where not exists (
        select 1 from batch
        where batch.activity_id = held_back.activity_id
    )
    {%- endif %}

),

known as (

    select * from shaped
    where
        occurred_at is not null
        -- Activity of a lead the CRM does not know is quarantined
        -- (quarantined_records, reason unknown_lead); anonymous web visits
        -- stay in stg_web__events (int_web_events_stitched shows them).
        and lead_id in (select known_leads.lead_id from known_leads)

),
{%- if is_incremental() %}

stored_versions as (

    -- The stored rows of the batch's activity ids (the engine builds its
    -- hash table on the batch, not on every stored row).
    select previous.activity_id, previous.activity_key, previous.lead_id
    from {{ this }} as previous
    where previous.activity_id in (select known.activity_id from known)

),
{%- endif %}

-- computed once on an incremental run (a small batch read several times)
stream_batch {{ lead_scoring.as_computed_once() if is_incremental() else 'as' }} (

    select
        known.activity_id,
        -- a stored row keeps its key: the tables downstream know it by it
        {% if is_incremental() -%}
            coalesce(stored_versions.activity_key, {{ lead_scoring.text_key('known.activity_id') }})
        {%- else -%}
            {{ lead_scoring.text_key('known.activity_id') }}
        {%- endif %} as activity_key,
        known.lead_id,
        known.campaign_id,
        known.activity_source,
        known.activity_type,
        known.url,
        known.user_agent,
        known.is_stitched,
        cast(known.occurred_at as date) as occurred_date,
        known.occurred_at,
        {% if is_incremental() -%}
            stored_versions.lead_id as moved_from_lead_id
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as moved_from_lead_id
        {%- endif %}
    from known
    {%- if is_incremental() %}
    -- not stored yet, or stored for another lead (the lead it leaves)
    left join stored_versions
        on known.activity_id = stored_versions.activity_id
    where stored_versions.lead_id is distinct from known.lead_id
    {%- endif %}

)
{%- endmacro %}
