{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ lead_scoring.delete_leads_left_this_run() }}",
    )
}}
{#- Per lead with activity in the stream: its latest activity up to
    score_date (any activity, scored or not), and the date of its earliest
    activity after score_date. Like int_lead_rule_state, a run recomputes,
    from the lead's whole history, only the leads with stream rows loaded in
    this run, with later-dated activity now due (next_due_date up to
    score_date), or stored for a later score_date; other leads keep their
    row, still exact (nothing of theirs changed and nothing came due). This
    spares a daily run the aggregate of the whole stream per lead. -#}
{%- set this_day = score_date() -%}

{#- Read where needed, not through an import CTE (see int_lead_rule_state). -#}
{%- set stream = ref('int_activities_flagged') %}

with

{% if is_incremental() %}
leads_to_compute as (

    {{ lead_scoring.state_keys_to_recompute(stream, ['lead_id']) }}

),
{% endif %}

per_lead as (

    select
        activity.lead_id,
        max(case when activity.occurred_date <= {{ this_day }} then activity.occurred_at end)
            as last_activity_at,
        min(case when activity.occurred_date > {{ this_day }} then activity.occurred_date end)
            as next_due_date
    from {{ stream }} as activity
    {% if is_incremental() %}
        inner join leads_to_compute
            on activity.lead_id = leads_to_compute.lead_id
    {% endif %}
    group by activity.lead_id

),

final as (

    select
        -- ids
        lead_id,

        -- dates
        {{ this_day }} as state_date,
        next_due_date,

        -- timestamps
        last_activity_at,

        -- run metadata
        '{{ invocation_id }}' as loaded_run

    from per_lead

)

select * from final
