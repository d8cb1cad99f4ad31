{#- One row per lead, segment and score_date (the default scoring model's
    grade, engagement and stage). A lead is in a segment when it
    satisfies every condition row of the segment in the segments seed
    (attribute, operator, value as for profile rules; the lead's attributes:
    int_lead_segment_attributes). Marketing (nurture) segments never hold
    leads that must not be contacted. -#}
with

attributes as (

    select * from {{ ref('int_lead_segment_attributes') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

segments as (

    select * from {{ ref('segments') }}

),

conditions as (

    select
        segment_id,
        lower(trim(segment_group)) as segment_group,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        lower(trim(rule_value)) as rule_value,
        description
    from segments

),

evaluated as (

    select
        attributes.lead_id,
        conditions.segment_id,
        {{ lead_scoring.rule_matches(
            'conditions.operator', 'conditions.rule_value',
            'attributes.attribute_value', 'attributes.attribute_number') }} as is_match
    from conditions
    inner join attributes
        on conditions.attribute = attributes.attribute

),

condition_counts as (

    -- A member holds every condition, so the segment's group and reason are
    -- taken here, once per segment, not carried through the lead grouping.
    select
        segment_id,
        count(*) as condition_count,
        max(segment_group) as segment_group,
        max(description) as reason
    from conditions
    group by segment_id

),

matches as (

    -- Conditions that hold, counted per lead and segment (most do not hold:
    -- counting only those keeps the grouping small).
    select
        lead_id,
        segment_id,
        count(*) as matched_count
    from evaluated
    where is_match
    group by lead_id, segment_id

),

members as (

    -- Every condition of the segment holds.
    select
        matches.lead_id,
        matches.segment_id,
        condition_counts.segment_group,
        condition_counts.reason
    from matches
    inner join condition_counts
        on
            matches.segment_id = condition_counts.segment_id
            and matches.matched_count = condition_counts.condition_count

),

final as (

    select
        -- ids
        members.lead_id,
        members.segment_id,

        -- strings
        members.segment_group,
        members.reason,

        -- dates
        {{ score_date() }} as score_date,

        -- lineage: the run that wrote the row (a publish copies what changed)
        '{{ invocation_id }}' as loaded_run

    from members
    inner join leads
        on members.lead_id = leads.lead_id
    where members.segment_group <> 'nurture' or not leads.is_do_not_contact

)

select * from final
