{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=["{{ lead_scoring.delete_leads_not_kept(ref('int_leads_enriched')) }}"],
    )
}}
{#- One row per live lead: a fingerprint of everything its profile rules
    read (its int_leads_enriched row and its extra attributes), and the run
    that last saw it change (loaded_run). An incremental run writes only the
    leads whose fingerprint changed, new leads included; its pre-hook deletes
    the leads that are no longer live. int_profile_rules_matched matches
    the profile rules again for the leads this run wrote. -#}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

extra_attributes as (

    select * from {{ ref('stg_crm__lead_attributes') }}
    where quarantine_reason is null

),

extra_attributes_per_lead as (

    -- A sum of hashes: the same whatever order the rows come in.
    select
        lead_id,
        sum({{ lead_scoring.key_hash(
            "attribute || '=' || coalesce(attribute_value, '')") }}) as fingerprint
    from extra_attributes
    group by lead_id

),

fingerprinted as (

    select
        leads.lead_id,
        {{ lead_scoring.row_fingerprint('leads', 'extra_attributes_per_lead.fingerprint') }}
            as profile_fingerprint,
        '{{ invocation_id }}' as loaded_run
    from leads
    left join extra_attributes_per_lead
        on leads.lead_id = extra_attributes_per_lead.lead_id

),

final as (

    select fingerprinted.*
    from fingerprinted
    {% if is_incremental() %}
        left join {{ this }} as stored
            on fingerprinted.lead_id = stored.lead_id
        where stored.profile_fingerprint is distinct from fingerprinted.profile_fingerprint
    {% endif %}

)

select * from final
