"""What the models say about outgrowing one PostgreSQL: Citus placement, time partitioning.

Both tables in ``docs/scaling.md`` are computed here from the models, so a schema change
changes them (and ``gxschema docs --check`` notices a stale copy).

Citus, distributing by ``tenantId``. Its rules (from Citus's documentation):

- a primary key or unique index of a distributed table must contain the distribution
  column, since uniqueness is only checked within one shard;
- a foreign key between distributed tables must include the distribution column on both
  sides (the tables are co-located), and then may be neither ``ON DELETE SET NULL`` /
  ``SET DEFAULT`` nor ``ON UPDATE CASCADE`` / ``SET NULL`` / ``SET DEFAULT``;
- a distributed table may reference a reference table; a reference table may reference
  only reference tables.

A table is placed by these rules, in this order:

1. *local table on the coordinator*: its ``tenantId`` defaults to ``'global'``
   (platform-wide rows: distributing them by tenant would put them all on one shard)
   and no foreign key links it to another table; nothing needs to join it with a
   distributed table, so it needs no Citus call at all;
2. *reference table*: it has no ``tenantId`` (or is platform-wide but linked by a
   foreign key), and it references only reference tables;
3. *distributed after adding tenantId*: it has no ``tenantId`` but references a
   distributed table;
4. *distributed as it is*: its primary key and every unique index contain ``tenantId``
   and it has no foreign key to another distributed table;
5. *distributed after a key change*: everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxschema.docs.schema import Key, Schema, TableInfo

TENANT = "tenantId"
GLOBAL_DEFAULT = "'global'::text"

LOCAL = "local table on the coordinator"
REFERENCE = "reference table"
AS_IS = "distributed as it is"
KEY_CHANGE = "distributed after a key change"
ADD_TENANT = "distributed after adding tenantId"
KINDS = (LOCAL, REFERENCE, AS_IS, KEY_CHANGE, ADD_TENANT)

PARTITIONED: dict[str, str] = {
    "AuditLog": "timestamp",
    "EventLog": "ingestedAt",
    "HealthCheckMetric": "timestamp",
    "Transaction": "timestamp",
}
"""The append-only tables to partition by time, and the column each is partitioned on."""


@dataclass
class Placement:
    table: str
    domain: str
    kind: str
    changes: list[str] = field(default_factory=list)
    """What has to change first, one sentence each (Markdown)."""

    @property
    def call(self) -> str | None:
        if self.kind == LOCAL:
            return None
        if self.kind == REFERENCE:
            return f"SELECT create_reference_table('\"{self.table}\"');"
        return f"SELECT create_distributed_table('\"{self.table}\"', '{TENANT}');"


def _cols(columns: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(f"`{column}`" for column in columns) + ")"


def _platform_wide(table: TableInfo) -> bool:
    return table.has_column(TENANT) and table.column(TENANT).default == GLOBAL_DEFAULT


def _local_tables(schema: Schema) -> set[str]:
    return {
        name
        for name, table in schema.tables.items()
        if _platform_wide(table) and not table.foreign_keys and not table.referenced_by
    }


def _reference_tables(schema: Schema, local: set[str]) -> set[str]:
    candidates = set()
    for name, table in schema.tables.items():
        if name not in local and (not table.has_column(TENANT) or _platform_wide(table)):
            candidates.add(name)
    changed = True
    while changed:  # a reference table may only reference reference tables
        changed = False
        for name in sorted(candidates):
            if any(fk.ref_table not in candidates for fk in schema.tables[name].foreign_keys):
                candidates.discard(name)
                changed = True
    return candidates


def _keyed(key: Key) -> tuple[str, ...]:
    return key.columns if TENANT in key.columns else (TENANT, *key.columns)


def _distributed_changes(
    schema: Schema, table: TableInfo, reference: set[str]
) -> tuple[str, list[str]]:
    changes: list[str] = []
    kind = AS_IS
    if not table.has_column(TENANT):
        kind = ADD_TENANT
        parent = next(fk for fk in table.foreign_keys if fk.ref_table not in reference)
        changes.append(
            f"add `{TENANT}` (text), fill it from `{parent.ref_table}`.`{TENANT}` through "
            f"`{parent.name}`, then make it NOT NULL"
        )
    primary_key = table.primary_key
    new_primary_key = _keyed(primary_key)
    if new_primary_key != primary_key.columns:
        changes.append(
            f"primary key `{primary_key.name}` {_cols(primary_key.columns)} becomes "
            f"{_cols(new_primary_key)}"
        )
    for index in table.unique_indexes:
        if TENANT not in index.columns:
            changes.append(
                f"unique index `{index.name}` {_cols(index.columns)} becomes "
                f"{_cols(_keyed(index))}: unique per tenant, no longer across tenants"
            )
        elif set(index.columns) == set(new_primary_key) and new_primary_key != (
            primary_key.columns
        ):
            changes.append(f"unique index `{index.name}` then repeats the primary key: drop it")
    for fk in table.foreign_keys:
        if fk.ref_table in reference:
            continue
        actions = ["ON UPDATE NO ACTION"] if fk.on_update != "NO ACTION" else []
        if fk.on_delete in ("SET NULL", "SET DEFAULT"):
            cleared = ", ".join(f"`{column}`" for column in fk.columns)
            actions.insert(
                0, f"ON DELETE NO ACTION (the service sets {cleared} to NULL before the delete)"
            )
        sentence = (
            f"foreign key `{fk.name}` {_cols(fk.columns)} becomes {_cols((TENANT, *fk.columns))}"
            f" referencing `{fk.ref_table}` {_cols((TENANT, *fk.ref_columns))}"
        )
        if actions:
            sentence += ", " + ", ".join(actions)
        changes.append(sentence)
    if changes and kind == AS_IS:
        kind = KEY_CHANGE
    return kind, changes


def _order(schema: Schema, names: set[str]) -> list[str]:
    """`names` with every table after the tables it references (model order otherwise)."""
    position = {name: index for index, name in enumerate(schema.tables)}
    ordered: list[str] = []
    remaining = set(names)
    while remaining:
        ready = [
            name
            for name in remaining
            if all(
                fk.ref_table not in remaining or fk.ref_table == name
                for fk in schema.tables[name].foreign_keys
            )
        ]
        if not ready:  # a cycle: take the rest in model order
            ready = list(remaining)
        first = min(ready, key=position.__getitem__)
        ordered.append(first)
        remaining.discard(first)
    return ordered


def placements(schema: Schema) -> list[Placement]:
    """Every table's place in a Citus cluster, in the order to create them."""
    local = _local_tables(schema)
    reference = _reference_tables(schema, local)
    result = [Placement(name, schema.domain_of(name), LOCAL) for name in _order(schema, local)]
    result += [
        Placement(name, schema.domain_of(name), REFERENCE) for name in _order(schema, reference)
    ]
    for name in _order(schema, set(schema.tables) - reference - local):
        kind, changes = _distributed_changes(schema, schema.tables[name], reference)
        result.append(Placement(name, schema.domain_of(name), kind, changes))
    return result


