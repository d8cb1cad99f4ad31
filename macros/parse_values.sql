{#- Typing raw text, the same way for every staging model (documented in the
    README's raw input contract). Each returns null for a value it cannot
    read; staging quarantines such a row with a reason (is_unreadable). -#}

{#- A timestamp in UTC: text with an offset (2026-11-15T23:30:00-05:00) is
    converted to UTC (2026-11-16 04:30); text without one is taken as UTC
    (the profile sets the session time zone to UTC). -#}
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'lead_scoring')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    {{ dbt.safe_cast(column, 'timestamp') }}
{%- endmacro %}

{#- A raw column typed already as a timestamp without zone (or a date: its
    midnight) is one, in UTC: only text and timestamps with a zone go through
    timestamptz. DuckDB folds typeof to a constant, so the branch not taken
    costs nothing (parsing a typed 16M-row column took 2.3 s, casting it 0.2 s). -#}
{% macro duckdb__parse_timestamp(column) -%}
    case
        when typeof({{ column }}) in (
            'TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'DATE'
        ) then try_cast({{ column }} as timestamp)
        else cast(timezone('UTC', try_cast({{ column }} as timestamptz)) as timestamp)
    end
{%- endmacro %}

{% macro postgres__parse_timestamp(column) -%}
    ({{ dbt.safe_cast(column, 'timestamptz') }} at time zone 'UTC')
{%- endmacro %}

{#- A boolean: true/t/yes/y/1 or false/f/no/n/0, any case, surrounding spaces
    ignored; anything else (X, on, maybe) is null. -#}
{% macro parse_boolean(column) -%}
    case lower(trim(cast({{ column }} as {{ dbt.type_string() }})))
        when 'true' then true when 't' then true when 'yes' then true
        when 'y' then true when '1' then true
        when 'false' then false when 'f' then false when 'no' then false
        when 'n' then false when '0' then false
    end
{%- endmacro %}

{#- A number: plain (1000.5, -3, 1e6) or with comma thousands separators in
    groups of three (1,000.50 or 12,500); anything else (about 500, 1.000,50)
    is null. -#}
{% macro parse_number(column, type) -%}
    {%- set text = 'trim(cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when {{ lead_scoring.regex_matches(text, "'^-?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?$'") }}
            then {{ dbt.safe_cast("replace(" ~ text ~ ", ',', '')", type) }}
        else {{ dbt.safe_cast(text, type) }}
    end
{%- endmacro %}

{#- True when the raw value is there (not null, not blank) but its parsed
    form is null: the row is quarantined instead of read as missing. -#}
{% macro is_unreadable(column, parsed) -%}
    (
        nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '') is not null
        and ({{ parsed }}) is null
    )
{%- endmacro %}
