"""Trimming a config.json to what the config reader needs (catalog storage and identification).

``trim_config`` keeps the keys the reader looks at for that config plus a few that identify
or describe the checkpoint (``KEEP``) and drops the rest (token ids, dtypes of training,
tokenizer fields, initialisers …); ``quantization_config`` keeps its format settings and loses its long
lists of module names. Nested objects that the reader reads (``text_config``,
``rope_scaling`` …) are trimmed the same way. The trimmed config gives the same record as
the whole one — ``tools/build_catalog.py`` checks that for every catalog model.
"""
from __future__ import annotations

import json
from typing import Any

#: kept even when the reader does not look at them: identity, format, and layout keys
KEEP = ("model_type", "architectures", "quantization_config", "torch_dtype", "dtype")
#: dropped even when the reader reads them: where the checkpoint was saved from (a local path or a
#: training run's name — not the model's id, and never used to name a catalog model)
DROP = ("_name_or_path", "transformers_version")


class _Tracked(dict):
    """A dict that records which keys were read (get, [], in)."""

    def __init__(self, data: dict, seen: set, prefix: str):
        super().__init__()
        for k, v in data.items():
            dict.__setitem__(self, k, _track(v, seen, f"{prefix}{k}."))
        self._seen = seen
        self._prefix = prefix

    def __getitem__(self, key):
        self._seen.add(self._prefix + str(key))
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._seen.add(self._prefix + str(key))
        return dict.get(self, key, default)

    def __contains__(self, key):
        self._seen.add(self._prefix + str(key))
        return dict.__contains__(self, key)


def _track(value: Any, seen: set, prefix: str) -> Any:
    if isinstance(value, dict):
        return _Tracked(value, seen, prefix)
    return value


def keys_read(config: dict) -> set:
    """The dotted key paths the config reader reads for ``config`` (a dict)."""
    from taf.modelconfig import analysis
    seen: set = set()
    tracked = _track(json.loads(json.dumps(config)), seen, "")
    original = analysis.parse_config_text
    analysis.parse_config_text = lambda _text: tracked  # the reader reads the tracked copy
    try:
        analysis.analyze(config)
    finally:
        analysis.parse_config_text = original
    return seen


#: a list or per-module table longer than this inside quantization_config (module names) is dropped
QUANT_LIST_MAX = 8


def _quant_settings(value):
    """quantization_config without its long module-name lists: the format settings only."""
    if isinstance(value, dict):
        return {k: _quant_settings(v) for k, v in value.items()
                if not (isinstance(v, (list, dict)) and len(v) > QUANT_LIST_MAX
                        and not (isinstance(v, dict) and k == "config_groups"))}
    return value


def _finish(config: dict) -> dict:
    out = dict(config)
    if isinstance(out.get("quantization_config"), dict):
        out["quantization_config"] = _quant_settings(out["quantization_config"])
    tc = out.get("text_config")
    if isinstance(tc, dict) and isinstance(tc.get("quantization_config"), dict):
        out["text_config"] = dict(tc, quantization_config=_quant_settings(tc["quantization_config"]))
    return out


def trim_config(config: dict) -> dict:
    """``config`` with only the keys the reader reads (plus KEEP), nested objects trimmed alike."""
    if not isinstance(config, dict):
        raise TypeError("config must be a dict")
    seen = keys_read(config)
    return _trim(config, seen, "", top=True)


def trim_top_level(config: dict) -> dict:
    """Coarser: the top-level keys the reader reads (plus KEEP), nested objects kept whole.

    For a reader that reads a nested object in a way the tracking cannot see (iterating it)."""
    seen = {k.split(".")[0] for k in keys_read(config)}
    return {k: v for k, v in config.items() if (k in seen or k in KEEP) and k not in DROP}


def trim_candidates(config: dict) -> list:
    """The trims to try, finest first; the last is the whole config without DROP keys."""
    return [_finish(c) for c in (trim_config(config), trim_top_level(config),
                                 {k: v for k, v in config.items() if k not in DROP})]


def _trim(obj: dict, seen: set, prefix: str, top: bool) -> dict:
    out = {}
    for k, v in obj.items():
        path = prefix + k
        wanted = (path in seen or (top and k in KEEP) or (not top and k in KEEP[:1])) and not (top and k in DROP)
        if not wanted:
            continue
        if isinstance(v, dict) and any(s.startswith(path + ".") for s in seen):
            out[k] = _trim(v, seen, path + ".", top=False)
        else:
            out[k] = v
    return out
