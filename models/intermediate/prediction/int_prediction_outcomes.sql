{#- Every open lead on every training snapshot, with its outcome: var
    prediction_snapshot_count snapshots, prediction_snapshot_cadence_days
    apart, the latest one prediction_outcome_window_days before score_date
    (so every outcome window is over); on each, the leads created by then
    that had not converted yet, and whether they converted (var
    prediction_outcome: an opportunity created, or a won deal closed) within
    the window after it. The latest snapshot is the holdout (sample
    'holdout', never fitted); the earlier ones are fitted ('train'). -#}
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

final as (

    select
        -- ids
        lead_id,

        -- strings
        sample,

        -- numerics
        snapshots_before_latest,
        is_converted,

        -- dates
        snapshot_date,
        created_date

    from training

)

select * from final
