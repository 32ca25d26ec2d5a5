"""The model catalog: published models from their real config.json files, searchable by name.

The data (``taf/data/catalog_data.py``, written by ``tools/build_catalog.py``) holds one
entry per model: its Hugging Face id, a label, the config.json trimmed to the keys the
config reader reads, where that config came from (repository + path + commit, or the
Hugging Face URL) and the date it was checked, and any curated fact the config does not
state correctly (each with its own source). Nothing is parsed until first use; a model's
:class:`~taf.model.record.ModelRecord` is built from its config on first request and kept.

* :func:`search_models` — entries whose id or label contain the query words;
* :func:`find_entry` / :func:`record_for` — one model by id, alias, case-insensitive id or
  unique label;
* :func:`identify` — the catalog id of a pasted or fetched config that is one of these models.
"""

from __future__ import annotations

import json
from typing import Any

from .record import ModelRecord, record_from_config

_ENTRIES: list | None = None
_BY_KEY: dict | None = None
_RECORDS: dict[str, ModelRecord] = {}

#: how many matches search_models returns at most by default
SEARCH_LIMIT = 20


def entries() -> list[dict]:
    """Every catalog entry (parsed once)."""
    global _ENTRIES, _BY_KEY
    if _ENTRIES is None:
        from ..data.catalog_data import CATALOG_JSON

        data = json.loads(CATALOG_JSON)
        _ENTRIES = data["models"]
        by_key: dict = {}
        for e in _ENTRIES:
            for key in (e["id"], *e.get("aliases", ())):
                by_key[key] = e
        _BY_KEY = by_key
    return _ENTRIES


def _by_key() -> dict:
    """Entries by id and alias (built with :func:`entries`)."""
    if _BY_KEY is None:
        entries()
    return _BY_KEY or {}


def find_entry(model_id: Any) -> dict | None:
    """The entry for ``model_id``: exact id or alias, then case-insensitive, then a unique label."""
    if not isinstance(model_id, str):
        return None
    by_key = _by_key()
    if model_id in by_key:
        return by_key[model_id]
    key = model_id.strip().lower()
    folded = [e for k, e in by_key.items() if k.lower() == key]
    if folded:
        return folded[0]
    by_label = [e for e in entries() if e["label"].lower() == key or e["id"].split("/")[-1].lower() == key]
    return by_label[0] if len(by_label) == 1 else None


def record_for(model_id: Any) -> ModelRecord | None:
    """The architecture record of a catalog model (curated facts applied); None if unknown."""
    entry = find_entry(model_id)
    if entry is None:
        return None
    return cached_record(entry)


def cached_record(entry: dict) -> ModelRecord:
    """The architecture record of a catalog entry, built on first use."""
    if entry["id"] not in _RECORDS:
        _RECORDS[entry["id"]] = record_of_entry(entry)
    return _RECORDS[entry["id"]]


def record_of_entry(entry: dict) -> ModelRecord:
    record = record_from_config(entry["config"], name=entry["id"])
    facts = entry.get("facts", ())
    return record.with_facts(facts, label=entry["label"]) if facts else record.with_facts((), label=entry["label"])


def _architecture(record: ModelRecord) -> tuple:
    """Everything a record says about the architecture (not its name, not curated facts)."""
    summary = {k: v for k, v in record.summary().items() if k not in ("id", "label")}
    return (json.dumps(summary, sort_keys=True), record.layers, record.tensors, record.preset_kv)


def identify(config: Any, record: ModelRecord | None = None, name: Any = None) -> str | None:
    """The catalog id of the model a config.json describes, when the config is named; else None.

    The name is ``name`` (e.g. the Hugging Face id a config was fetched by) or the config's own
    ``_name_or_path``. It identifies a catalog model only when the config gives exactly that model's
    architecture; configs are never matched by their numbers alone (Qwen2-0.5B and Qwen2.5-0.5B share
    every architecture key, so an unnamed config cannot say which it is).
    """
    if not isinstance(config, dict):
        return None
    if not isinstance(name, str):
        name = config.get("_name_or_path")
    entry = find_entry(name) if isinstance(name, str) else None
    if entry is None:
        return None
    if record is None:
        record = record_from_config(config)
    if _architecture(record) != _architecture(record_from_config(entry["config"])):
        return None
    return entry["id"]


def search_models(query: Any = "", limit: int = SEARCH_LIMIT) -> list[dict]:
    """Catalog models matching ``query`` (every word must appear in the id or label, any case).

    Each match: {id, label, family, total_params, active_params, featured}. Ids that start
    with the query come first, then by id. An empty query lists the featured presets.
    Never raises: a non-text query matches nothing.
    """
    if not isinstance(query, str) or isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        return []
    words = [w for w in query.lower().replace("/", " ").split() if w]
    rows = []
    for e in entries():
        hay = (e["id"] + " " + e["label"] + " " + " ".join(e.get("aliases", ()))).lower()
        if not words and not e.get("featured"):
            continue
        if all(w in hay for w in words):
            starts = bool(words) and (
                e["id"].lower().split("/")[-1].startswith(words[0]) or e["label"].lower().startswith(words[0])
            )
            rows.append((0 if starts else 1, e["id"].lower(), e))
    if words:
        rows.sort(key=lambda r: (r[0], r[1]))
    else:  # the featured presets, in their display order
        from ..data.presets import FEATURED

        order = {model_id: i for i, model_id in enumerate(FEATURED)}
        rows.sort(key=lambda r: order.get(r[2]["id"], len(order)))
    return [_match(e) for _, _, e in rows[:limit]]


def _match(e: dict) -> dict:
    return {
        "id": e["id"],
        "label": e["label"],
        "family": e["family"],
        "total_params": e["total_params"],
        "active_params": e["active_params"],
        "featured": bool(e.get("featured")),
    }


def list_models() -> list[dict]:
    """Every catalog model as a search match (id order as stored)."""
    return [_match(e) for e in entries()]