def citus_table(schema: Schema) -> str:
    placed = placements(schema)
    counts = "; ".join(f"{kind}: {sum(1 for p in placed if p.kind == kind)}" for kind in KINDS)
    lines = [
        f"{len(placed)} tables ({counts}). In this order, each table comes after the tables it "
        "references, so each step's foreign keys already have their targets.",
        "",
        "| # | table | domain | Citus | what it takes |",
        "|---:|---|---|---|---|",
    ]
    for number, placement in enumerate(placed, start=1):
        call = placement.call
        steps = [*placement.changes, f"`{call}`" if call else "nothing: it stays as it is"]
        lines.append(
            f"| {number} | `{placement.table}` | {placement.domain} | {placement.kind} | "
            f"{'; '.join(steps)} |"
        )
    return "\n".join(lines) + "\n"


def partitioning_table(schema: Schema) -> str:
    lines = [
        "| table | partition key | primary key becomes | unique indexes that must take the key "
        "| foreign keys that reference it |",
        "|---|---|---|---|---|",
    ]
    for name, key in PARTITIONED.items():
        table = schema.tables[name]
        column = table.column(key)
        key_text = f"`{key}`" + ("" if not column.nullable else " (must become NOT NULL first)")
        primary_key = table.primary_key
        new_primary_key = (
            primary_key.columns if key in primary_key.columns else (*primary_key.columns, key)
        )
        uniques = [
            f"`{index.name}` {_cols(index.columns)} + `{key}`: unique per `{key}` value only"
            for index in table.unique_indexes
            if key not in index.columns
        ]
        references = [
            f"`{fk.name}` from `{fk.table}` {_cols(fk.columns)}: must reference "
            f"{_cols((*fk.ref_columns, key))}, so `{fk.table}` needs a copy of `{key}` "
            "(or the foreign key goes)"
            for fk in table.referenced_by
        ]
        lines.append(
            f"| `{name}` | {key_text} | `{primary_key.name}` {_cols(new_primary_key)} | "
            f"{'; '.join(uniques) or 'none'} | {'; '.join(references) or 'none'} |"
        )
    return "\n".join(lines) + "\n"
