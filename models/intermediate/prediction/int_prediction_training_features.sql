{{ config(materialized='view') }}
{#- The candidate features of the training observations (open leads on the
    training snapshots), long, computed only from data dated on or before
    each snapshot (macros/prediction_features.sql). A view: only `lead-scoring
    calibrate` and the holdout evaluation read it, so a daily build pays
    nothing for it. -#}
{{ lead_scoring.prediction_features("sample in ('train', 'holdout')") }}
