"""§17 Pre-training scaling: Chinchilla token budgets, training compute and memory, emergence tiers."""

from __future__ import annotations

import math

#: Chinchilla compute-optimal tokens per parameter (Hoffmann et al. 2022, arXiv:2203.15556)
CHINCHILLA_TOKENS_PER_PARAM = 20.0

#: §17.20 bytes per parameter for mixed-precision AdamW training:
#: bf16 weights (2) + bf16 grads (2) + fp32 master weights (4) + Adam m and v (4 + 4)
TRAINING_BYTES_PER_PARAM = 16


#: display text of :func:`chinchilla_optimal_tokens` (r = tokens per parameter)
CHINCHILLA_TOKENS_FORMULA = "D_opt = r · N"


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


class CapabilityTier:
    """A §17.60 capability tier: its short ``name`` ("above 1B") and what it means (``description``)."""

    __slots__ = ("min_params", "name", "description")

    def __init__(self, min_params: float, name: str, description: str):
        self.min_params = min_params
        self.name = name
        self.description = description

    def __str__(self) -> str:
        return f"{self.name} — {self.description}"

    def __repr__(self) -> str:
        return f"CapabilityTier({self.min_params!r}, {self.name!r}, {self.description!r})"


#: capability tiers by model size, largest first
EMERGENCE_TIERS = (
    CapabilityTier(1e11, "above 100B", "strong reasoning capabilities expected"),
    CapabilityTier(1e10, "above 10B", "most emergent capabilities present"),
    CapabilityTier(1e9, "above 1B", "basic instruction-following, not strong reasoning"),
    CapabilityTier(1e8, "above 100M", "useful for narrow tasks, no emergence"),
    CapabilityTier(0.0, "below 100M", "domain-specific tasks only"),
)


def emergence_tier(n_params: float) -> CapabilityTier:
    """§17.60 Capability tier by model size (heuristic after Wei et al. 2022).

    Tiers at 10^8, 10^9, 10^10 and 10^11 parameters. Evidence: exploratory (heuristic) — tiers
    are coarse and depend on data and training, not size alone.
    """
    for tier in EMERGENCE_TIERS:
        if n_params >= tier.min_params:
            return tier
    return EMERGENCE_TIERS[-1]


# ── pre-training token gate (aprender PR #1708, reference ``aprender-1708``) ─────────────────
#: D/N below which the audited gate of aprender PR #1708 blocks the run unless forced
TOKEN_GATE_BLOCK_RATIO = 10.0
#: D/N below which the model memorises rather than generalises (aprender PR #1708: SEVERE)
TOKEN_GATE_SEVERE_RATIO = 5.0


def training_tokens(num_steps: int, batch_size: int, seq_length: int) -> int | None:
    """Training tokens D = num_steps × batch_size × seq_length, exactly (tokens).

    batch_size in sequences per optimizer step, seq_length in tokens per sequence.
    Domain: integers ≥ 0; ``None`` otherwise. Source: aprender PR #1708 (the Chinchilla gate).
    Evidence: exact (counts tokens processed, including repeats of the same data).
    """
    values = (num_steps, batch_size, seq_length)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return None
    return num_steps * batch_size * seq_length


def steps_to_reach_tokens(target_tokens: float, tokens_per_step: int) -> int | None:
    """The fewest optimizer steps that process at least ``target_tokens``: ⌈D_target / (batch·seq)⌉ (steps).

    Exact: a float target is converted to its exact rational value before the
    ceiling, so no rounding can land one step short. Domain: finite target ≥ 0,
    integer tokens_per_step ≥ 1; ``None`` otherwise. Source: aprender PR #1708 (the suggested
    ``--num-steps``). Evidence: exact.
    """
    from fractions import Fraction

    if not (isinstance(tokens_per_step, int) and not isinstance(tokens_per_step, bool) and tokens_per_step >= 1):
        return None
    if isinstance(target_tokens, bool) or not isinstance(target_tokens, (int, float)):
        return None
    if not math.isfinite(target_tokens) or target_tokens < 0:
        return None
    return math.ceil(Fraction(target_tokens) / tokens_per_step)


def token_gate_label(
    tokens_per_param: float,
    optimal_ratio: float = CHINCHILLA_TOKENS_PER_PARAM,
    block_ratio: float = TOKEN_GATE_BLOCK_RATIO,
    severe_ratio: float = TOKEN_GATE_SEVERE_RATIO,
) -> str | None:
    """The gate's band for D/N: SEVERE (< 5), BLOCKED (< 10), BELOW-OPTIMAL (< 20), else COMPUTE-OPTIMAL.

    aprender PR #1708: the PR warns below 20·N (BELOW-OPTIMAL) and below 5·N (SEVERE: the
    model memorises, not generalises); its audit makes < 10·N a hard block unless
    forced. Domain: D/N ≥ 0 and 0 ≤ severe ≤ block ≤ optimal; ``None`` otherwise.
    Evidence: heuristic thresholds around the validated Chinchilla optimum (Hoffmann
    et al. 2022).
    """
    if tokens_per_param is None or tokens_per_param < 0 or not 0 <= severe_ratio <= block_ratio <= optimal_ratio:
        return None
    if tokens_per_param < severe_ratio:
        return "SEVERE"
    if tokens_per_param < block_ratio:
        return "BLOCKED"
    if tokens_per_param < optimal_ratio:
        return "BELOW-OPTIMAL"
    return "COMPUTE-OPTIMAL"
