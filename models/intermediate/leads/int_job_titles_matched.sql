{#- Each distinct job title of the usable CRM leads (lower case) with its
    seniority: the job_title_seniority pattern (a regular expression) of the
    lowest precedence that matches it. Titles repeat across leads: each is
    matched once. A title no pattern matches is not listed
    (int_leads_enriched calls it unknown). -#}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

seniority_patterns as (

    select * from {{ ref('job_title_seniority') }}

),

job_titles as (

    select distinct lower(job_title) as job_title_key
    from leads
    where job_title is not null

),

seniority_matches as (

    select
        job_titles.job_title_key,
        seniority_patterns.seniority,
        row_number() over (
            partition by job_titles.job_title_key
            order by seniority_patterns.precedence
        ) as match_order
    from job_titles
    inner join seniority_patterns
        on {{ lead_scoring.regex_matches(
            'job_titles.job_title_key', 'seniority_patterns.title_pattern') }}

),

final as (

    select
        job_title_key,
        seniority
    from seniority_matches
    where match_order = 1

)

select * from final
