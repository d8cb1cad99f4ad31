{#- One row per live lead (not deleted, created on or before score_date), with
    the normalised profile attributes that profile rules score: firmographics
    (the account fills what the lead leaves empty), seniority
    (int_job_titles_matched), country code, company size band, email domain
    type. -#}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}
    where quarantine_reason is null

),

job_titles as (

    select * from {{ ref('int_job_titles_matched') }}

),

free_email_domains as (

    select * from {{ ref('free_email_domains') }}

),

competitor_domains as (

    select * from {{ ref('competitor_domains') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

company_size_bands as (

    select * from {{ ref('company_size_bands') }}

),

live_leads as (

    select * from leads
    where
        not is_deleted
        and (created_at is null or cast(created_at as date) <= {{ score_date() }})

),

firmographics as (

    -- Lead fields win; the account fills what the lead leaves empty.
    select
        live_leads.*,
        coalesce(live_leads.industry, accounts.industry) as resolved_industry,
        coalesce(live_leads.country, accounts.country) as resolved_country,
        coalesce(live_leads.employee_count, accounts.employee_count)
            as resolved_employee_count,
        coalesce(live_leads.annual_revenue, accounts.annual_revenue)
            as resolved_annual_revenue,
        {{ lead_scoring.regex_matches(
            'live_leads.email', "'^[^@ ]+@[^@ ]+[.][^@ ]+$'") }} as is_email_valid,
        {{ dbt.split_part('live_leads.email', "'@'", 2) }} as email_domain
    from live_leads
    left join accounts
        on live_leads.account_id = accounts.account_id

),

final as (

    select
        -- ids
        firmographics.lead_id,
        firmographics.account_id,

        -- strings
        firmographics.email,
        firmographics.job_title,
        firmographics.lead_source,
        firmographics.status,
        firmographics.purchase_timeline,
        firmographics.resolved_industry as industry,
        coalesce(country_aliases.country_code, firmographics.resolved_country)
            as country,
        coalesce(job_titles.seniority, 'unknown') as seniority,
        company_size_bands.company_size_band,
        case
            when firmographics.email is null then 'missing'
            when not firmographics.is_email_valid then 'invalid'
            when competitor_domains.domain is not null then 'competitor'
            when free_email_domains.domain is not null then 'free_mail'
            else 'business'
        end as email_domain_type,

        -- numerics
        firmographics.resolved_employee_count as employee_count,
        firmographics.resolved_annual_revenue as annual_revenue,

        -- booleans
        firmographics.is_decision_maker,
        firmographics.has_budget_confirmed,
        firmographics.has_need_identified,
        firmographics.is_do_not_contact,
        firmographics.is_email_valid,

        -- timestamps
        firmographics.created_at,
        firmographics.updated_at

    from firmographics
    left join job_titles
        on lower(firmographics.job_title) = job_titles.job_title_key
    left join country_aliases
        on firmographics.resolved_country = country_aliases.alias
    left join company_size_bands
        on
            firmographics.resolved_employee_count
            between company_size_bands.min_employees
            and company_size_bands.max_employees
    left join free_email_domains
        on firmographics.email_domain = free_email_domains.domain
    left join competitor_domains
        on firmographics.email_domain = competitor_domains.domain

)

select * from final
