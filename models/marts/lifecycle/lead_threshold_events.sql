{#- What changed for a lead between its previous score_date and this one,
    ready for a reverse-ETL sync to the CRM or to trigger a campaign:
    stage_changed, grade_changed, engagement_band_changed, threshold_crossed_up
    / threshold_crossed_down (score_thresholds seed), segment_entered /
    segment_left; per scoring model (segments: the default model only). A
    lead seen for the first time reports its stage (unless
    'lead') and its segments. A lead scored before and gone now (deleted in
    the CRM, or no longer in the export) reports stage_changed to 'deleted'
    and leaves its segments, so the sync can act. Rerunning a score_date
    replaces its events. -#}
{%- set this_day = score_date() -%}

{#- The history tables are read where needed, each time for the dates it
    needs, not through import CTEs an engine may materialise whole (DuckDB
    does for a CTE read several times): a daily run reads two dates. -#}
{%- set history = ref('lead_score_history') -%}
{%- set segment_history = ref('lead_segment_history') %}

with

thresholds as (

    select * from {{ ref('score_thresholds') }}

),

current_day as (

    select history.* from {{ history }} as history
    where history.score_date = {{ this_day }}

),

previous_day as (

    {{ lead_scoring.latest_history_rows(
        history, dbt.dateadd('day', -1, this_day),
        ['lead_id', 'scoring_model', 'score_date', 'lifecycle_stage', 'grade',
         'engagement_band', 'behaviour_score', 'fit_points'],
        keys=['lead_id', 'scoring_model']) }}

),

run_rules as (

    select max(current_day.rules_version) as rules_version from current_day

),

pairs as (

    -- Every lead and model scored now or on the previous date (gone: scored
    -- then only).
    select
        coalesce(current_day.lead_id, previous_day.lead_id) as lead_id,
        coalesce(current_day.scoring_model, previous_day.scoring_model) as scoring_model,
        coalesce(current_day.rules_version, run_rules.rules_version) as rules_version,
        previous_day.score_date as previous_score_date,
        previous_day.lead_id is not null as has_previous,
        current_day.lead_id is not null as is_current,
        previous_day.lifecycle_stage as previous_stage,
        coalesce(current_day.lifecycle_stage, 'deleted') as current_stage,
        previous_day.grade as previous_grade,
        current_day.grade as current_grade,
        previous_day.engagement_band as previous_band,
        current_day.engagement_band as current_band,
        previous_day.behaviour_score as previous_behaviour_score,
        current_day.behaviour_score as current_behaviour_score,
        previous_day.fit_points as previous_fit_points,
        current_day.fit_points as current_fit_points
    from current_day
    full outer join previous_day
        on
            current_day.lead_id = previous_day.lead_id
            and current_day.scoring_model = previous_day.scoring_model
    cross join run_rules

),

stage_events as (

    select
        lead_id,
        scoring_model,
        'stage_changed' as event_type,
        'lifecycle_stage' as subject,
        previous_stage as from_value,
        current_stage as to_value
    from pairs
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
    from pairs
    where has_previous and is_current and previous_grade <> current_grade

    union all

    select
        lead_id,
        scoring_model,
        'engagement_band_changed' as event_type,
        'engagement_band' as subject,
        cast(previous_band as {{ dbt.type_string() }}) as from_value,
        cast(current_band as {{ dbt.type_string() }}) as to_value
    from pairs
    where has_previous and is_current and previous_band <> current_band

),

threshold_pairs as (

    select
        pairs.lead_id,
        pairs.scoring_model,
        thresholds.threshold_id,
        thresholds.threshold_value,
        case
            when thresholds.metric = 'fit_points' then pairs.previous_fit_points
            else pairs.previous_behaviour_score
        end as previous_value,
        case
            when thresholds.metric = 'fit_points' then pairs.current_fit_points
            else pairs.current_behaviour_score
        end as current_value
    from pairs
    inner join thresholds
        on pairs.scoring_model = thresholds.scoring_model
    where pairs.has_previous and pairs.is_current

),

threshold_events as (

    select
        lead_id,
        scoring_model,
        case
            when current_value >= threshold_value then 'threshold_crossed_up'
            else 'threshold_crossed_down'
        end as event_type,
        threshold_id as subject,
        cast(previous_value as {{ dbt.type_string() }}) as from_value,
        cast(current_value as {{ dbt.type_string() }}) as to_value
    from threshold_pairs
    where (previous_value >= threshold_value) <> (current_value >= threshold_value)

),

segments_now as (

    select segment_history.* from {{ segment_history }} as segment_history
    where segment_history.score_date = {{ this_day }}

),

segments_before as (

    select segment_history.*
    from {{ segment_history }} as segment_history
    inner join pairs
        on
            segment_history.lead_id = pairs.lead_id
            and segment_history.score_date = pairs.previous_score_date
            and pairs.scoring_model = '{{ var("default_scoring_model", "default") }}'

),

segment_events as (

    select
        coalesce(segments_now.lead_id, segments_before.lead_id) as lead_id,
        '{{ var("default_scoring_model", "default") }}' as scoring_model,
        case
            when segments_before.lead_id is null then 'segment_entered'
            else 'segment_left'
        end as event_type,
        coalesce(segments_now.segment_id, segments_before.segment_id) as subject,
        cast(null as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value
    from segments_now
    full outer join segments_before
        on
            segments_now.lead_id = segments_before.lead_id
            and segments_now.segment_id = segments_before.segment_id
    where segments_now.lead_id is null or segments_before.lead_id is null

),

unioned as (

    select * from stage_events
    union all
    select * from threshold_events
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
        pairs.rules_version,

        -- dates
        {{ this_day }} as score_date,
        pairs.previous_score_date

    from unioned
    inner join pairs
        on
            unioned.lead_id = pairs.lead_id
            and unioned.scoring_model = pairs.scoring_model

)

select * from final
