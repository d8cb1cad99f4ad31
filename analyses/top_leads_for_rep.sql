-- A sales rep's call list: contactable leads in the rep's territory, best
-- first. The territory is a list of countries (var rep_countries, ISO codes)
-- and/or accounts (var rep_account_ids); with neither, every lead qualifies.
--   dbt compile --profiles-dir . --select top_leads_for_rep \
--     --vars '{rep_countries: [us, ca], rep_account_ids: [acc_12]}'
{% set countries = var('rep_countries', []) %}
{% set accounts = var('rep_account_ids', []) %}

with

lead_scores as (

    select * from {{ lead_scoring.mart('lead_scores') }}

),

leads as (

    select * from {{ lead_scoring.mart('dim_leads') }}

),

territory as (

    select leads.lead_id
    from leads
    {% if countries or accounts %}
        where
            1 = 0
            {% if countries %}
                or leads.country in (
                    {%- for country in countries -%}
                        '{{ country | lower }}'{% if not loop.last %}, {% endif %}
                    {%- endfor -%}
                )
            {% endif %}
            {% if accounts %}
                or leads.account_id in (
                    {%- for account in accounts -%}
                        '{{ account }}'{% if not loop.last %}, {% endif %}
                    {%- endfor -%}
                )
            {% endif %}
    {% endif %}

)

select
    lead_scores.priority_rank,
    lead_scores.lead_id,
    lead_scores.account_id,
    lead_scores.rating,
    lead_scores.lifecycle_stage,
    lead_scores.recommended_action,
    lead_scores.top_reasons,
    lead_scores.last_activity_at
from lead_scores
inner join territory
    on lead_scores.lead_id = territory.lead_id
where lead_scores.priority_rank is not null
order by lead_scores.priority_rank asc, lead_scores.lead_id asc
limit 50
