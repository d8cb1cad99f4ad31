{#- SQL: per lead and scoring model of `since` (a relation or CTE with
    lead_id, scoring_model and a date column), the behaviour score of its
    activity after that date only, capped per rule as in
    int_lead_rule_contributions: a recycled lead's fresh engagement.
    decayed: int_activities_decayed (or a CTE of it). -#}
{% macro behaviour_score_after(decayed, since, since_column) -%}
    select
        per_rule.lead_id,
        per_rule.scoring_model,
        {{ lead_scoring.order_independent_sum(
            lead_scoring.capped('per_rule.decayed_points', 'per_rule.max_points')) }}
            as behaviour_score
    from (
        select
            decayed.lead_id,
            decayed.scoring_model,
            decayed.rule_id,
            max(decayed.max_points) as max_points,
            {{ lead_scoring.order_independent_sum('decayed.decayed_points') }} as decayed_points
        from {{ decayed }} as decayed
        inner join {{ since }} as since
            on
                decayed.lead_id = since.lead_id
                and decayed.scoring_model = since.scoring_model
        where decayed.occurred_date > since.{{ since_column }}
        group by decayed.lead_id, decayed.scoring_model, decayed.rule_id
    ) as per_rule
    group by per_rule.lead_id, per_rule.scoring_model
{%- endmacro %}
