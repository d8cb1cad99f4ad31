{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_stale_predictive_model() }}",
            "{{ lead_scoring.delete_leads_not_kept(ref('int_lead_profile_fingerprints')) }}",
        ],
    )
}}
{#- The part of every live lead's predictive score that changes only with
    its profile and its stored activity counts: the intercept, the matched
    profile features (category, other, range, missing) and the counts'
    features (count_all, count_recent, from int_lead_feature_state), kept as
    the lead's top var prediction_factor_count factors of each sign (the
    only ones of the part that can be among the lead's top factors) and one
    `rest` row with the sum of all the others. int_lead_predictive_scored
    adds today's decayed sums and lead features. A run computes only the
    leads whose profile fingerprint or feature state was written since this
    model last ran (loaded_this_run: also by a run of those models alone),
    and every lead after the model changed (model_fingerprint); a computed
    lead's rows replace its stored ones. -#}
{%- set factor_count = var('prediction_factor_count', 3) -%}
{%- set counts = lead_scoring.static_activity_measures() -%}
{%- set state = ref('int_lead_feature_state') -%}
{%- set fingerprints = ref('int_lead_profile_fingerprints') -%}
{%- set computed_leads -%}
    sample = 'score'
    {%- if is_incremental() %} and lead_id in (select lead_id from leads_to_compute){% endif %}
{%- endset %}

with

{% if is_incremental() %}
leads_to_compute as (

    -- profile changed (every lead when recompute_all)
    select profiles.lead_id
    from ({{ lead_scoring.rows_to_recompute(fingerprints, 'profiles') }}) as profiles
    union
    -- activity state recomputed
    select states.lead_id
    from {{ state }} as states
    where
        states.activity_key = 'any activity'
        and {{ lead_scoring.loaded_this_run('states') }}

),
{% endif %}

features as (

    {% if target.type == 'spark' %}
        select * from {{ ref('int_lead_static_features') }}
    {% else %}
        {{ lead_scoring.static_prediction_features(computed_leads) }}
    {% endif %}

),

matched as (

    {{ lead_scoring.prediction_features_matched(
        'features', computed_leads, sources=['model', 'profile', 'activity'],
        activity_measures=counts) }}

),

contributions as (

    -- read twice below: only what both need
    select
        lead_id,
        feature_id,
        contribution
    from matched

),

top_factors as (

    select * from ({{ lead_scoring.prediction_factors_ranked('contributions') }}) as ranked
    where factor_rank <= {{ factor_count }}

),

rest as (

    -- everything else (the intercept always), summed
    select
        contributions.lead_id,
        -1 as feature_id,
        {{ lead_scoring.order_independent_sum(
            'case when top_factors.lead_id is null then contributions.contribution else 0 end') }}
            as contribution
    from contributions
    left join top_factors
        on
            contributions.lead_id = top_factors.lead_id
            and contributions.feature_id = top_factors.feature_id
    group by contributions.lead_id

),

stored as (

    select
        top_factors.lead_id,
        top_factors.feature_id,
        model_features.match_type,
        top_factors.contribution
    from top_factors
    inner join {{ ref('predictive_model') }} as model_features
        on top_factors.feature_id = model_features.feature_id

    union all

    select
        lead_id,
        feature_id,
        'rest' as match_type,
        contribution
    from rest

),

final as (

    select
        -- ids
        stored.lead_id,
        stored.feature_id,

        -- strings
        stored.match_type,
        {{ lead_scoring.predictive_model_version() }} as model_version,

        -- numerics
        stored.contribution,
        {{ lead_scoring.predictive_model_fingerprint() }} as model_fingerprint,

        -- run metadata
        '{{ invocation_id }}' as loaded_run

    from stored

)

select * from final
