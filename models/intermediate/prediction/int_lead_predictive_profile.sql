{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_stale_predictive_model() }}",
            "{{ lead_scoring.delete_leads_not_kept(
                ref('int_lead_profile_fingerprints'), written_this_run_too=true) }}",
        ],
    )
}}
{#- The part of every live lead's predictive score that only its profile
    and the model decide: one row per lead and matched profile feature of
    the trained model (category, other, range, missing) and one for the
    intercept (macros/prediction_features_matched.sql), with its
    contribution. int_lead_predictive_scored adds today's activity and lead
    features. An incremental run matches only the leads whose profile
    changed (int_lead_profile_fingerprints wrote them this run; the pre-hooks
    delete their rows and those of leads no longer live), and every lead
    after the model changed (model_fingerprint). -#}
-- depends_on: {{ ref('int_lead_profile_fingerprints') }}
{%- set changed_leads -%}
    sample = 'score' and lead_id in (
        select recomputed.lead_id
        from (
            {{ lead_scoring.rows_to_recompute(ref('int_lead_profile_fingerprints'), 'changed') }}
        ) as recomputed
    )
{%- endset %}

with

profile_features as (

    {{ lead_scoring.prediction_features(
        changed_leads, model_features_only=true, sources=['profile']) }}

),

matched as (

    {{ lead_scoring.prediction_features_matched(
        'profile_features', changed_leads, sources=['model', 'profile']) }}

),

final as (

    select
        -- ids
        lead_id,
        feature_id,

        -- strings
        match_type,
        model_version,

        -- numerics
        contribution,
        {{ lead_scoring.predictive_model_fingerprint() }} as model_fingerprint,

        -- run metadata
        '{{ invocation_id }}' as loaded_run

    from matched

)

select * from final
