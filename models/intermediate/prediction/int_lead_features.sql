{#- The predictive model's activity and lead features of every live lead
    as of score_date, long: one row per lead and feature
    (macros/prediction_features.sql); only the features the trained model
    uses, none while there is no model. The profile's part of the score,
    which changes only with the profile, is int_lead_predictive_profile. -#}
{{ lead_scoring.prediction_features(
    "sample = 'score'", model_features_only=true, single_snapshot_date=score_date(),
    sources=['activity', 'lead']) }}
