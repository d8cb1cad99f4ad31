{#- A setting that may change from run to run, or none: the var var_name,
    else (only while executing, never while dbt parses) the environment
    variable environment_name. The CLI passes such settings (score date,
    raw folder, loader-timestamp column) in the environment: a changed var
    makes dbt parse the whole project again, an environment variable read
    only at execution keeps the saved parse. -#}
{% macro run_setting(var_name, environment_name) -%}
    {%- set value = var(var_name, none) -%}
    {%- if (value is none or value == '') and execute -%}
        {%- set value = env_var(environment_name, '') -%}
    {%- endif -%}
    {{ return(value if value else none) }}
{%- endmacro %}
