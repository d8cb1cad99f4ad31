-- Grade bands of each scoring model must touch (each band's max_points is the
-- next band's min_points: no gap, no overlap) and cover every fit score the
-- rules can produce: from the sum of all negative points to the sum of all
-- positive points. Returns one row per broken band, saying what is wrong.
with

bands as (

    select
        scoring_model,
        grade,
        min_points,
        max_points,
        lead(min_points) over (
            partition by scoring_model order by min_points
        ) as next_min_points
    from {{ ref('grade_bands') }}

),

reachable as (

    select
        scoring_model,
        sum(case when points < 0 then points else 0 end) as lowest_points,
        sum(case when points > 0 then points else 0 end) as highest_points
    from {{ ref('profile_rules') }}
    group by scoring_model

),

limits as (

    select
        scoring_model,
        min(min_points) as lowest_band_min,
        max(max_points) as highest_band_max
    from bands
    group by scoring_model

),

problems as (

    select
        scoring_model,
        grade,
        'band ' || grade || ' does not end where the next band starts' as problem
    from bands
    where next_min_points is not null and next_min_points <> max_points

    union all

    select
        scoring_model,
        grade,
        'band ' || grade || ' is empty or reversed' as problem
    from bands
    where min_points >= max_points

    union all

    select
        reachable.scoring_model,
        null as grade,
        'bands do not cover the reachable fit points of the rules' as problem
    from reachable
    left join limits
        on reachable.scoring_model = limits.scoring_model
    where
        limits.scoring_model is null
        or limits.lowest_band_min > reachable.lowest_points
        or limits.highest_band_max <= reachable.highest_points

)

select * from problems
