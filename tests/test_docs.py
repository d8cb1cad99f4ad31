"""Docs, exposures, semantic layer and analyses: what BI users and analysts read."""

from __future__ import annotations

import json

import pytest

from lead_scoring.dbt_runner import PROJECT_DIR, query, run_dbt, target_dir

from .conftest import compile_analysis


@pytest.fixture(scope="module")
def docs(warehouse):
    run_dbt(["docs", "generate", "--write-json"], warehouse)
    target = target_dir()
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    return manifest, catalog


def test_every_model_seed_and_column_is_described(docs):
    manifest, catalog = docs
    missing = []
    for unique_id, entry in {**catalog["nodes"], **catalog["sources"]}.items():
        node = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id)
        if not node["description"].strip():
            missing.append(unique_id)
        described = {name.lower() for name, column in node["columns"].items()
                     if column.get("description", "").strip()}
        for column in entry["columns"]:
            if column.lower() not in described:
                missing.append(f"{unique_id}.{column}")
    assert missing == []
    kinds = {unique_id.split(".")[0] for unique_id in catalog["nodes"]}
    assert kinds == {"model", "seed"}


def test_every_project_macro_is_described(docs):
    manifest, _ = docs
    undocumented = [macro["name"] for macro in manifest["macros"].values()
                    if macro["package_name"] == "lead_scoring" and not macro["description"]]
    assert undocumented == []


def test_exposures_and_metrics(docs):
    manifest, _ = docs
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert set(exposures) == {"sales_priority_list", "marketing_funnel", "scoring_calibration"}
    assert "model.lead_scoring.lead_scores" in exposures["sales_priority_list"]["depends_on"][
        "nodes"]
    metrics = {metric["name"] for metric in manifest["metrics"].values()}
    assert {"leads", "mql_leads", "sql_leads", "conversion_rate"} <= metrics


@pytest.mark.parametrize("name", ["top_leads_for_rep", "leads_crossing_mql_this_week",
                                  "score_distribution_by_source", "rules_with_most_impact",
                                  "compare_rules_versions"])
def test_analyses_run_on_the_marts_and_the_published_file(warehouse, name, tmp_path):
    """Every analysis reads marts only, so it runs on the warehouse and on the BI file;
    without var score_date it reports on the latest scored date, not today."""
    from lead_scoring.dbt_runner import Warehouse
    from lead_scoring.publish import publish

    sql = compile_analysis(warehouse, name)
    assert "intermediate." not in sql and "staging." not in sql
    rows = query(warehouse.database, sql)
    assert rows, name
    published = tmp_path / "published.duckdb"
    publish(warehouse.database, published)
    undated = compile_analysis(Warehouse(database=warehouse.database,
                                         raw_path=warehouse.raw_path,
                                         raw_format=warehouse.raw_format), name)
    assert query(published, undated) == rows


def test_leads_crossing_mql_this_week(warehouse):
    rows = query(warehouse.database, compile_analysis(warehouse, "leads_crossing_mql_this_week"))
    # On the fixtures' first score date L008 is already an MQL.
    assert [(row[1], row[2], row[3]) for row in rows] == [("L008", None, "mql")]


def test_rules_with_most_impact(warehouse):
    rows = query(warehouse.database, compile_analysis(warehouse, "rules_with_most_impact"))
    by_rule = {row[0]: row for row in rows}
    # Demo requests: only L001's counts (30 points at age 0).
    assert by_rule["B10"][2:4] == (1, 30.0)
    # Careers pages: L002's 4 views, -20 before the cap, -15 after: 5 points capped away.
    assert by_rule["B02"][3] == -15.0 and by_rule["B02"][5] == -5.0


