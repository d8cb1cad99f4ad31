{#- One row per lead and snapshot date the predictive model looks at:
    - sample 'score': every live lead as of score_date (what is scored today);
    - training snapshots, var prediction_snapshot_count of them,
      prediction_snapshot_cadence_days apart, the latest one
      prediction_outcome_window_days before score_date (so every outcome
      window is over): the leads created by the snapshot that had not
      converted yet, with whether they converted within the window after it.
      The latest snapshot is the holdout (sample 'holdout', never fitted):
      a model trained on the earlier snapshots ('train') is measured on it,
      as it would have been used on that day.
    Large warehouses are sampled (deterministically, by a hash of the lead
    and snapshot): the train sample keeps every conversion and at most var
    prediction_max_training_observations rows in all, its kept
    non-converters weighted up (sample_weight) so the fit is unbiased; the
    holdout keeps at most prediction_max_holdout_observations rows. -#}
{%- set window_days = var('prediction_outcome_window_days') -%}
{%- set outcome = var('prediction_outcome') -%}
{%- if outcome not in ['opportunity', 'won'] -%}
    {{ exceptions.raise_compiler_error(
        "var prediction_outcome must be opportunity or won, got '" ~ outcome ~ "'") }}
{%- endif %}

with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where quarantine_reason is null

),

snapshots as (

    {% for snapshot in range(var('prediction_snapshot_count')) %}
        select
            {{ snapshot }} as snapshots_before_latest,
            cast({{ dbt.dateadd(
                'day', -(window_days + snapshot * var('prediction_snapshot_cadence_days')),
                score_date()) }} as date) as snapshot_date
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

conversions as (

    -- The day each opportunity (or won deal) converted its lead.
    select
        lead_id,
        {% if outcome == 'won' %}
            cast(closed_at as date) as converted_date
        from opportunities
        where is_won and closed_at is not null
        {% else %}
            cast(created_at as date) as converted_date
        from opportunities
        where created_at is not null
        {% endif %}

),

created as (

    select
        lead_id,
        cast(created_at as date) as created_date
    from leads
    where created_at is not null

),

training as (

    select
        snapshots.snapshot_date,
        snapshots.snapshots_before_latest,
        created.lead_id,
        case when snapshots.snapshots_before_latest = 0 then 'holdout' else 'train' end
            as sample,
        created.created_date,
        max(case
            when
                conversions.converted_date > snapshots.snapshot_date
                and conversions.converted_date <= {{ dbt.dateadd(
                    'day', window_days, 'snapshots.snapshot_date') }}
                then 1
            else 0
        end) as is_converted
    from snapshots
    inner join created
        on snapshots.snapshot_date >= created.created_date
    left join conversions
        on created.lead_id = conversions.lead_id
    group by
        snapshots.snapshot_date, snapshots.snapshots_before_latest,
        created.lead_id, created.created_date
    -- already converted at the snapshot: not a prediction any more
    having max(case
        when conversions.converted_date <= snapshots.snapshot_date then 1 else 0
    end) = 0

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
