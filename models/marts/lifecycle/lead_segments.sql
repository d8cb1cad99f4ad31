{{ config(materialized='table', partition_by=none) }}
{#- Current segment memberships (as of score_date): which nurture stream,
    which leads to review, which to clean up, with the reason. -#}
with

segment_history as (

    select * from {{ ref('lead_segment_history') }}
    where score_date = {{ score_date() }}

),

final as (

    select
        -- ids
        lead_id,
        segment_id,

        -- strings
        segment_group,
        reason,

        -- dates
        score_date

    from segment_history

)

select * from final
