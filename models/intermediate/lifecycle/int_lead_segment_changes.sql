{#- The segments each lead entered or left since its previous score_date
    (segments follow the default scoring model): one row per lead and
    segment that changed. A lead gone since leaves all its segments. -#}
{%- set this_day = score_date() -%}
{#- Read where needed, for the dates needed (see int_lead_score_changes). -#}
{%- set segment_history = ref('lead_segment_history') %}

with

changes as (

    select * from {{ ref('int_lead_score_changes') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

segments_now as (

    select segment_history.* from {{ segment_history }} as segment_history
    where segment_history.score_date = {{ this_day }}

),

segments_before as (

    select segment_history.*
    from {{ segment_history }} as segment_history
    inner join changes
        on
            segment_history.lead_id = changes.lead_id
            and segment_history.score_date = changes.previous_score_date

),

final as (

    select
        -- ids
        coalesce(segments_now.lead_id, segments_before.lead_id) as lead_id,
        coalesce(segments_now.segment_id, segments_before.segment_id) as segment_id,

        -- strings
        case
            when segments_before.lead_id is null then 'segment_entered'
            else 'segment_left'
        end as event_type

    from segments_now
    full outer join segments_before
        on
            segments_now.lead_id = segments_before.lead_id
            and segments_now.segment_id = segments_before.segment_id
    where segments_now.lead_id is null or segments_before.lead_id is null

)

select * from final
