{#- One row: the version of the scoring rules in force, a hash of the content
    of every rule seed (profile rules, activity rules, grade bands, bot user
    agents) and of the
    vars that change scores (non-human activity thresholds, the attributes
    profile rules may read). Any edit to a
    rule changes it, so every score can be traced to the rules it used. -#}
{%- set scoring_settings = [
    'non_human_email_seconds', 'non_human_links_same_second',
    'non_human_max_events_per_minute', 'profile_attributes',
] -%}
{%- set numeric_columns = [
    'points', 'half_life_days', 'max_points', 'max_per_day', 'max_lifetime',
    'min_points',
] -%}
{%- set rule_seeds = {
    'profile_rules': ['rule_id', 'scoring_model', 'attribute', 'operator',
                      'rule_value', 'points'],
    'activity_rules': ['rule_id', 'scoring_model', 'activity_type',
                       'url_pattern', 'points', 'half_life_days', 'max_points',
                       'max_per_day', 'max_lifetime'],
    'grade_bands': ['scoring_model', 'grade', 'min_points', 'max_points'],
    'bot_user_agents': ['user_agent_pattern'],
} -%}

-- depends_on: {{ ref('int_scoring_rules_validated') }}
with

{% for seed_name, columns in rule_seeds.items() %}
    {{ seed_name }} as (

        select
            '{{ seed_name }}' as seed_name,
            {%- for column in columns %}
                {%- if column in numeric_columns %}
                    {#- one text form for numbers on every engine #}
                    coalesce(
                        cast(cast({{ column }} as numeric(18, 6)) as {{ dbt.type_string() }}),
                        ''
                    )
                {%- else %}
                    coalesce(cast({{ column }} as {{ dbt.type_string() }}), '')
                {%- endif %}
                {%- if not loop.last %} || '|' ||{% endif %}
            {%- endfor %} as row_text
        from {{ ref(seed_name) }}

    ),

{% endfor %}
settings as (

    select
        'settings' as seed_name,
        '
        {%- for setting in scoring_settings -%}
            {{ setting }}={{ var(setting) | tojson }}{% if not loop.last %}|{% endif %}
        {%- endfor -%}
        ' as row_text

),

rule_rows as (

    select * from settings
    union all
    {% for seed_name in rule_seeds %}
        select * from {{ seed_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        substr(
            {{ dbt.hash(lead_scoring.ordered_listagg(
                "seed_name || ':' || row_text", "';'", ['seed_name', 'row_text'])) }},
            1,
            12
        ) as rules_version,
        count(*) as rule_row_count
    from rule_rows

)

select * from final
