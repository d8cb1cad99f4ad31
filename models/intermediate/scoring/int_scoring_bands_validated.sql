{#- The grade and engagement band seeds' problems, one row each: bands
    that do not end where the next starts, empty or reversed bands, grade
    bands that do not cover the fit points the profile rules can give.
    int_scoring_rules_validated adds them to the rules' problems and fails
    the build naming them all; this model does not fail on its own. -#}
with

grade_bands as (

    select * from {{ ref('grade_bands') }}

),

engagement_bands as (

    select * from {{ ref('engagement_bands') }}

),

profile_rules as (

    select * from {{ ref('profile_rules') }}

),

grade_bands_in_order as (

    select
        *,
        lead(min_points) over (
            partition by scoring_model order by min_points
        ) as next_min_points
    from grade_bands

),

engagement_bands_in_order as (

    select
        *,
        lead(min_score) over (
            partition by scoring_model order by min_score
        ) as next_min_score
    from engagement_bands

),

reachable as (

    -- The fit points a lead can get: all negative rules, all positive rules.
    select
        scoring_model,
        sum(case when points < 0 then points else 0 end) as lowest_points,
        sum(case when points > 0 then points else 0 end) as highest_points
    from profile_rules
    group by scoring_model

),

grade_limits as (

    select
        scoring_model,
        min(min_points) as lowest_min,
        max(max_points) as highest_max
    from grade_bands
    group by scoring_model

),

problems as (

    select
        'grade_bands' as seed_name,
        scoring_model || ' ' || grade as rule_id,
        'band [' || cast(min_points as {{ dbt.type_string() }}) || ', '
        || cast(max_points as {{ dbt.type_string() }})
        || ') does not end where the next band starts ('
        || cast(next_min_points as {{ dbt.type_string() }}) || ')' as problem
    from grade_bands_in_order
    where next_min_points is not null and next_min_points <> max_points

    union all

    select
        'grade_bands' as seed_name,
        scoring_model || ' ' || grade as rule_id,
        'band is empty or reversed' as problem
    from grade_bands
    where min_points >= max_points

    union all

    select
        'grade_bands' as seed_name,
        reachable.scoring_model as rule_id,
        case
            when grade_limits.scoring_model is null then 'the profile rules have no grade bands'
            else
                'bands [' || cast(grade_limits.lowest_min as {{ dbt.type_string() }}) || ', '
                || cast(grade_limits.highest_max as {{ dbt.type_string() }})
                || ') do not cover the fit points the rules can give ['
                || cast(reachable.lowest_points as {{ dbt.type_string() }}) || ', '
                || cast(reachable.highest_points as {{ dbt.type_string() }}) || ']'
        end as problem
    from reachable
    left join grade_limits
        on reachable.scoring_model = grade_limits.scoring_model
    where
        grade_limits.scoring_model is null
        or grade_limits.lowest_min > reachable.lowest_points
        or grade_limits.highest_max <= reachable.highest_points

    union all

    select
        'engagement_bands' as seed_name,
        scoring_model || ' ' || cast(engagement_band as {{ dbt.type_string() }}) as rule_id,
        'band does not end where the next band starts' as problem
    from engagement_bands_in_order
    where next_min_score is not null and next_min_score <> max_score

)

select * from problems
