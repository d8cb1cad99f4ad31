"""Generated worlds unlike the sample's B2B one, to prove predictive scoring on data
the rules were not written for (`lead-scoring generate --world NAME`).

Every lead has a hidden propensity p = sigmoid(intercept + the effects of its
driver attributes + engagement * latent), where latent ~ N(0, 1) also sets how
often it does the driver activities. A lead converts (an opportunity is created)
after an exponential time with daily hazard p * hazard, so whether it converts
in a window after any snapshot depends on p only. The drivers and each lead's p
are written to `_truth.parquet` and `_generated.json`: the tests fit a logistic
regression on the true features and use p as the ceiling.

- b2c: no company data; what predicts is in crm_lead_attributes (lead origin,
  occupation, specialisation; city is noise) and in how often the lead visits
  the site and watches videos (an activity type no rule knows); ~38 % convert.
- low_base_rate: the b2c world where ~2 % convert in the window.
- few_conversions: the b2c world with few leads and conversions (at most ~60
  in training).
- anti_rules: B2B-shaped leads where shipped rules point the wrong way:
  students and free-mail addresses convert more, careers-page visitors more,
  pricing-page visits mean nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

WORLDS = ("b2b", "b2c", "low_base_rate", "few_conversions", "anti_rules")
HUMAN_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


@dataclass(frozen=True)
class WorldSpec:
    intercept: float
    hazard: float  # daily conversion hazard of a lead with p = 1
    engagement: float  # effect of the latent engagement on the logit
    attributes: dict[str, dict[str, float]]  # extra attribute -> value -> logit effect
    crm: dict[str, dict[str, float]] = field(default_factory=dict)  # crm_leads column effects
    # activity key (source:type[:page]) -> (events per day at latent 0, effect of latent)
    activities: dict[str, tuple[float, float]] = field(default_factory=dict)


B2C_ATTRIBUTES = {
    "lead_origin": {"api": 0.0, "landing_page": 0.4, "lead_add_form": 1.8, "import": -1.2},
    "occupation": {"student": -0.9, "unemployed": -0.3, "working_professional": 1.6,
                   "businessman": 0.6},
    "specialization": {"finance": 0.3, "hr": 0.0, "marketing": 0.5, "it": 0.2,
                       "not_provided": -0.8},
    "city": {"north": 0.0, "south": 0.0, "east": 0.0, "west": 0.0},
}
B2C_ACTIVITIES = {
    "web:page_view": (0.06, 0.9),
    "crm:video_watched": (0.015, 0.8),
    "email:open": (0.04, 0.0),
}

SPECS = {
    "b2c": WorldSpec(intercept=-1.2, hazard=0.012, engagement=1.1,
                     attributes=B2C_ATTRIBUTES, activities=B2C_ACTIVITIES),
    "low_base_rate": WorldSpec(intercept=-5.3, hazard=0.01, engagement=1.1,
                               attributes=B2C_ATTRIBUTES, activities=B2C_ACTIVITIES),
    "few_conversions": WorldSpec(intercept=-5.8, hazard=0.01, engagement=1.1,
                                 attributes=B2C_ATTRIBUTES, activities=B2C_ACTIVITIES),
    "anti_rules": WorldSpec(
        intercept=-2.2, hazard=0.01, engagement=0.9,
        attributes={"newsletter_topic": {"analytics": 0.0, "automation": 0.0}},
        crm={"job_title": {"Student": 1.2, "Marketing Manager": 0.0, "CEO": -0.6,
                           "Software Engineer": 0.3},
             "email_domain": {"gmail.com": 0.9, "business": 0.0}},
        activities={"web:page_view:/careers": (0.03, 0.9),
                    "web:page_view:/pricing": (0.05, 0.0),
                    "email:open": (0.04, 0.0),
                    "email:spam_report": (0.0004, 0.0)},
    ),
}


def generate_world(rng: np.random.Generator, world: str, n: int, end: pd.Timestamp
                   ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict]:
    """The raw tables of a world, the truth per lead and the drivers (for the manifest)."""
    spec = SPECS[world]
    ids = np.char.add("lead_", np.arange(1, n + 1).astype(str)).astype(object)
    created = (end - pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")).values
    latent = rng.normal(0, 1, n)
    logit = np.full(n, spec.intercept) + spec.engagement * latent
    values: dict[str, np.ndarray] = {}
    for name, effects in {**spec.attributes, **spec.crm}.items():
        options = np.array(list(effects), dtype=object)
        chosen = options[rng.integers(0, len(options), n)]
        values[name] = chosen
        logit += np.array([effects[v] for v in chosen])
    propensity = 1 / (1 + np.exp(-logit))

    domain = values.get("email_domain", np.full(n, "business", dtype=object))
    email_domain = np.where(domain == "business",
                            np.char.add("company", (np.arange(n) % 97).astype(str)) + ".com",
                            domain)
    leads = pd.DataFrame({
        "lead_id": ids,
        "email": np.char.add(np.char.add("person", np.arange(1, n + 1).astype(str)), "@")
        .astype(object) + email_domain.astype(str),
        "first_name": "Alex", "last_name": "Doe",
        "job_title": values.get("job_title", np.full(n, None, dtype=object)),
        "company_name": None, "account_id": None, "industry": None,
        "employee_count": pd.array([pd.NA] * n, dtype="Int64"),
        "annual_revenue": np.full(n, np.nan), "country": None,
        "lead_source": np.array(["web", "partner"], dtype=object)[rng.integers(0, 2, n)],
        "status": "Open", "do_not_contact": False, "budget_confirmed": False,
        "is_decision_maker": False, "need_identified": False, "purchase_timeline": None,
        "created_at": created.astype("datetime64[us]"),
        "updated_at": created.astype("datetime64[us]"), "is_deleted": False,
    })
    attributes = pd.concat([pd.DataFrame({"lead_id": ids, "attribute": name, "value": values[name]})
                            for name in spec.attributes], ignore_index=True)

    # Conversion: an exponential wait with daily hazard p * hazard after creation.
    wait_days = rng.exponential(1 / (propensity * spec.hazard))
    converted_at = created + (wait_days * 86400).astype("timedelta64[s]")
    converts = converted_at <= end.to_datetime64()
    k = int(converts.sum())
    opportunities = pd.DataFrame({
        "opportunity_id": np.char.add("opp_", np.arange(1, k + 1).astype(str)),
        "lead_id": ids[converts], "account_id": None,
        "created_at": converted_at[converts].astype("datetime64[us]"),
        "stage": "discovery", "amount": 1000.0, "is_closed": False, "is_won": False,
        "closed_at": np.full(k, np.datetime64("NaT"), "datetime64[us]"),
    })

    events: dict[str, list[pd.DataFrame]] = {"web": [], "email": [], "crm": []}
    for key, (rate, effect) in spec.activities.items():
        source, kind, *page = key.split(":")
        lifetime = (end.to_datetime64() - created).astype("timedelta64[s]").astype(np.int64)
        counts = rng.poisson(rate * np.exp(effect * latent - effect**2 / 2) * lifetime / 86400)
        lead_idx = np.repeat(np.arange(n), counts)
        occurred = created[lead_idx] + (rng.random(len(lead_idx)) * lifetime[lead_idx]
                                        ).astype("timedelta64[s]")
        frame = pd.DataFrame({"lead_id": ids[lead_idx], "kind": kind,
                              "page": page[0] if page else "/",
                              "occurred_at": occurred.astype("datetime64[us]")})
        events[source].append(frame)
    web = pd.concat(events["web"] or [pd.DataFrame(columns=["lead_id", "page", "occurred_at"])],
                    ignore_index=True)
    web = pd.DataFrame({
        "event_id": np.char.add("w_", np.arange(1, len(web) + 1).astype(str)),
        "anonymous_id": "anon_" + web["lead_id"].astype(str), "lead_id": web["lead_id"],
        "event_type": "page_view", "page_url": "https://www.example-shop.com" + web["page"],
        "referrer": "", "user_agent": HUMAN_UA, "occurred_at": web["occurred_at"],
    })
    email = pd.concat(events["email"], ignore_index=True)
    email = pd.DataFrame({
        "event_id": np.char.add("e_", np.arange(1, len(email) + 1).astype(str)),
        "lead_id": email["lead_id"], "campaign_id": "cmp_1", "event_type": email["kind"],
        "link_url": None, "occurred_at": email["occurred_at"],
    })
    crm = pd.concat(events["crm"] or [pd.DataFrame(columns=["lead_id", "kind", "occurred_at"])],
                    ignore_index=True)
    activities = pd.DataFrame({
        "activity_id": np.char.add("a_", np.arange(1, len(crm) + 1).astype(str)),
        "lead_id": crm["lead_id"], "activity_type": crm["kind"],
        "occurred_at": pd.to_datetime(crm["occurred_at"]).astype("datetime64[us]"),
        "detail": None,
    })
    accounts = pd.DataFrame({
        "account_id": ["acc_1"], "name": ["Unused"], "domain": ["unused.example"],
        "industry": [None], "employee_count": [1], "annual_revenue": [0.0], "country": [None],
        "created_at": [end.to_datetime64()], "updated_at": [end.to_datetime64()],
    })
    tables = {
        "crm_accounts": accounts, "crm_leads": leads, "crm_lead_attributes": attributes,
        "crm_opportunities": opportunities, "web_events": web, "email_events": email,
        "activities": activities,
    }
    truth = pd.DataFrame({"lead_id": ids, "propensity": propensity})
    drivers = {"attributes": sorted(spec.attributes), "crm_columns": sorted(spec.crm),
               "activities": sorted(k for k, (_, e) in spec.activities.items() if e)}
    return tables, truth, drivers
