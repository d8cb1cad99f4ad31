{#- SELECT of the distinct user agents of the web rows of relation (a CTE or
    table with activity_source and user_agent) that match a pattern of the
    bot_user_agents seed, each distinct user agent matched once. -#}
{% macro bot_user_agents_in(relation) -%}
    select web_user_agents.user_agent
    from (
        select distinct user_agent
        from {{ relation }}
        where activity_source = 'web'
    ) as web_user_agents
    cross join (
        select
            {{ dbt.listagg('lower(user_agent_pattern)', "'|'") }}
                as user_agent_regex
        from {{ ref('bot_user_agents') }}
    ) as bot_pattern
    where {{ lead_scoring.regex_matches(
        'lower(web_user_agents.user_agent)', 'bot_pattern.user_agent_regex') }}
{%- endmacro %}
