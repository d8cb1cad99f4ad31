{#- Checks the rule seeds before anything is scored. Every scoring model
    depends on this one, so a broken rule stops the build here, with a
    message naming the rule, and the published marts keep their previous
    contents. The table lists the problems found (none when it builds).
    Non-numeric points fail earlier, when the seed loads (and the CLI names
    the rule before calling dbt). The grade and engagement bands' problems
    come from int_scoring_bands_validated, so that one message names them
    all. -#}
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
        seed_name,
        rule_id,
        problem
    from {{ ref('int_scoring_bands_validated') }}
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
