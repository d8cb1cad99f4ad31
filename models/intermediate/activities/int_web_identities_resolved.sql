{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='anonymous_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- One row per anonymous visitor that an identify or form submit linked to a
    lead. If one browser identified as several leads, the first
    identification wins. Incremental by visitor: a run recomputes the
    visitors with an event of a lead landed in this run (when there is none:
    `false`, no scan). -#}
{%- set web_events = ref('stg_web__events') -%}
{#- a landed row that can change a visitor's identification -#}
{%- set of_a_lead = 'lead_id is not null' -%}
{%- set visitors_in_batch -%}
    {%- if lead_scoring.nothing_loaded_this_run(web_events, of_a_lead) -%}
        false
    {%- elif is_incremental() -%}
        anonymous_id in (
            select landed.anonymous_id
            from {{ web_events }} as landed
            where
                {{ lead_scoring.loaded_this_run('landed') }}
                and {{ of_a_lead }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endset -%}
with

identifications as (

    select
        anonymous_id,
        lead_id,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, event_id
        ) as identification_order
    from {{ web_events }}
    where
        quarantine_reason is null
        and lead_id is not null
        and anonymous_id is not null
        and {{ visitors_in_batch }}

),

final as (

    select
        -- ids
        anonymous_id,
        lead_id,

        -- timestamps
        occurred_at as identified_at,

        -- lineage: the run that (re)computed the row
        '{{ invocation_id }}' as loaded_run

    from identifications
    where identification_order = 1

)

select * from final
