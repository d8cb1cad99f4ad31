{#- What changed for a lead between its previous score_date and this one,
    ready for a reverse-ETL sync to the CRM or to trigger a campaign:
    stage_changed, grade_changed, engagement_band_changed, threshold_crossed_up
    / threshold_crossed_down (score_thresholds seed), segment_entered /
    segment_left; per scoring model (segments: the default model only). A
    lead seen for the first time reports its stage (unless
    'lead') and its segments. A lead scored before and gone now (deleted in
    the CRM, or no longer in the export) reports stage_changed to 'deleted'
    and leaves its segments, so the sync can act. Rerunning a score_date
    replaces its events. The changes themselves: int_lead_score_changes,
    int_lead_threshold_crossings and int_lead_segment_changes. -#}
{%- set this_day = score_date() %}

with

changes as (

    select * from {{ ref('int_lead_score_changes') }}

),

segment_changes as (

    select * from {{ ref('int_lead_segment_changes') }}

),

threshold_crossings as (

    select * from {{ ref('int_lead_threshold_crossings') }}

),

stage_events as (

    select
        lead_id,
        scoring_model,
        'stage_changed' as event_type,
        'lifecycle_stage' as subject,
        previous_stage as from_value,
        current_stage as to_value
    from changes
    where
        (has_previous and previous_stage <> current_stage)
        or (not has_previous and current_stage <> 'lead')

    union all

    select
        lead_id,
        scoring_model,
        'grade_changed' as event_type,
        'grade' as subject,
        previous_grade as from_value,
        current_grade as to_value
    from changes
    where has_previous and is_current and previous_grade <> current_grade

    union all

    select
        lead_id,
        scoring_model,
        'engagement_band_changed' as event_type,
        'engagement_band' as subject,
        cast(previous_band as {{ dbt.type_string() }}) as from_value,
        cast(current_band as {{ dbt.type_string() }}) as to_value
    from changes
    where has_previous and is_current and previous_band <> current_band

),

segment_events as (

    select
        lead_id,
        '{{ var("default_scoring_model", "default") }}' as scoring_model,
        event_type,
        segment_id as subject,
        cast(null as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value
    from segment_changes

),

unioned as (

    select * from stage_events
    union all
    select * from threshold_crossings
    union all
    select * from segment_events

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat([
            'unioned.lead_id', "'|'", 'unioned.scoring_model', "'|'",
            "cast(" ~ this_day ~ " as " ~ dbt.type_string() ~ ")",
            "'|'", 'unioned.event_type', "'|'", 'unioned.subject'])) }} as event_id,
        unioned.lead_id,

        -- strings
        unioned.scoring_model,
        unioned.event_type,
        unioned.subject,
        unioned.from_value,
        unioned.to_value,
        changes.rules_version,

        -- dates
        {{ this_day }} as score_date,
        changes.previous_score_date,

        -- lineage: the run that wrote the row (a publish copies what changed)
        '{{ invocation_id }}' as loaded_run

    from unioned
    inner join changes
        on
            unioned.lead_id = changes.lead_id
            and unioned.scoring_model = changes.scoring_model

)

select * from final
