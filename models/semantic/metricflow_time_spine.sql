{#- One row per day: the time spine MetricFlow joins time-based metrics to. -#}
{{ config(materialized='table') }}

with

days as (

    {{ lead_scoring.day_spine("cast('2020-01-01' as date)", "cast('2031-01-01' as date)") }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
