"""Deterministic sample-data generator for the raw input contract.

Every lead gets a hidden propensity in [0, 1]. It drives how senior the lead is,
how big its company is, how much it engages (web, email, activities) and whether
it ends up with an opportunity and a won deal, so the scoring rules and the
calibration report have a real signal to find. Everything is vectorised with
numpy so millions of events take seconds, and the same seed gives the same files.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

RAW_TABLES = (
    "crm_accounts",
    "crm_leads",
    "crm_lead_attributes",
    "crm_opportunities",
    "web_events",
    "email_events",
    "activities",
)

DEFAULT_END_DATE = date(2026, 11, 15)

INDUSTRIES = np.array(
    ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail",
     "Education", "Government", "Media", "Logistics", "Telecommunications"]
)
COUNTRIES = np.array(["US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", "BR", "JP"])
COUNTRY_MESSY = {"US": "usa", "GB": "United Kingdom", "DE": "germany"}
WORDS = np.array(
    ["acme", "globex", "initech", "umbrella", "stark", "wayne", "hooli", "vandelay",
     "soylent", "tyrell", "wonka", "cyberdyne", "aperture", "massive", "nakatomi",
     "oscorp", "pied", "piper", "virtu", "zenith", "apex", "blue", "north", "summit"]
)
SUFFIXES = np.array(["labs", "group", "systems", "corp", "io", "health", "bank", "works"])
FREE_MAIL = np.array(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"])
COMPETITORS = np.array(["leadrival.com", "scorecompetitor.io"])
FIRST = np.array(["ana", "ben", "chloe", "david", "emma", "farid", "grace", "hiro",
                  "ines", "jonas", "kim", "liam", "maya", "noah", "olga", "pablo"])
LAST = np.array(["smith", "jones", "garcia", "muller", "rossi", "tanaka", "kowalski",
                 "dubois", "silva", "khan", "nguyen", "larsen", "novak", "okafor"])
# (title, seniority weight bucket): index 0 is the most senior.
TITLES = [
    ["CEO", "Chief Marketing Officer", "CTO", "Founder"],
    ["VP Marketing", "VP of Sales", "Vice President Operations"],
    ["Director of Demand Generation", "IT Director", "Director, Finance"],
    ["Marketing Manager", "Sales Operations Manager", "Head of Growth"],
    ["Marketing Specialist", "Software Engineer", "Analyst", "Coordinator"],
    ["Student", "Intern"],
]
LEAD_SOURCES = np.array(["organic_search", "paid_search", "webinar", "referral",
                         "event", "content_syndication", "list_import"])
PAGES_HIGH = np.array(["/pricing", "/product/demo", "/case-studies/acme", "/product"])
PAGES_LOW = np.array(["/", "/blog/what-is-lead-scoring", "/blog/mql-vs-sql", "/docs/intro",
                      "/about", "/careers", "/blog/scoring-guide", "/customers"])
REFERRERS = np.array(["https://www.google.com/", "", "https://www.linkedin.com/",
                      "https://news.example.org/"])
HUMAN_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130 Safari/537.36"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ACTIVITY_HIGH = np.array(["demo_request", "trial_signup", "meeting", "webinar_attended"])
ACTIVITY_LOW = np.array(["content_download", "webinar_registered", "call"])
OPP_STAGES_OPEN = np.array(["discovery", "proposal", "negotiation"])


# A raw table: one frame, or blocks of it made one at a time.
Table = pd.DataFrame | Iterator[pd.DataFrame]


@dataclass(frozen=True)
class GeneratedSizes:
    """Row counts written per raw table."""

    rows: dict[str, int]
    end_date: date
    seconds: float


def _choice(rng: np.random.Generator, values: np.ndarray, n: int) -> np.ndarray:
    return values[rng.integers(0, len(values), n)]


def _timestamps(start: np.ndarray, end: pd.Timestamp, u: np.ndarray) -> np.ndarray:
    """Timestamps between start (per row) and end, placed by u in [0, 1)."""
    start = np.asarray(start).astype("datetime64[us]")
    span = (pd.Timestamp(end).to_datetime64() - start).astype("timedelta64[s]").astype(np.int64)
    offsets = (np.clip(span, 0, None) * u).astype(np.int64)
    return (start + offsets.astype("timedelta64[s]")).astype("datetime64[us]")


def _accounts(rng: np.random.Generator, n: int, end: pd.Timestamp) -> pd.DataFrame:
    ids = np.arange(1, n + 1)
    names = np.char.add(np.char.add(_choice(rng, WORDS, n), " "), _choice(rng, SUFFIXES, n))
    domains = np.char.add(np.char.add(np.char.replace(names, " ", "-"), ids.astype(str)), ".com")
    employees = np.round(np.exp(rng.normal(5.0, 1.8, n))).astype(np.int64) + 1
    revenue = np.round(employees * rng.lognormal(11.8, 0.5, n), -3)
    created = end - pd.to_timedelta(rng.integers(400, 2000, n), unit="D")
    return pd.DataFrame({
        "account_id": np.char.add("acc_", ids.astype(str)),
        "name": np.char.title(names),
        "domain": domains,
        "industry": _choice(rng, INDUSTRIES, n),
        "employee_count": employees,
        "annual_revenue": revenue,
        "country": _choice(rng, COUNTRIES, n),
        "created_at": created.values.astype("datetime64[us]"),
        "updated_at": (created + pd.to_timedelta(rng.integers(0, 300, n), unit="D"))
        .values.astype("datetime64[us]"),
    })


def _leads(
    rng: np.random.Generator, n: int, accounts: pd.DataFrame, end: pd.Timestamp
) -> tuple[pd.DataFrame, np.ndarray]:
    propensity = rng.beta(1.3, 3.5, n)
    ids = np.char.add("lead_", np.arange(1, n + 1).astype(str))
    account_idx = rng.integers(0, len(accounts), n)
    # Better-fit leads sit at bigger companies: pick the larger of two draws.
    alt_idx = rng.integers(0, len(accounts), n)
    employees = accounts["employee_count"].values
    bigger = employees[alt_idx] > employees[account_idx]
    account_idx = np.where(bigger & (rng.random(n) < propensity), alt_idx, account_idx)
    acc = accounts.iloc[account_idx].reset_index(drop=True)

    # Seniority bucket: high propensity -> more senior.
    level = np.clip(np.round(rng.normal(4.2 - 3.5 * propensity, 1.0)), 0, 5).astype(int)
    titles = np.array([TITLES[lv][rng.integers(0, len(TITLES[lv]))] for lv in level], dtype=object)
    first = _choice(rng, FIRST, n)
    last = _choice(rng, LAST, n)
    # first.last plus a number keeps addresses unique; about 1% of leads are
    # entered twice in the CRM and reuse another lead's address.
    local = np.char.add(np.char.add(np.char.add(first, "."), last),
                        rng.integers(1, 10_000, n).astype(str))
    free_mail = rng.random(n) < (0.35 - 0.3 * propensity)
    competitor = rng.random(n) < 0.01
    domain = np.where(free_mail, _choice(rng, FREE_MAIL, n), acc["domain"].values.astype(str))
    domain = np.where(competitor, _choice(rng, COMPETITORS, n), domain)
    email = np.char.add(np.char.add(local, "@"), domain).astype(object)
    twice = np.flatnonzero(rng.random(n) < 0.01)
    email[twice] = email[rng.integers(0, n, len(twice))]

    # Messy values, as CRM exports have them.
    messy = rng.random(n)
    titles = np.where(messy < 0.03, np.char.upper(titles.astype(str)), titles)
    titles = np.where((messy >= 0.03) & (messy < 0.05),
                      np.char.add("  ", titles.astype(str)), titles).astype(object)
    email[(messy >= 0.05) & (messy < 0.06)] = None
    bad_email = (messy >= 0.06) & (messy < 0.065)
    if bad_email.any():  # numpy's string functions reject empty arrays
        email[bad_email] = np.char.replace(email[bad_email].astype(str), "@", " at ")
    industry = acc["industry"].values.astype(object).copy()
    lowered = (messy >= 0.1) & (messy < 0.13)
    if lowered.any():
        industry[lowered] = np.char.lower(industry[lowered].astype(str))
    industry[(messy >= 0.13) & (messy < 0.15)] = None
    country = acc["country"].map(lambda c: COUNTRY_MESSY.get(c, c) if rng.random() < 0.1 else c)

    created = end - pd.to_timedelta(rng.integers(1, 365, n), unit="D") \
        - pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
    has_account = rng.random(n) > 0.05
    bant = rng.random((n, 4)) < (0.1 + 0.7 * propensity)[:, None]
    leads = pd.DataFrame({
        "lead_id": ids,
        "email": email,
        "first_name": np.char.title(first),
        "last_name": np.char.title(last),
        "job_title": titles,
        "company_name": acc["name"].values,
        "account_id": np.where(has_account, acc["account_id"].values, None),
        "industry": industry,
        "employee_count": np.where(has_account, acc["employee_count"].values, np.nan),
        "annual_revenue": np.where(has_account, acc["annual_revenue"].values, np.nan),
        "country": country.values,
        "lead_source": _choice(rng, LEAD_SOURCES, n),
        "status": np.where(rng.random(n) < 0.9, "Open", "Working"),
        "do_not_contact": rng.random(n) < 0.03,
        "budget_confirmed": bant[:, 0],
        "is_decision_maker": level <= 1,
        "need_identified": bant[:, 2],
        "purchase_timeline": np.where(bant[:, 3], _choice(rng, np.array(
            ["this_quarter", "next_quarter"]), n), _choice(rng, np.array(
                ["next_year", "unknown", None], dtype=object), n)),
        "created_at": created.values.astype("datetime64[us]"),
        "updated_at": np.minimum(
            (created + pd.to_timedelta(rng.integers(0, 30, n), unit="D")).values,
            end.to_datetime64()).astype("datetime64[us]"),
        "is_deleted": rng.random(n) < 0.01,
    })
    leads["employee_count"] = leads["employee_count"].astype("Int64")
    return leads, propensity


def _lead_attributes(rng: np.random.Generator, leads: pd.DataFrame) -> pd.DataFrame:
    pick = rng.random(len(leads)) < 0.3
    ids = leads["lead_id"].values[pick]
    k = len(ids)
    return pd.DataFrame({
        "lead_id": np.concatenate([ids, ids]),
        "attribute": np.repeat(["preferred_language", "newsletter_topic"], k),
        "value": np.concatenate([
            _choice(rng, np.array(["en", "de", "fr", "es"]), k),
            _choice(rng, np.array(["analytics", "automation", "pricing"]), k),
        ]),
    })


def _event_counts(
    rng: np.random.Generator, propensity: np.ndarray, total: int
) -> np.ndarray:
    weight = 0.2 + 3.0 * propensity**1.5
    lam = weight / weight.sum() * total
    return rng.poisson(lam)


def _web_events(rng, leads, propensity, n_events, end, lead_offset=0, id_offset=0
                ) -> pd.DataFrame:
    counts = _event_counts(rng, propensity, int(n_events * 0.9))
    lead_idx = np.repeat(np.arange(len(leads)), counts)
    m = len(lead_idx)
    p = propensity[lead_idx]
    start = leads["created_at"].values[lead_idx] - np.timedelta64(30, "D")
    # Engaged leads are more active recently: skew u toward 1.
    u = rng.random(m) ** (1.0 / (1.0 + 2.0 * p))
    occurred = _timestamps(start, end, u)
    high = rng.random(m) < 0.05 + 0.5 * p
    pages = np.where(high, _choice(rng, PAGES_HIGH, m), _choice(rng, PAGES_LOW, m))
    # Each lead's first visit in time order is anonymous until an identify/form_submit.
    order = np.lexsort((occurred, lead_idx))
    lead_idx, occurred, pages = lead_idx[order], occurred[order], pages[order]
    pos = np.arange(m) - np.repeat(np.cumsum(counts) - counts, counts)
    identify_pos = np.minimum(2, counts - 1)[lead_idx]
    event_type = np.full(m, "page_view", dtype=object)
    event_type[pos == identify_pos] = np.where(rng.random((pos == identify_pos).sum()) < 0.6,
                                               "form_submit", "identify")
    pages = np.where(event_type == "form_submit", "/contact", pages)
    lead_ids = leads["lead_id"].values[lead_idx].astype(object)
    lead_ids[pos < identify_pos] = None
    anonymous_id = np.char.add("anon_", (lead_offset + lead_idx + 1).astype(str)).astype(object)
    frame = pd.DataFrame({
        "anonymous_id": anonymous_id,
        "lead_id": lead_ids,
        "event_type": event_type,
        "page_url": np.char.add("https://www.example-saas.com", pages.astype(str)),
        "referrer": _choice(rng, REFERRERS, m),
        "user_agent": HUMAN_UA,
        "occurred_at": occurred,
    })
    # Visitors who never identify, and a few crawlers hammering the pricing page.
    n_anon = max(1, int(n_events * 0.08))
    anon = pd.DataFrame({
        "anonymous_id": np.char.add("anon_v", rng.integers(0, max(1, n_anon // 5), n_anon)
                                    .astype(str)),
        "lead_id": None,
        "event_type": "page_view",
        "page_url": np.char.add("https://www.example-saas.com", _choice(rng, PAGES_LOW, n_anon)),
        "referrer": _choice(rng, REFERRERS, n_anon),
        "user_agent": HUMAN_UA,
        "occurred_at": _timestamps(np.full(n_anon, (end - pd.Timedelta(days=400)).to_datetime64()),
                                   end, rng.random(n_anon)),
    })
    n_bots = max(1, len(leads) // 200)
    bot_leads = rng.integers(0, len(leads), n_bots)
    burst = 30
    bot_start = _timestamps(leads["created_at"].values[bot_leads], end, rng.random(n_bots))
    bots = pd.DataFrame({
        "anonymous_id": np.repeat(np.char.add(
            "anon_bot", (lead_offset + np.arange(n_bots)).astype(str)), burst),
        "lead_id": np.repeat(leads["lead_id"].values[bot_leads], burst),
        "event_type": "page_view",
        "page_url": "https://www.example-saas.com/pricing",
        "referrer": "",
        # Half the bursts say they are bots; the other half hide behind a browser's.
        "user_agent": np.repeat(np.where(np.arange(n_bots) % 2 == 0, BOT_UA, HUMAN_UA), burst),
        "occurred_at": np.repeat(bot_start, burst) + np.tile(
            np.arange(burst).astype("timedelta64[s]"), n_bots),
    })
    web = pd.concat([frame, anon, bots], ignore_index=True)
    web.insert(0, "event_id", np.char.add(
        "w_", np.arange(id_offset + 1, id_offset + len(web) + 1).astype(str)))
    return web


def _email_events(rng, leads, propensity, n_events, end, id_offset=0) -> pd.DataFrame:
    # A send yields sent + delivered (+ open, click, ...): about 3 rows per send.
    sends = _event_counts(rng, np.full(len(leads), 0.5) + 0.3 * propensity,
                          max(1, int(n_events / 3)))
    lead_idx = np.repeat(np.arange(len(leads)), sends)
    m = len(lead_idx)
    p = propensity[lead_idx]
    campaign = rng.integers(1, 60, m)
    sent_at = _timestamps(leads["created_at"].values[lead_idx], end, rng.random(m))
    email = leads["email"].values[lead_idx]
    invalid = pd.isna(email) | ~pd.Series(email).fillna("").str.contains("@").values
    bounced = invalid | (rng.random(m) < 0.01)
    opened = ~bounced & (rng.random(m) < 0.15 + 0.5 * p)
    clicked = opened & (rng.random(m) < 0.1 + 0.5 * p)
    unsub = opened & (rng.random(m) < 0.04 * (1 - p))
    spam = ~opened & ~bounced & (rng.random(m) < 0.002)
    scanner = ~bounced & (rng.random(m) < 0.02)
    minutes = lambda k: rng.integers(5, 3 * 24 * 60, k).astype("timedelta64[m]")  # noqa: E731
    parts = [
        ("sent", np.ones(m, bool), np.zeros(m, "timedelta64[s]"), None),
        ("delivered", ~bounced, np.full(m, 5, "timedelta64[s]"), None),
        ("bounce", bounced, np.full(m, 30, "timedelta64[s]"), None),
        ("open", opened, minutes(m), None),
        ("click", clicked, minutes(m) + np.timedelta64(2, "m"), "https://www.example-saas.com/pricing"),
        ("unsubscribe", unsub, minutes(m) + np.timedelta64(5, "m"), None),
        ("spam_report", spam, minutes(m), None),
        # A security scanner opening and clicking seconds after delivery.
        ("open", scanner, np.full(m, 7, "timedelta64[s]"), None),
        ("click", scanner, np.full(m, 8, "timedelta64[s]"), "https://www.example-saas.com/blog/x"),
    ]
    frames = []
    for event_type, mask, delay, link in parts:
        k = int(mask.sum())
        frames.append(pd.DataFrame({
            "lead_id": leads["lead_id"].values[lead_idx[mask]],
            "campaign_id": np.char.add("cmp_", campaign[mask].astype(str)),
            "event_type": event_type,
            "link_url": link if link is None else np.full(k, link),
            "occurred_at": (sent_at[mask] + delay[mask]).astype("datetime64[us]"),
        }))
    out = pd.concat(frames, ignore_index=True)
    out = out[out["occurred_at"].values <= end.to_datetime64()].reset_index(drop=True)
    out.insert(0, "event_id", np.char.add(
        "e_", np.arange(id_offset + 1, id_offset + len(out) + 1).astype(str)))
    return out


def _activities(rng, leads, propensity, n_events, end, id_offset=0) -> pd.DataFrame:
    counts = _event_counts(rng, propensity**2 + 0.02, max(1, int(n_events * 0.04)))
    lead_idx = np.repeat(np.arange(len(leads)), counts)
    m = len(lead_idx)
    p = propensity[lead_idx]
    high = rng.random(m) < 0.1 + 0.6 * p
    kinds = np.where(high, _choice(rng, ACTIVITY_HIGH, m), _choice(rng, ACTIVITY_LOW, m))
    u = rng.random(m) ** (1.0 / (1.0 + 2.0 * p))
    return pd.DataFrame({
        "activity_id": np.char.add("a_", np.arange(id_offset + 1, id_offset + m + 1).astype(str)),
        "lead_id": leads["lead_id"].values[lead_idx],
        "activity_type": kinds,
        "occurred_at": _timestamps(leads["created_at"].values[lead_idx], end, u),
        "detail": np.where(kinds == "meeting", "intro call with AE", None),
    })


def _opportunities(rng, leads, propensity, end) -> pd.DataFrame:
    n = len(leads)
    has_opp = rng.random(n) < 0.02 + 0.45 * propensity**2
    idx = np.flatnonzero(has_opp & leads["account_id"].notna().values)
    k = len(idx)
    created = _timestamps(leads["created_at"].values[idx], end, rng.random(k) ** 0.5)
    closed_at = created + rng.integers(7, 120, k).astype("timedelta64[D]")
    # Deals whose close would fall after the export are still open.
    closed = (rng.random(k) < 0.8) & (closed_at <= end.to_datetime64())
    won = closed & (rng.random(k) < 0.2 + 0.6 * propensity[idx])
    stage = np.where(won, "closed_won", np.where(closed, "closed_lost",
                                                  _choice(rng, OPP_STAGES_OPEN, k)))
    return pd.DataFrame({
        "opportunity_id": np.char.add("opp_", np.arange(1, k + 1).astype(str)),
        "lead_id": leads["lead_id"].values[idx],
        "account_id": leads["account_id"].values[idx],
        "created_at": created,
        "stage": stage,
        "amount": np.round(rng.lognormal(10, 0.8, k), 2),
        "is_closed": closed,
        "is_won": won,
        "closed_at": np.where(closed, closed_at, np.datetime64("NaT")).astype("datetime64[us]"),
    })


def _duplicates(rng: np.random.Generator, frame: pd.DataFrame, share: float) -> pd.DataFrame:
    """The same event delivered twice, as webhooks and exports do."""
    pick = rng.random(len(frame)) < share
    return pd.concat([frame, frame[pick]], ignore_index=True)


def generate(
    out_dir: Path,
    leads: int = 2_000,
    events: int = 100_000,
    seed: int = 42,
    end_date: date = DEFAULT_END_DATE,
    file_format: str = "parquet",
    progress: Callable[[str], None] | None = None,
    world: str = "b2b",
) -> GeneratedSizes:
    """Write one file per raw table into out_dir and return the row counts.

    world: b2b (the sample) or one of lead_scoring.worlds.WORLDS. Each lead's hidden
    propensity is written to _truth.parquet (the ceiling for predictive scoring)."""
    from lead_scoring.worlds import WORLDS, generate_world

    if leads < 1 or events < 0:
        raise ValueError("leads must be >= 1 and events >= 0")
    if file_format not in ("parquet", "csv"):
        raise ValueError(f"file_format must be parquet or csv, not {file_format!r}")
    if world not in WORLDS:
        raise ValueError(f"world must be one of {', '.join(WORLDS)}, not {world!r}")
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(datetime.combine(end_date, datetime.min.time())) + pd.Timedelta(hours=23)
    out_dir.mkdir(parents=True, exist_ok=True)

    if world == "b2b":
        tables, truth, drivers = _b2b_world(rng, leads, events, end, say)
    else:
        say(f"world {world} ({leads:,} leads)")
        tables, truth, drivers = generate_world(rng, world, leads, end)
    return _write(out_dir, tables, truth, file_format, say, started, {
        "seed": seed, "leads": leads, "events": events, "end_date": end_date.isoformat(),
        "format": file_format, "world": world, "drivers": drivers}, end_date)


# The generator's drivers of conversion in the b2b world (the tests' true features).
B2B_DRIVERS = {
    "attributes": [],
    "crm_columns": ["job_title", "budget_confirmed", "need_identified", "purchase_timeline"],
    "activities": ["web:page_view", "web:page_view:/pricing", "email:open", "email:click",
                   "crm:demo_request", "crm:trial_signup", "crm:meeting",
                   "crm:webinar_attended"],
}


# Above this many leads the event tables are generated and written a block of
# leads at a time, so memory stays bounded (about 2 GB per block); at or below
# it the files are the same as generating everything at once.
LEADS_PER_BLOCK = 100_000


def _b2b_world(rng: np.random.Generator, leads: int, events: int, end: pd.Timestamp,
               say: Callable[[str], None]) -> tuple[dict[str, Table], pd.DataFrame, dict]:
    """The sample's world: the raw tables, each lead's propensity and the drivers.

    The event tables are generators of frames, one per block of leads, made
    when written (in RAW_TABLES order, which is the order they draw from rng)."""
    say(f"accounts and leads ({leads:,})")
    accounts = _accounts(rng, max(1, leads // 4), end)
    lead_frame, propensity = _leads(rng, leads, accounts, end)
    tables: dict[str, Table] = {
        "crm_accounts": accounts,
        "crm_leads": lead_frame,
        "crm_lead_attributes": _lead_attributes(rng, lead_frame),
        "crm_opportunities": _opportunities(rng, lead_frame, propensity, end),
    }

    def blocks(make: Callable[..., pd.DataFrame], share: float, duplicates: float,
               **options) -> Iterator[pd.DataFrame]:
        written = 0
        for start in range(0, leads, LEADS_PER_BLOCK):
            stop = min(leads, start + LEADS_PER_BLOCK)
            block_events = int(events * share) if stop - start == leads \
                else int(events * share * (stop - start) / leads)
            frame = make(rng, lead_frame.iloc[start:stop].reset_index(drop=True),
                         propensity[start:stop], block_events, end, id_offset=written,
                         **({"lead_offset": start} if make is _web_events else {}), **options)
            if duplicates:
                frame = _duplicates(rng, frame, duplicates)
            written += len(frame)
            yield frame

    tables["web_events"] = blocks(_web_events, 0.55, 0.002)
    tables["email_events"] = blocks(_email_events, 0.4, 0.002)
    tables["activities"] = blocks(_activities, 1.0, 0.0)
    truth = pd.DataFrame({"lead_id": lead_frame["lead_id"], "propensity": propensity})
    return tables, truth, B2B_DRIVERS


def _copy(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, target: Path,
          options: str = "format parquet") -> None:
    """Write a pandas frame to a file through DuckDB."""
    con.register("frame", frame)
    con.execute(f"copy (select * from frame) to '{target.as_posix()}' ({options})")
    con.unregister("frame")


def _write(out_dir: Path, tables: dict[str, Table], truth: pd.DataFrame,
           file_format: str, say: Callable[[str], None], started: float, manifest: dict,
           end_date: date) -> GeneratedSizes:
    """One file per table; a table given as blocks is written block by block
    (each freed once written) and the blocks joined by DuckDB."""
    rows: dict[str, int] = {}
    options = "format parquet" if file_format == "parquet" else "format csv, header true"
    con = duckdb.connect()
    for name in RAW_TABLES:
        target = out_dir / f"{name}.{file_format}"
        blocks = [tables[name]] if isinstance(tables[name], pd.DataFrame) else tables[name]
        parts = out_dir / f".{name}.blocks"
        rows[name] = 0
        # A block is written once the next one is made: a table of one block goes
        # straight to its file, the blocks of a larger one to numbered parts.
        previous = None
        for number, frame in enumerate(blocks):
            rows[name] += len(frame)
            say(f"making {name} ({rows[name]:,} rows)")
            if previous is not None:
                parts.mkdir(exist_ok=True)
                _copy(con, previous, parts / f"{number - 1:06d}.parquet")
            previous = frame
        say(f"writing {name} ({rows[name]:,} rows)")
        if parts.exists():  # the last block, then all in order (names sort as numbers)
            _copy(con, previous, parts / f"{number:06d}.parquet")
            con.execute(f"copy (select * from read_parquet('{parts.as_posix()}/*.parquet')) "
                        f"to '{target.as_posix()}' ({options})")
            shutil.rmtree(parts)
        else:
            _copy(con, previous, target, options)
        previous = frame = None
    _copy(con, truth, out_dir / "_truth.parquet")
    con.close()
    seconds = time.perf_counter() - started
    manifest["rows"] = rows
    (out_dir / "_generated.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return GeneratedSizes(rows=rows, end_date=end_date, seconds=seconds)


def parse_date(text: str) -> date:
    return datetime.strptime(text, "%Y-%m-%d").date()


def manifest_end_date(out_dir: Path) -> date | None:
    """The end date the generator used for out_dir, if it wrote there."""
    path = out_dir / "_generated.json"
    if not path.exists():
        return None
    return parse_date(json.loads(path.read_text())["end_date"])


__all__ = ["RAW_TABLES", "GeneratedSizes", "generate", "manifest_end_date", "parse_date"]
