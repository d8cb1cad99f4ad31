{#- The raw column of the loader timestamp, or none: var
    landing_loaded_at_column, else LEAD_SCORING_LOADED_AT_COLUMN, which the
    CLI sets for --loaded-at-column (run_setting: switching between landing
    by key and by loader timestamp keeps dbt's parse). -#}
{% macro loaded_at_column() -%}
    {{ return(lead_scoring.run_setting(
        'landing_loaded_at_column', 'LEAD_SCORING_LOADED_AT_COLUMN')) }}
{%- endmacro %}
