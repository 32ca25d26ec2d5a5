"""§17 Pre-training scaling: Chinchilla token budgets, training compute and memory, emergence tiers."""
from __future__ import annotations

import math

#: Chinchilla compute-optimal tokens per parameter (Hoffmann et al. 2022, arXiv:2203.15556)
CHINCHILLA_TOKENS_PER_PARAM = 20.0

#: §17.20 bytes per parameter for mixed-precision AdamW training:
#: bf16 weights (2) + bf16 grads (2) + fp32 master weights (4) + Adam m and v (4 + 4)
TRAINING_BYTES_PER_PARAM = 16


def chinchilla_optimal_tokens(n_params: float, tokens_per_param: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 Compute-optimal training tokens: D = r · N (r = 20 for Chinchilla).

    Units: tokens; N in parameters. Domain: N ≥ 0, r > 0. Evidence: validated
    (Hoffmann et al. 2022).
    """
    return tokens_per_param * n_params


def chinchilla_optimal_params(n_tokens: float, tokens_per_param: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 inverse: the model size a token budget supports, N = D / r (parameters).

    Domain: D ≥ 0, r > 0. Evidence: validated.
    """
    return n_tokens / tokens_per_param


def training_flops(n_params: float, n_tokens: float) -> float:
    """§17.10 Training compute C ≈ 6 · N · D (FLOPs; forward 2ND + backward 4ND).

    Domain: N, D ≥ 0. Evidence: validated (Kaplan et al. 2020).
    """
    return 6 * n_params * n_tokens


def chinchilla_params_for_compute(flops: float, tokens_per_param: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 Compute-optimal N for a FLOP budget: 6·N·(r·N) = C ⇒ N = √(C / (6r)).

    With r = 20, N = √(C/120). Units: parameters; C in FLOPs. Domain: C ≥ 0.
    """
    return math.sqrt(flops / (6 * tokens_per_param))


def training_memory_bytes(n_params: float) -> float:
    """§17.20 Training state ≈ 16 · N bytes (weights, grads, fp32 master and Adam moments).

    Activations are not included. Units: bytes. Evidence: validated accounting for
    mixed-precision AdamW.
    """
    return TRAINING_BYTES_PER_PARAM * n_params


def tokens_per_param_ratio(n_tokens: float, n_params: float) -> float | None:
    """Training tokens per parameter D / N (dimensionless); ``None`` for N ≤ 0."""
    if n_params <= 0:
        return None
    return n_tokens / n_params


EMERGENCE_TIERS = (
    (1e11, "above 100B — strong reasoning capabilities expected"),
    (1e10, "above 10B — most emergent capabilities present"),
    (1e9, "above 1B — basic instruction-following, not strong reasoning"),
    (1e8, "above 100M — useful for narrow tasks, no emergence"),
    (0.0, "below 100M — domain-specific tasks only"),
)


def emergence_tier(n_params: float) -> str:
    """§17.60 Capability tier by model size (heuristic after Wei et al. 2022).

    Tiers at 10^8, 10^9, 10^10 and 10^11 parameters. Evidence: heuristic — tiers
    are coarse and depend on data and training, not size alone.
    """
    for threshold, label in EMERGENCE_TIERS:
        if n_params >= threshold:
            return label
    return EMERGENCE_TIERS[-1][1]
