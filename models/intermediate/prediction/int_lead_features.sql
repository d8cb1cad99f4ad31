{#- The predictive model's activity and lead features of every live lead
    as of score_date, long: one row per lead and feature
    (macros/prediction_features.sql); only the features the trained model
    uses, none while there is no model. The activity measures are the
    stored state (int_lead_feature_state) rolled forward to score_date; the
    profile's part of the score, which changes only with the profile, is
    int_lead_predictive_profile. -#}
{{ lead_scoring.prediction_features(
    "sample = 'score'", model_features_only=true, state=ref('int_lead_feature_state'),
    sources=['activity', 'lead']) }}
