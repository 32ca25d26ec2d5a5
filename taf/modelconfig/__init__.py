"""Reading Hugging Face config.json files: exact parameter counts, KV cache, θ, T_train.

* :func:`analyze` — everything recipe M-1 reports (raises ParamError on bad input);
* :func:`preset_from_config` / :func:`preset_from_config_json` — the architecture
  parameters every recipe accepts (never raise; errors come back as ``{"error": ...}``);
* :mod:`.families` — the per-family rules, :mod:`.inventory` — the tensor inventories,
  :mod:`.counts` — the arithmetic, :mod:`.reader` — strict, key-naming config access.

Standard library only; nothing here touches the network (no hub request).
"""
from .analysis import Analysis, analyze
from .families import FAMILIES, GENERIC, family_for
from .preset import PRESET_FIELDS, preset_from_config, preset_from_config_json

__all__ = ["Analysis", "analyze", "FAMILIES", "GENERIC", "family_for", "PRESET_FIELDS", "preset_from_config",
           "preset_from_config_json"]
