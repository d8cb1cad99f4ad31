{#- One row: the version of the scoring rules in force, a hash of the content
    of every rule seed (profile rules, activity rules, grade bands). Any edit
    to a rule changes it, so every score can be traced to the rules it used. -#}
{%- set rule_seeds = {
    'profile_rules': ['rule_id', 'scoring_model', 'attribute', 'operator',
                      'rule_value', 'points'],
    'activity_rules': ['rule_id', 'scoring_model', 'activity_type',
                       'url_pattern', 'points', 'half_life_days', 'max_points'],
    'grade_bands': ['scoring_model', 'grade', 'min_points', 'max_points'],
} -%}

with

{% for seed_name, columns in rule_seeds.items() %}
    {{ seed_name }} as (

        select
            '{{ seed_name }}' as seed_name,
            {%- for column in columns %}
                coalesce(cast({{ column }} as {{ dbt.type_string() }}), '')
                {%- if not loop.last %} || '|' ||{% endif %}
            {%- endfor %} as row_text
        from {{ ref(seed_name) }}

    ),

{% endfor %}
rule_rows as (

    {% for seed_name in rule_seeds %}
        select * from {{ seed_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        substr(
            {{ dbt.hash(dbt.listagg(
                "seed_name || ':' || row_text", "'\n'",
                "order by seed_name, row_text")) }},
            1,
            12
        ) as rules_version,
        count(*) as rule_row_count
    from rule_rows

)

select * from final
