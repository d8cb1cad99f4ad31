{#- Per lead and scoring model scored on this score_date or on its previous
    one (the latest earlier date the lead was scored): the previous and the
    current stage, grade, engagement band, behaviour score and fit points.
    A lead scored on the previous date and gone now has current stage
    'deleted' (once: a lead gone before the previous date has no row). What
    lead_threshold_events turns into events. -#}
{%- set this_day = score_date() -%}

{#- The history is read where needed, for the dates it needs, not through an
    import CTE an engine may materialise whole (DuckDB does for a CTE read
    several times): a daily run reads two dates. -#}
{%- set history = ref('lead_score_history') -%}
{%- set previous_cutoff = dbt.dateadd('day', -1, this_day) -%}
{#- The previous run's date (leads missing from it come with earlier dates);
    null before the first run. -#}
{%- set last_run_date = lead_scoring.latest_history_date(history, previous_cutoff) -%}
{%- set previous_run_date = 'null' if last_run_date == 'none' else last_run_date -%}

with

current_day as (

    select history.* from {{ history }} as history
    where history.score_date = {{ this_day }}

),

previous_day as (

    {{ lead_scoring.latest_history_rows(
        history, previous_cutoff,
        ['lead_id', 'scoring_model', 'score_date', 'lifecycle_stage', 'grade',
         'engagement_band', 'behaviour_score', 'fit_points'],
        keys=['lead_id', 'scoring_model'], wanted=lead_scoring.live_lead_keys(),
        last_run_date=last_run_date) }}

),

run_rules as (

    select max(current_day.rules_version) as rules_version from current_day

),

final as (

    -- Every lead and model scored now or on the previous date (gone: scored
    -- then only).
    select
        -- ids
        coalesce(current_day.lead_id, previous_day.lead_id) as lead_id,

        -- strings
        coalesce(current_day.scoring_model, previous_day.scoring_model) as scoring_model,
        coalesce(current_day.rules_version, run_rules.rules_version) as rules_version,
        previous_day.lifecycle_stage as previous_stage,
        coalesce(current_day.lifecycle_stage, 'deleted') as current_stage,
        previous_day.grade as previous_grade,
        current_day.grade as current_grade,

        -- numerics
        previous_day.engagement_band as previous_band,
        current_day.engagement_band as current_band,
        previous_day.behaviour_score as previous_behaviour_score,
        current_day.behaviour_score as current_behaviour_score,
        previous_day.fit_points as previous_fit_points,
        current_day.fit_points as current_fit_points,

        -- booleans
        previous_day.lead_id is not null as has_previous,
        current_day.lead_id is not null as is_current,

        -- dates
        previous_day.score_date as previous_score_date

    from current_day
    full outer join previous_day
        on
            current_day.lead_id = previous_day.lead_id
            and current_day.scoring_model = previous_day.scoring_model
    cross join run_rules
    -- gone: reported on the first run without the lead only
    where
        current_day.lead_id is not null
        or previous_day.score_date = {{ previous_run_date }}

)

select * from final
