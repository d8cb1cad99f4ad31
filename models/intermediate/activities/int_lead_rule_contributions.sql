{#- One row per lead, scoring model and activity rule: how often the rule
    fired, its points before and after decay, and after the rule's cap
    (max_points bounds the size of the decayed sum, for negative rules too). -#}
with

decayed as (

    select * from {{ ref('int_activities_decayed') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

summed as (

    select
        decayed.lead_id,
        decayed.scoring_model,
        decayed.rule_id,
        max(decayed.max_points) as max_points,
        max(decayed.rules_version) as rules_version,
        max(decayed.score_date) as score_date,
        count(*) as occurrence_count,
        sum(decayed.points) as undecayed_points,
        sum(decayed.decayed_points) as decayed_points,
        max(decayed.occurred_at) as last_occurred_at
    from decayed
    inner join leads
        on decayed.lead_id = leads.lead_id
    group by decayed.lead_id, decayed.scoring_model, decayed.rule_id

),

final as (

    select
        -- ids
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        rules_version,

        -- numerics
        occurrence_count,
        undecayed_points,
        decayed_points,
        {{ lead_scoring.capped('decayed_points', 'max_points') }} as capped_points,

        -- booleans
        (max_points is not null and abs(decayed_points) > max_points) as is_capped,

        -- dates
        score_date,

        -- timestamps
        last_occurred_at

    from summed

)

select * from final