def test_governance_public_models_are_the_published_marts(docs):
    """Public models are exactly the marts published for BI; none holds a column tagged
    PII; every model has a group with an owner."""
    from lead_scoring.publish import BI_MARTS

    manifest, _ = docs
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    public = {node["name"] for node in models if node["access"] == "public"}
    assert public == set(BI_MARTS)
    pii = {(node["name"], name) for node in models for name, column in node["columns"].items()
           if column.get("meta", {}).get("pii")}
    assert ("stg_crm__leads", "email") in pii and ("quarantined_records", "detail") in pii
    assert not {model for model, _ in pii} & public
    groups = {group["name"]: group["owner"] for group in manifest["groups"].values()}
    assert all(owner.get("name") for owner in groups.values())
    assert {node["name"] for node in models if node["group"] not in groups} == set()


def test_every_mart_has_a_contract_and_a_primary_key_test(docs):
    """Every model in the marts schema (the published marts, the quarantine listing, the
    time spine) has an enforced contract and a unique (or primary key) test on a column or a
    combination."""
    manifest, _ = docs
    marts = {unique_id: node for unique_id, node in manifest["nodes"].items()
             if node["resource_type"] == "model" and node["schema"].endswith("marts")}
    assert len(marts) >= 17
    assert sorted(node["name"] for node in marts.values()
                  if not node["config"]["contract"]["enforced"]) == []
    keyed = {model_id for test in manifest["nodes"].values()
             if test["resource_type"] == "test"
             and (test.get("test_metadata") or {}).get("name") in (
                 "unique", "unique_combination", "primary_key")
             and not (test["config"].get("where"))
             for model_id in test["depends_on"]["nodes"]}
    assert sorted(marts[unique_id]["name"] for unique_id in set(marts) - keyed) == []


def test_a_model_tests_its_key_and_its_never_null_columns_in_one_query_each(docs):
    """Every data test is a query a build runs: a key is one primary_key test (not
    unique + not_null on its column, not not_null on a primary_key's columns), and a
    model's never-null columns one not_null_columns test, not a not_null per column
    (those with their own `where` aside)."""
    manifest, _ = docs
    plain_not_null, keys = {}, {}
    for test in manifest["nodes"].values():
        metadata = test.get("test_metadata") or {}
        node, column = test.get("attached_node"), test.get("column_name")
        if test["resource_type"] != "test" or not node or test["config"].get("where"):
            continue
        if metadata.get("name") == "not_null":
            plain_not_null.setdefault(node, set()).add(column)
        elif metadata.get("name") == "unique":
            keys.setdefault(node, set()).add(column)
        elif metadata.get("name") == "primary_key":
            keys.setdefault(node, set()).update(
                metadata["kwargs"].get("columns") or [metadata["kwargs"]["column_name"]])
    on_keys = sorted(f"{node.split('.')[-1]}.{column}" for node, columns in plain_not_null.items()
                     for column in columns & keys.get(node, set()))
    assert on_keys == []
    several = sorted(node.split(".")[-1] for node, columns in plain_not_null.items()
                     if len(columns) > 1)
    assert several == []
    assert len(plain_not_null) > 5  # the check sees the models' tests


def test_no_yaml_file_repeats_a_key():
    """A key given twice in one mapping (two `data_tests:` of a model, say) is no YAML
    error: the last one wins and dbt silently drops the first one's tests or docs."""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} twice at {node.start_mark}")
        return loader.construct_mapping(node, deep)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    files = [path for folder in ("models", "seeds", "macros", "tests/dbt")
             for path in (PROJECT_DIR / folder).rglob("*.yml")]
    assert len(files) > 50
    problems = []
    for path in files:
        try:
            yaml.load(path.read_text(), Loader=StrictLoader)
        except ValueError as error:
            problems.append(f"{path.relative_to(PROJECT_DIR)}: {error}")
    assert problems == []


def test_no_model_is_longer_than_a_newcomer_reads_in_one_sitting():
    """House style: about 150 lines a model at most (issue 20, item 3)."""
    models = PROJECT_DIR / "models"
    lengths = {path.name: len(path.read_text().splitlines()) for path in models.rglob("*.sql")}
    assert len(lengths) > 50
    assert {name: n for name, n in lengths.items() if n > 156} == {}
