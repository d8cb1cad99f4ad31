{#- The BI contract: one row per live lead, scored as of score_date by the
    default scoring model. No PII beyond lead_id. -#}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

fit as (

    select * from {{ ref('int_lead_fit_scored') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

behaviour as (

    select * from {{ ref('int_lead_behaviour_scored') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

joined as (

    select
        leads.lead_id,
        leads.account_id,
        fit.scoring_model,
        fit.grade,
        fit.fit_points,
        fit.matched_rule_count,
        behaviour.behaviour_score,
        behaviour.scored_activity_count,
        not leads.is_do_not_contact as is_contactable,
        behaviour.last_activity_at
    from leads
    inner join fit
        on leads.lead_id = fit.lead_id
    inner join behaviour
        on leads.lead_id = behaviour.lead_id

),

final as (

    select
        -- ids
        joined.lead_id,
        joined.account_id,

        -- strings
        joined.scoring_model,
        joined.grade,
        joined.grade || cast(
            cast(round(joined.behaviour_score) as integer)
            as {{ dbt.type_string() }}
        ) as rating,
        rules_version.rules_version,

        -- numerics
        cast(joined.fit_points as {{ lead_scoring.type_double() }}) as fit_points,
        cast(
            round(cast(joined.behaviour_score as {{ dbt.type_numeric() }}), 2)
            as {{ lead_scoring.type_double() }}
        ) as behaviour_score,
        cast(row_number() over (
            order by
                joined.grade asc,
                joined.behaviour_score desc,
                joined.fit_points desc,
                joined.lead_id asc
        ) as integer) as priority_rank,
        cast(joined.matched_rule_count as integer) as matched_profile_rule_count,
        cast(joined.scored_activity_count as integer) as scored_activity_count,

        -- booleans
        joined.is_contactable,

        -- dates
        {{ score_date() }} as score_date,

        -- timestamps
        joined.last_activity_at

    from joined
    cross join rules_version

)

select * from final
