-- How good are the leads each channel brings? Per lead source: leads, share
-- per grade, mean behaviour score, MQL/SQL/opportunity/customer counts.
with

lead_scores as (

    select * from {{ lead_scoring.mart('lead_scores') }}

),

leads as (

    select * from {{ lead_scoring.mart('dim_leads') }}

)

select
    leads.lead_source,
    count(*) as lead_count,
    avg(case when lead_scores.grade = 'A' then 1.0 else 0.0 end) as share_grade_a,
    avg(case when lead_scores.grade = 'B' then 1.0 else 0.0 end) as share_grade_b,
    avg(case when lead_scores.grade = 'C' then 1.0 else 0.0 end) as share_grade_c,
    avg(case when lead_scores.grade = 'D' then 1.0 else 0.0 end) as share_grade_d,
    avg(lead_scores.behaviour_score) as mean_behaviour_score,
    sum(case when lead_scores.lifecycle_stage = 'mql' then 1 else 0 end) as mql_count,
    sum(case when lead_scores.lifecycle_stage = 'sql' then 1 else 0 end) as sql_count,
    sum(case
        when lead_scores.lifecycle_stage in ('opportunity', 'customer') then 1 else 0
    end) as converted_count
from lead_scores
inner join leads
    on lead_scores.lead_id = leads.lead_id
group by leads.lead_source
order by lead_count desc, leads.lead_source asc
