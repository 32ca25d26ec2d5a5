"""Published capability floors of small code language models.

The smallest published models with a non-zero reported HumanEval pass@1, as the
``floor_oracle`` seed lists them (shared/seeds/000): parameters, pre-training
tokens, the arXiv id of the paper, and the reported pass@1 in percent. The seed
typed them from the papers ("a transcription slip is possible"); they are kept here
exactly as the seed has them. Row order is display order.
"""
from __future__ import annotations

SOURCE = ("floor_oracle seed (shared/seeds/000, core.rs floors()), typed from the paper; "
          "reported HumanEval pass@1 after pre-training")
AS_OF = "2026-06-14"

FLOORS = (
    {"name": "TinyCodeLM-150M", "params": 150_000_000, "tokens": 72_000_000_000, "arxiv": "2410.02749",
     "reported_pass1_pct": 6.1, "source": SOURCE, "as_of": AS_OF},
    {"name": "TinyCodeLM-400M", "params": 400_000_000, "tokens": 72_000_000_000, "arxiv": "2410.02749",
     "reported_pass1_pct": 6.7, "source": SOURCE, "as_of": AS_OF},
    {"name": "phi-1-small-350M", "params": 350_000_000, "tokens": 7_000_000_000, "arxiv": "2306.11644",
     "reported_pass1_pct": 45.0, "source": SOURCE, "as_of": AS_OF},
    {"name": "SmolLM-135M", "params": 135_000_000, "tokens": 12_000_000_000, "arxiv": "2502.02737",
     "reported_pass1_pct": 16.0, "source": SOURCE, "as_of": AS_OF},
)
