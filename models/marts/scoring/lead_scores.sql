{#- The BI contract: one row per live lead, scored as of score_date by the
    default scoring model (var default_scoring_model). No PII beyond lead_id
    and account_id. Every model's scores: lead_scores_by_model. -#}
with

scores_by_model as (

    select * from {{ ref('lead_scores_by_model') }}

),

final as (

    select * from scores_by_model
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

)

-- The by-model mart's columns, checked by this mart's contract.
select * from final  -- noqa: AM04
