"""Published capability floors of small code language models.

The smallest published models with a non-zero reported HumanEval pass@1: parameters,
pre-training tokens, the arXiv id of the paper, and the reported pass@1 in percent, as the
floor_oracle tool lists them (reference ``floor-oracle``, which typed them from the papers;
"a transcription slip is possible"). Each row's ``source`` is the paper's arXiv page, where the
figure can be checked; ``as_of`` is the date floor_oracle recorded the table. Row order is
display order.
"""

from __future__ import annotations

#: the date floor_oracle (2026-06-14) recorded the table
AS_OF = "2026-06-14"


def _row(name, params, tokens, arxiv, reported_pass1_pct, paper_ref):
    return {
        "name": name,
        "params": params,
        "tokens": tokens,
        "arxiv": arxiv,
        "reported_pass1_pct": reported_pass1_pct,
        "source": f"https://arxiv.org/abs/{arxiv}",
        "refs": [paper_ref, "floor-oracle"],
        "as_of": AS_OF,
    }


FLOORS = (
    _row("TinyCodeLM-150M", 150_000_000, 72_000_000_000, "2410.02749", 6.1, "tinycodelm"),
    _row("TinyCodeLM-400M", 400_000_000, 72_000_000_000, "2410.02749", 6.7, "tinycodelm"),
    _row("phi-1-small-350M", 350_000_000, 7_000_000_000, "2306.11644", 45.0, "phi1"),
    _row("SmolLM-135M", 135_000_000, 12_000_000_000, "2502.02737", 16.0, "smollm2"),
)
