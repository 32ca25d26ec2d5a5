"""Model presets: the architecture parameters of eleven published models.

Each row is the TAF Agent module's preset (reference ``taf-agent``), taken from the model's
published config.json (``source``, where it can be checked); ``n_params`` is the nominal size used by the TAF panel
(e.g. 8e9 for Llama-3-8B), not an exact tensor count. Row order is display order.
"""
from __future__ import annotations

#: the date the TAF Agent module (v0.5.3) recorded these presets
SEED_AS_OF = "2026-05-02"

#: the architecture fields a preset fills
ARCH_FIELDS = ("theta", "T_train", "n_attention_heads", "n_kv_heads", "d_head", "n_layers", "n_params", "has_SWA")


def _row(model_id, theta, T_train, n_attention_heads, n_kv_heads, d_head, n_layers, n_params, has_SWA):
    return {
        "id": model_id,
        "label": model_id.split("/")[-1],
        "theta": float(theta),
        "T_train": T_train,
        "n_attention_heads": n_attention_heads,
        "n_kv_heads": n_kv_heads,
        "d_head": d_head,
        "n_layers": n_layers,
        "n_params": float(n_params),
        "has_SWA": has_SWA,
        "source": f"https://huggingface.co/{model_id}/blob/main/config.json",
        "as_of": SEED_AS_OF,
    }


PRESETS = (
    _row("EleutherAI/pythia-2.8b", 10000, 2048, 32, 32, 80, 32, 2.8e9, False),
    _row("EleutherAI/pythia-1b", 10000, 2048, 8, 8, 256, 16, 1e9, False),
    _row("EleutherAI/pythia-1.4b", 10000, 2048, 16, 16, 128, 24, 1.4e9, False),
    _row("meta-llama/Meta-Llama-3-8B", 500000, 8192, 32, 8, 128, 32, 8e9, False),
    _row("meta-llama/Llama-3.2-1B", 500000, 131072, 32, 8, 64, 16, 1.2e9, False),
    _row("meta-llama/Llama-3.3-70B-Instruct", 500000, 131072, 64, 8, 128, 80, 70e9, False),
    _row("mistralai/Mistral-7B-v0.1", 10000, 8192, 32, 8, 128, 32, 7e9, True),
    _row("Qwen/Qwen2.5-7B", 1000000, 32768, 28, 4, 128, 28, 7.6e9, False),
    _row("Qwen/Qwen2.5-1.5B", 1000000, 32768, 12, 2, 128, 28, 1.5e9, False),
    _row("google/gemma-2-9b-it", 10000, 8192, 16, 8, 256, 42, 9e9, True),
    _row("microsoft/phi-3-mini-4k-instruct", 10000, 4096, 32, 32, 96, 32, 3.8e9, True),
)

PRESETS_BY_ID = {row["id"]: row for row in PRESETS}
