-- Compare score distributions between two rules versions in the score
-- history (the default scoring model's): leads per grade, per lifecycle
-- stage and per engagement band, and the mean and median behaviour score.
-- Pass the versions as vars (dbt compile --select compare_rules_versions
--  --vars '{version_a: 1a2b3c4d5e6f, version_b: 6f5e4d3c2b1a}'); by default the
-- two most recent versions are compared, each on its latest score_date.
-- To try new rules without touching production, build them into another
-- warehouse file that holds a copy of the history (lead-scoring build --db).
with

history as (

    select * from {{ lead_scoring.mart('lead_score_history') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

latest_per_version as (

    select
        rules_version,
        max(score_date) as score_date
    from history
    group by rules_version

),

chosen as (

    {% if var('version_a', none) and var('version_b', none) %}
        select
            rules_version,
            score_date,
            case
                when rules_version = '{{ var("version_a") }}' then 'a' else 'b'
            end as side
        from latest_per_version
        where rules_version in ('{{ var("version_a") }}', '{{ var("version_b") }}')
    {% else %}
        select
            rules_version,
            score_date,
            case
                when row_number() over (order by score_date desc, rules_version asc) = 1
                    then 'b'
                else 'a'
            end as side
        from latest_per_version
        qualify row_number() over (order by score_date desc, rules_version asc) <= 2
    {% endif %}

),

scores as (

    select
        chosen.side,
        chosen.rules_version,
        history.*
    from history
    inner join chosen
        on
            history.rules_version = chosen.rules_version
            and history.score_date = chosen.score_date

),

measures as (

    select
        side,
        'grade' as dimension,
        grade as bucket,
        count(*) as measure
    from scores
    group by side, grade

    union all

    select
        side,
        'lifecycle_stage' as dimension,
        lifecycle_stage as bucket,
        count(*) as measure
    from scores
    group by side, lifecycle_stage

    union all

    select
        side,
        'engagement_band' as dimension,
        cast(engagement_band as varchar) as bucket,
        count(*) as measure
    from scores
    group by side, engagement_band

    union all

    select
        side,
        'behaviour_score' as dimension,
        'mean' as bucket,
        avg(behaviour_score) as measure
    from scores
    group by side

    union all

    select
        side,
        'behaviour_score' as dimension,
        'median' as bucket,
        median(behaviour_score) as measure
    from scores
    group by side

),

versions as (

    select
        max(case when side = 'a' then rules_version end) as rules_version_a,
        max(case when side = 'b' then rules_version end) as rules_version_b
    from chosen

),

final as (

    select
        measures.dimension,
        measures.bucket,
        versions.rules_version_a,
        versions.rules_version_b,
        coalesce(sum(case when measures.side = 'a' then measures.measure end), 0)
            as version_a,
        coalesce(sum(case when measures.side = 'b' then measures.measure end), 0)
            as version_b,
        coalesce(sum(case when measures.side = 'b' then measures.measure end), 0)
        - coalesce(sum(case when measures.side = 'a' then measures.measure end), 0)
            as difference
    from measures
    cross join versions
    group by
        measures.dimension,
        measures.bucket,
        versions.rules_version_a,
        versions.rules_version_b

)

select * from final
order by dimension, bucket
