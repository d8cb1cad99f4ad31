{#- Checks the rule seeds before anything is scored. Every scoring model
    depends on this one, so a broken rule stops the build here, with a
    message naming the rule, and the published marts keep their previous
    contents. The table lists the problems found (none when it builds).
    Non-numeric points fail earlier, when the seed loads (and the CLI names
    the rule before calling dbt). -#}
{%- set operators = ['eq', 'ne', 'in', 'not_in', 'between', 'gt', 'gte', 'lt', 'lte',
                     'contains', 'regex', 'is_null'] -%}
{%- set operator_list = "'" ~ operators | join("', '") ~ "'" -%}
{%- set number = "'^-?[0-9]+([.][0-9]+)?$'" -%}
{%- set problems_sql -%}
    select
        'profile_rules' as seed_name,
        rule_id,
        'unknown operator ''' || coalesce(operator, '') || ''' (use '
        || '{{ operators | join(", ") }})' as problem
    from {{ ref('profile_rules') }}
    where lower(trim(coalesce(operator, ''))) not in ({{ operator_list }})

    union all

    select
        'profile_rules' as seed_name,
        rule_id,
        'value ''' || coalesce(rule_value, '') || ''' is not a number' as problem
    from {{ ref('profile_rules') }}
    where
        lower(trim(operator)) in ('gt', 'gte', 'lt', 'lte')
        and not coalesce({{ lead_scoring.regex_matches('trim(rule_value)', number) }}, false)

    union all

    select
        'profile_rules' as seed_name,
        rule_id,
        'between needs low|high numbers, got ''' || coalesce(rule_value, '') || '''' as problem
    from {{ ref('profile_rules') }}
    where
        lower(trim(operator)) = 'between'
        and not coalesce({{ lead_scoring.regex_matches(
            'trim(rule_value)', "'^-?[0-9]+([.][0-9]+)?[|]-?[0-9]+([.][0-9]+)?$'") }}, false)

    union all

    select
        seed_name,
        rule_id,
        'rule_id is used ' || cast(count(*) as {{ dbt.type_string() }}) || ' times' as problem
    from (
        select 'profile_rules' as seed_name, rule_id from {{ ref('profile_rules') }}
        union all
        select 'activity_rules' as seed_name, rule_id from {{ ref('activity_rules') }}
    ) as all_rules
    group by seed_name, rule_id
    having count(*) > 1

    union all

    select
        'activity_rules' as seed_name,
        rule_id,
        'half_life_days must be above 0, got '
        || coalesce(cast(half_life_days as {{ dbt.type_string() }}), 'nothing') as problem
    from {{ ref('activity_rules') }}
    where coalesce(half_life_days, 0) <= 0

    union all

    select
        'activity_rules' as seed_name,
        rule_id,
        'max_points must be above 0, got '
        || cast(max_points as {{ dbt.type_string() }}) as problem
    from {{ ref('activity_rules') }}
    where max_points <= 0

    union all

    select
        'grade_bands' as seed_name,
        scoring_model || ' ' || grade as rule_id,
        'band [' || cast(min_points as {{ dbt.type_string() }}) || ', '
        || cast(max_points as {{ dbt.type_string() }})
        || ') does not end where the next band starts ('
        || cast(next_min_points as {{ dbt.type_string() }}) || ')' as problem
    from (
        select
            *,
            lead(min_points) over (
                partition by scoring_model order by min_points
            ) as next_min_points
        from {{ ref('grade_bands') }}
    ) as bands
    where next_min_points is not null and next_min_points <> max_points

    union all

    select
        'grade_bands' as seed_name,
        scoring_model || ' ' || grade as rule_id,
        'band is empty or reversed' as problem
    from {{ ref('grade_bands') }}
    where min_points >= max_points

    union all

    select
        'grade_bands' as seed_name,
        reachable.scoring_model as rule_id,
        'bands [' || cast(limits.lowest_min as {{ dbt.type_string() }}) || ', '
        || cast(limits.highest_max as {{ dbt.type_string() }})
        || ') do not cover the fit points the rules can give ['
        || cast(reachable.lowest_points as {{ dbt.type_string() }}) || ', '
        || cast(reachable.highest_points as {{ dbt.type_string() }}) || ']' as problem
    from (
        select
            scoring_model,
            sum(case when points < 0 then points else 0 end) as lowest_points,
            sum(case when points > 0 then points else 0 end) as highest_points
        from {{ ref('profile_rules') }}
        group by scoring_model
    ) as reachable
    left join (
        select
            scoring_model,
            min(min_points) as lowest_min,
            max(max_points) as highest_max
        from {{ ref('grade_bands') }}
        group by scoring_model
    ) as limits
        on reachable.scoring_model = limits.scoring_model
    where
        limits.scoring_model is null
        or limits.lowest_min > reachable.lowest_points
        or limits.highest_max <= reachable.highest_points

    union all

    select
        'engagement_bands' as seed_name,
        scoring_model || ' ' || cast(engagement_band as {{ dbt.type_string() }}) as rule_id,
        'band does not end where the next band starts' as problem
    from (
        select
            *,
            lead(min_score) over (
                partition by scoring_model order by min_score
            ) as next_min_score
        from {{ ref('engagement_bands') }}
    ) as bands
    where next_min_score is not null and next_min_score <> max_score
{%- endset -%}

{%- if execute and flags.WHICH in ['run', 'build'] -%}
    {%- set found = run_query(problems_sql) -%}
    {%- if found.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in found.rows -%}
            {%- do lines.append(row[0] ~ ' ' ~ row[1] ~ ': ' ~ row[2]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'The scoring rules are broken; nothing was scored:\n  ' ~ lines | join('\n  ')) }}
    {%- endif -%}
{%- endif %}

with

problems as (

    {{ problems_sql }}

)

select * from problems
