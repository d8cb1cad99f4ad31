{#- How well each score ranks the leads that went on to get an opportunity,
    per scoring model and sample (train, holdout): ROC AUC (from ranks, ties averaged), and the
    share of converters captured by the top decile of the score. Scores:
    fit_points, behaviour_score, current_priority (the rules' priority rank)
    and calibrated_score (rule weights learnt on the train sample). -#}
{%- set score_columns = ['fit_points', 'behaviour_score', 'current_priority',
                         'calibrated_score'] -%}

with

scores as (

    select * from {{ ref('int_calibration_scores') }}

),

long_scores as (

    {% for column in score_columns %}
        select
            lead_id,
            scoring_model,
            sample,
            '{{ column }}' as score_name,
            cast({{ column }} as {{ lead_scoring.type_double() }}) as score_value,
            has_opportunity
        from scores
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranked as (

    select
        *,
        rank() over (
            partition by scoring_model, sample, score_name order by score_value asc
        ) as value_rank,
        count(*) over (
            partition by scoring_model, sample, score_name, score_value
        ) as tie_count,
        row_number() over (
            partition by scoring_model, sample, score_name
            order by score_value desc, lead_id asc
        ) as position_from_top,
        count(*) over (partition by scoring_model, sample, score_name) as sample_size
    from long_scores

),

final as (

    select
        -- strings
        scoring_model,
        sample,
        score_name,

        -- numerics
        cast(count(*) as bigint) as lead_count,
        cast(sum(has_opportunity) as bigint) as converted_count,
        cast((
            sum(case
                when has_opportunity = 1 then value_rank + (tie_count - 1) / 2.0
                else 0
            end)
            - sum(has_opportunity) * (sum(has_opportunity) + 1) / 2.0
        )
        / nullif(
            cast(sum(has_opportunity) as {{ lead_scoring.type_double() }})
            * (count(*) - sum(has_opportunity)),
            0
        ) as {{ lead_scoring.type_double() }}) as roc_auc,
        cast(cast(sum(case
            when position_from_top <= ceiling(sample_size / 10.0) then has_opportunity
            else 0
        end) as {{ lead_scoring.type_double() }})
        / nullif(sum(has_opportunity), 0) as {{ lead_scoring.type_double() }})
            as top_decile_capture

    from ranked
    group by scoring_model, sample, score_name

)

select * from final
