{#- One row per account with live leads and scoring model, as of
    score_date: the best fit among its leads, engagement across its leads with
    diminishing returns (the most engaged contact counts fully, the next half,
    the next a quarter, ...; negative scores count as 0), the number of
    engaged contacts (behaviour score >= var account_engaged_min_score) and a
    rating like A72. -#}
with

scores as (

    select * from {{ ref('lead_score_history') }}
    where score_date = {{ score_date() }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

contacts as (

    select
        leads.account_id,
        scores.scoring_model,
        scores.lead_id,
        scores.grade,
        scores.fit_points,
        scores.behaviour_score,
        scores.score_date,
        scores.rules_version,
        row_number() over (
            partition by leads.account_id, scores.scoring_model
            order by scores.behaviour_score desc, scores.lead_id asc
        ) as engagement_order
    from scores
    inner join leads
        on scores.lead_id = leads.lead_id
    where leads.account_id is not null

),

aggregated as (

    select
        account_id,
        scoring_model,
        min(grade) as best_grade,
        max(fit_points) as best_fit_points,
        -- exact to 9 decimals whatever order the engine adds in, so equal
        -- engagement ties and account_id decides the rank
        {{ lead_scoring.order_independent_sum(
            '(case when behaviour_score > 0 then behaviour_score else 0 end)'
            ~ ' * power(0.5, engagement_order - 1)', decimals=9) }} as engagement_score,
        count(*) as contact_count,
        sum(case
            when behaviour_score >= {{ var('account_engaged_min_score') }} then 1 else 0
        end) as engaged_contact_count,
        max(score_date) as score_date,
        max(rules_version) as rules_version
    from contacts
    group by account_id, scoring_model

),

final as (

    select
        -- ids
        account_id,

        -- strings
        scoring_model,
        best_grade,
        {{ lead_scoring.rating('best_grade', 'engagement_score') }} as rating,
        rules_version,

        -- numerics
        cast(best_fit_points as {{ lead_scoring.type_double() }}) as best_fit_points,
        {{ lead_scoring.rounded_points('engagement_score') }} as engagement_score,
        cast(contact_count as integer) as contact_count,
        cast(engaged_contact_count as integer) as engaged_contact_count,
        cast(row_number() over (
            partition by scoring_model
            order by best_grade asc, engagement_score desc, account_id asc
        ) as integer) as account_rank,

        -- dates
        score_date

    from aggregated

)

select * from final
