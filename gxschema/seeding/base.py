"""The base datasets every environment gets: countries, protocol parameters, feature flags.

Each function reads one file, validates every row or entry, appends a message per
problem to `errors`, and returns the `Dataset`, or None if anything was wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gxschema.seeding.dataset import Dataset, TableRows, stable_id
from gxschema.seeding.files import CsvRow, read_csv, read_yaml
from gxschema.seeding.schemas import (
    CONFIG_KEY,
    FLAG_KEY,
    ConfigFile,
    ConfigParameter,
    CountryRow,
    FlagEntry,
    FlagFile,
    validate,
)

COUNTRY_COLUMNS = ("countryCode", "countryName", "region")


def countries(path: Path, label: str, errors: list[str]) -> Dataset | None:
    """countries.csv: one Country row per line; the file wins over the database."""
    before = len(errors)
    parsed = read_csv(path, label, COUNTRY_COLUMNS, errors)
    if parsed is None:
        return None
    version = parsed.meta.get("version")
    if version is None:
        errors.append(f'{label}: the header comment has no "# version: ..." line')
    rows: list[dict[str, Any]] = []
    seen: dict[str, CsvRow] = {}
    for line in parsed.rows:
        code = line.values["countryCode"]
        where = f'{label} row {line.number} (line {line.line}, code "{code}")'
        country = validate(CountryRow, line.values, where, errors)
        if country is None:
            continue
        first = seen.setdefault(country.country_code, line)
        if first is not line:
            errors.append(
                f"{where}: countryCode: duplicate of row {first.number} (line {first.line})"
            )
            continue
        rows.append(
            {
                "countryCode": country.country_code,
                "countryName": country.country_name,
                "region": country.region,
            }
        )
    if len(errors) > before or version is None:
        return None
    table = TableRows("Country", ("countryCode",), tuple(rows), scope={})
    return Dataset("countries", label, version, (table,))


def _entries(
    document: Any,
    header_model: type[ConfigFile] | type[FlagFile],
    field: str,
    label: str,
    errors: list[str],
) -> tuple[ConfigFile | FlagFile | None, dict[str, Any]]:
    """The file's header (None if invalid) and its entries, to check even when it is."""
    if document is None:
        errors.append(f"{label}: the file is empty")
        return None, {}
    header = validate(header_model, document, label, errors)
    raw = document.get(field) if isinstance(document, dict) else None
    if not isinstance(raw, dict):
        return header, {}
    return header, {key: entry for key, entry in raw.items() if isinstance(key, str)}


def system_config(path: Path, label: str, errors: list[str]) -> Dataset | None:
    """system_config.yaml: SystemConfig rows; valueType and configValue are the operator's."""
    before = len(errors)
    parsed, document = read_yaml(path, label, errors)
    if not parsed:
        return None
    header, entries = _entries(document, ConfigFile, "parameters", label, errors)
    tenant = header.tenant_id if header else ""
    rows: list[dict[str, Any]] = []
    for key, entry in entries.items():
        where = f'{label} key "{key}"'
        if not CONFIG_KEY.match(key):
            errors.append(
                f"{where}: configKey: must be camelCase (a lowercase letter, then letters, digits)"
            )
        parameter = validate(ConfigParameter, entry, where, errors)
        if parameter is None:
            continue
        rows.append(
            {
                "configKey": key,
                "tenantId": tenant,
                "valueType": parameter.value_type,
                "configValue": parameter.config_value,
                "description": parameter.description,
                "isSecret": parameter.is_secret,
            }
        )
    if header is None or len(errors) > before:
        return None
    table = TableRows(
        "SystemConfig",
        ("configKey",),
        tuple(rows),
        operator_columns=frozenset({"tenantId", "valueType", "configValue"}),
        scope={"tenantId": header.tenant_id},
    )
    return Dataset("system_config", label, header.version, (table,))


def feature_flags(path: Path, label: str, errors: list[str]) -> Dataset | None:
    """feature_flags.yaml: FeatureFlag rows; the switches are the operator's."""
    before = len(errors)
    parsed, document = read_yaml(path, label, errors)
    if not parsed:
        return None
    header, entries = _entries(document, FlagFile, "flags", label, errors)
    tenant = header.tenant_id if header else ""
    rows: list[dict[str, Any]] = []
    for key, entry in entries.items():
        where = f'{label} key "{key}"'
        if not FLAG_KEY.match(key):
            errors.append(f"{where}: flagKey: must be snake_case (lowercase letters, digits, _)")
        flag = validate(FlagEntry, entry, where, errors)
        if flag is None:
            continue
        rows.append(
            {
                "flagId": stable_id("FeatureFlag", tenant, key),
                "tenantId": tenant,
                "flagKey": key,
                "isEnabled": flag.is_enabled,
                "rolloutPercent": flag.rollout_percent,
                "targetUserIds": flag.target_user_ids,
                "targetRoles": flag.target_roles,
                "description": flag.description,
            }
        )
    if header is None or len(errors) > before:
        return None
    table = TableRows(
        "FeatureFlag",
        ("tenantId", "flagKey"),
        tuple(rows),
        insert_only=frozenset({"flagId"}),
        operator_columns=frozenset({"isEnabled", "rolloutPercent", "targetUserIds", "targetRoles"}),
        scope={"tenantId": header.tenant_id},
    )
    return Dataset("feature_flags", label, header.version, (table,))
