"""Preset rows built from the model catalog's records (the data — featured ids, old aliases — is in
:mod:`taf.data.presets`; building a row needs the record, a layer above the data)."""

from __future__ import annotations

from ..data.presets import FEATURED

_ROWS: dict = {}


def preset_row(model_id) -> dict | None:
    """The preset row of a catalog model (id, alias, any case): id, label, ARCH_FIELDS, active_params,
    family, source, as_of, facts. None for an unknown id."""
    from .catalog import cached_record, find_entry  # on first use: the catalog is large (keeps `import taf` small)

    entry = find_entry(model_id)
    if entry is None:
        return None
    if entry["id"] not in _ROWS:
        record = cached_record(entry)
        row = {"id": entry["id"], "label": entry["label"]}
        row.update(record.to_preset())
        row["active_params"] = record.active_params
        row["family"] = record.family
        row["source"] = entry["source"]
        row["as_of"] = entry["as_of"]
        row["facts"] = [dict(f) for f in entry.get("facts", ())]
        _ROWS[entry["id"]] = row
    return _ROWS[entry["id"]]


def presets() -> list[dict]:
    """The featured preset rows, in display order."""
    rows = [preset_row(model_id) for model_id in FEATURED]
    return [row for row in rows if row is not None]  # every featured id is a catalog id
