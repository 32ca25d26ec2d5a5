"""Reading Hugging Face config.json files: exact parameter counts, KV cache, θ, T_train.

* :func:`analyze` — everything recipe M-1 reports (raises ParamError on bad input);
* :mod:`.preset` — :func:`~.preset.preset_from_config` / ``preset_from_config_json``, the
  architecture parameters every recipe accepts (never raise). It runs through the engine
  (:mod:`taf.registry`), a layer above this package, so it is not imported here (``taf.preset_from_config``);
* :mod:`.families` — the per-family rules, :mod:`.inventory` — the tensor inventories,
  :mod:`.counts` — the arithmetic, :mod:`.reader` — strict, key-naming config access.

Standard library only; nothing here touches the network (no hub request).
"""

from .analysis import Analysis, analyze
from .families import FAMILIES, GENERIC, family_for

__all__ = ["Analysis", "analyze", "FAMILIES", "GENERIC", "family_for"]
