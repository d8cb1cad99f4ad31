{#- One row per account with live leads, as of score_date, by the default
    scoring model (var default_scoring_model): account_scores_by_model's
    rows of that model. Every model's account scores: account_scores_by_model. -#}
with

scores_by_model as (

    select * from {{ ref('account_scores_by_model') }}

),

final as (

    select * from scores_by_model
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

)

-- The by-model mart's columns, checked by this mart's contract.
select * from final  -- noqa: AM04
