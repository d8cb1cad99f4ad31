"""dbt-duckdb plugin of the default profile (profiles.yml): before dbt opens the
warehouse, wait for the all-or-nothing build's copy of it to be complete.

`lead-scoring build` copies the warehouse in a thread while dbt starts
(src/lead_scoring/transaction.py); dbt runs in the same process, and every DuckDB
connection it makes goes through `update_connection_config` first. Outside such a
build (plain `dbt build`, the tests' dbt runs) there is no copy and nothing waits.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from lead_scoring.transaction import wait_for_copy


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        wait_for_copy()
