"""The one vocabulary for how well a formula or a step is supported.

- ``validated``: exact (an identity, exact arithmetic or algebra, a count) or replicated against
  measurements;
- ``exploratory``: a fit, heuristic or analogy that has not replicated, or was calibrated on the
  panel it is applied to;
- ``disabled``: a correction kept for the record but not applied (fit on too little data);
- ``tautology``: true by construction here, so it predicts nothing (e.g. d_horizon(θ, γ_Padé(θ, T)) = T).

Formula docstrings state ``Evidence: <status> (<why>)`` with one of these words first; step
``status`` fields and per-axis status fields use only these words (or ``None`` when a correction
does not apply).
"""

from __future__ import annotations

VALIDATED = "validated"
EXPLORATORY = "exploratory"
DISABLED = "disabled"
TAUTOLOGY = "tautology"

#: every evidence status, strongest first
STATUSES = (VALIDATED, EXPLORATORY, DISABLED, TAUTOLOGY)

#: words older docstrings and the TAF module used, mapped onto the vocabulary
SYNONYMS = {
    "exact": VALIDATED,
    "exact arithmetic": VALIDATED,
    "exact algebra": VALIDATED,
    "exact method": VALIDATED,
    "replicates": VALIDATED,
    "heuristic": EXPLORATORY,
    "tentative": EXPLORATORY,
    "exploratory_no_replication": EXPLORATORY,
    "exploratory_n1_disabled": DISABLED,
    "correlational": EXPLORATORY,
}


def status_of(word: str) -> str:
    """The vocabulary word for ``word`` (itself when already one); ``ValueError`` otherwise."""
    if word in STATUSES:
        return word
    try:
        return SYNONYMS[word]
    except KeyError:
        raise ValueError(f"evidence word {word!r} is not one of {STATUSES} nor a known synonym") from None
