{#- One row per lead and snapshot date the predictive model looks at:
    sample 'score', every live lead as of score_date (what is scored today),
    and the training and holdout rows of int_prediction_outcomes. Large
    warehouses are sampled (deterministically, by a hash of the lead and
    snapshot): the train sample keeps every conversion and at most var
    prediction_max_training_observations rows in all, its kept
    non-converters weighted up (sample_weight) so the fit is unbiased; the
    holdout keeps at most prediction_max_holdout_observations rows. -#}

with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

training as (

    select * from {{ ref('int_prediction_outcomes') }}

),

counted as (

    {%- set draw_key = "lead_id || '@' || cast(snapshot_date as "
        ~ dbt.type_string() ~ ")" %}
    select
        *,
        sum(is_converted) over (partition by sample) as sample_converted,
        count(*) over (partition by sample) as sample_size,
        mod(abs({{ lead_scoring.key_hash(draw_key) }}), 1000000) / 1000000.0 as draw
    from training

),

kept_shares as (

    -- the share of the rows (the train sample: of its non-converters) kept
    select
        *,
        case
            when sample = 'holdout'
                then least(1.0, holdout_cap / sample_size)
            when is_converted = 1 then 1.0
            else least(
                1.0,
                greatest(training_cap - sample_converted, 1)
                / greatest(sample_size - sample_converted, 1)
            )
        end as kept_share
    from (
        select
            *,
            cast(
                {{ var('prediction_max_holdout_observations') }}
                as {{ lead_scoring.type_double() }}
            ) as holdout_cap,
            cast(
                {{ var('prediction_max_training_observations') }}
                as {{ lead_scoring.type_double() }}
            ) as training_cap
        from counted
    ) as capped

),

sampled as (

    select
        *,
        case when sample = 'train' then 1 / kept_share else 1.0 end as sample_weight
    from kept_shares
    where draw < kept_share

),

scored_today as (

    select
        {{ score_date() }} as snapshot_date,
        cast(null as integer) as snapshots_before_latest,
        lead_id,
        'score' as sample,
        cast(created_at as date) as created_date,
        cast(null as integer) as is_converted,
        cast(null as {{ lead_scoring.type_double() }}) as sample_weight
    from leads

),

final as (

    select
        -- ids
        lead_id,

        -- strings
        sample,

        -- numerics
        snapshots_before_latest,
        is_converted,
        sample_weight,

        -- dates
        snapshot_date,
        created_date

    from sampled

    union all

    select
        lead_id,
        sample,
        snapshots_before_latest,
        is_converted,
        sample_weight,
        snapshot_date,
        created_date
    from scored_today

)

select * from final
