"""The dbt nodes that read no raw table, and when an incremental build can leave them out.

The seeds (dbt_project/seeds/), the models built from nothing but seeds (int_company_names,
int_division_names) and the data tests that read only those: 21 of the 252 nodes a build runs.
Their tables are a function of the seed files, the models' and tests' SQL, the macros and the
project settings, none of which a run that only found new pages changes. Rebuilding and
re-testing them on every such run costs dbt's per-node overhead (about 40 ms of CPU a node) and
can only give the result the last passed build gave.

So a build leaves them out when all of these hold, and runs them otherwise:
  - the build is not a full refresh (reprocess, --full-refresh, changed incremental models);
  - the last build that ran them passed, with the same reference signature: every such node's
    definition, every macro, dbt_project.yml and profiles.yml, and the day (so they run at least
    on the first build of each day, whatever else happens);
  - every table they build is in the work database.
Nodes that read a seed and a raw table (e.g. dim_companies) are not reference nodes: they run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

BUILT_TYPES = {"seed", "model"}


def reference_nodes(manifest: dict) -> list[str]:
    """unique_ids of the seeds, models and data tests with no dbt source upstream of them."""
    nodes = manifest.get("nodes") or {}
    reads_raw: dict[str, bool] = {}

    def upstream_of_raw(unique_id: str) -> bool:
        if unique_id.startswith("source."):
            return True
        if unique_id not in reads_raw:
            reads_raw[unique_id] = False  # a cycle cannot happen in dbt; this only guards the recursion
            parents = ((nodes.get(unique_id) or {}).get("depends_on") or {}).get("nodes") or []
            reads_raw[unique_id] = any(upstream_of_raw(parent) for parent in parents)
        return reads_raw[unique_id]

    return sorted(
        unique_id for unique_id, node in nodes.items()
        if node.get("resource_type") in BUILT_TYPES | {"test"} and not upstream_of_raw(unique_id)
    )


def reference_signature(manifest: dict, project_files: list[Path], unique_ids: list[str]) -> str:
    """A digest of everything the reference nodes' results depend on (see the module docstring)."""
    digest = hashlib.sha256()
    nodes = manifest.get("nodes") or {}
    for unique_id in unique_ids:
        digest.update(f"{unique_id}:{_stable_json(nodes[unique_id])};".encode())
    for unique_id, macro in sorted((manifest.get("macros") or {}).items()):
        digest.update(f"{unique_id}:{_stable_json(macro)};".encode())
    for path in project_files:
        digest.update(Path(path).read_bytes())
    digest.update(datetime.now(UTC).date().isoformat().encode())
    return digest.hexdigest()


def tests_beside_them(manifest: dict, unique_ids: list[str]) -> list[str]:
    """Data tests that read a reference node and a raw-reading one (a relationship from a mart to a
    seed, say). dbt's `--exclude` would drop them along with the reference node they read (eager
    indirect selection), so while there is one, the reference nodes are not left out."""
    reference = set(unique_ids)
    return sorted(
        unique_id for unique_id, node in (manifest.get("nodes") or {}).items()
        if node.get("resource_type") == "test" and unique_id not in reference
        and reference & set((node.get("depends_on") or {}).get("nodes") or [])
    )


def exclusion_selectors(manifest: dict, unique_ids: list[str]) -> list[str]:
    """dbt `--exclude` arguments naming exactly these nodes (their full fqn)."""
    nodes = manifest.get("nodes") or {}
    return [f"fqn:{'.'.join(nodes[unique_id]['fqn'])}" for unique_id in unique_ids]


def tables_present(conn: duckdb.DuckDBPyConnection, manifest: dict, unique_ids: list[str]) -> bool:
    """Whether every table the seeds and models among these nodes build exists in the work database."""
    nodes = manifest.get("nodes") or {}
    wanted = {
        (nodes[unique_id]["schema"], nodes[unique_id].get("alias") or nodes[unique_id]["name"])
        for unique_id in unique_ids if nodes[unique_id].get("resource_type") in BUILT_TYPES
    }
    present = set(conn.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
    ).fetchall())
    return wanted <= present


def _ensure(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists pipeline_state")
    conn.execute("create table if not exists pipeline_state.reference_builds (signature varchar, built_at timestamp)")


def last_signature(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The reference signature of the last passed build that ran the reference nodes."""
    _ensure(conn)
    row = conn.execute("select signature from pipeline_state.reference_builds order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def remember_signature(conn: duckdb.DuckDBPyConnection, signature: str) -> None:
    """After a build that ran the reference nodes and passed."""
    _ensure(conn)
    conn.begin()
    conn.execute("delete from pipeline_state.reference_builds")
    conn.execute("insert into pipeline_state.reference_builds values (?, ?)",
                 [signature, datetime.now(UTC).replace(tzinfo=None)])
    conn.commit()


def forget_signature(conn: duckdb.DuckDBPyConnection) -> None:
    """Before a build that runs them: until it has passed, the next build must run them too."""
    _ensure(conn)
    conn.execute("delete from pipeline_state.reference_builds")


def _stable_json(node: dict) -> str:
    # created_at changes with every parse, not with the node.
    return json.dumps({key: value for key, value in node.items() if key != "created_at"}, sort_keys=True, default=str)
