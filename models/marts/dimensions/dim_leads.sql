{#- The lead dimension BI tools slice scores by: one row per live lead as of
    score_date, with its profile (source, country, industry, company size
    band, seniority, created date, account) and its current stage and grade
    (default scoring model). No PII: no email, name or title. -#}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

scores as (

    select * from {{ ref('lead_scores') }}

),

final as (

    select
        -- ids
        leads.lead_id,
        leads.account_id,

        -- strings
        coalesce(leads.lead_source, 'unknown') as lead_source,
        coalesce(leads.country, 'unknown') as country,
        coalesce(leads.industry, 'unknown') as industry,
        coalesce(leads.company_size_band, 'unknown') as company_size_band,
        coalesce(leads.seniority, 'unknown') as seniority,
        leads.email_domain_type,
        scores.lifecycle_stage,
        scores.grade,

        -- booleans
        scores.is_contactable,

        -- dates
        cast(leads.created_at as date) as created_date,
        scores.score_date

    from leads
    inner join scores
        on leads.lead_id = scores.lead_id

)

select * from final
