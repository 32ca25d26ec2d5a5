"""The landing view of the page (the bare URL): the questions this tool answers, in plain words,
grouped, each opening its recipe on a worked example whose result is pre-computed at build time.

The landing is generated from the recipe metadata (``taf.list_recipes()``: id, name, description,
category) plus the small list of worked examples below, so a new recipe slots in: it lands in the
group of its category (or of its id's letter: S-… serve, T-… train) with its own description as
the question, opening on its worked example, or — when it has none — on its first preset or its
defaults. tests/browser/test_page_landing.py checks that every card opens a result, not an error.

Used by scripts/build_site.py (``landing_states`` → the pre-computed set, ``landing_groups`` →
the template).
"""
from __future__ import annotations

#: the landing's groups, in order: (key, heading, one line on what the group is about)
GROUPS = (
    ("serve", "Serve it", "Memory, speed and cost of running a model for your users."),
    ("train", "Train it", "What a budget buys, whether to train at all, and whether the tokens suffice."),
    ("context", "Long context", "Will a model hold the context length you need, and what the KV cache costs."),
    ("evaluate", "Evaluate it", "Can your eval tell the difference; does a claimed improvement hold."),
    ("model", "Know your model", "Its exact size and KV cache from config.json, its TAF card, side-by-side comparisons."),
)

#: a recipe category → its landing group (a new category falls back on the id's letter, then "model")
CATEGORY_GROUP = {
    "serving": "serve", "quantization": "serve", "inference": "serve",
    "build-vs-buy": "train", "training-budget": "train", "pre-training": "train", "training": "train",
    "long-context": "context", "kv-compression": "context",
    "evaluation": "evaluate", "scale-floor": "evaluate",
    "diagnostic": "model", "model": "model",
}
#: where a recipe's category does not say it well
RECIPE_GROUP = {"P-1": "evaluate", "X-21": "context"}
#: recipe id letter → group, for recipes whose category is not listed above
LETTER_GROUP = {"S": "serve", "T": "train", "E": "evaluate"}

LLAMA = "meta-llama/Meta-Llama-3-8B"

#: worked examples: the question in plain words, and the state the card opens. A card per entry;
#: entries naming a recipe or preset that is not registered are skipped (never a broken build).
WORKED = (
    {"question": "Will Llama-3-8B fit on a 24 GB RTX 4090 at 8K context?", "view": "recipe", "recipe": "S-1",
     "preset": LLAMA, "params": {"context_tokens": "8192", "gpu": "nvidia-rtx-4090"},
     "example": "Llama-3-8B in bf16 with vLLM, 8,192 tokens, one RTX 4090"},
    {"question": "How fast will Llama-3-8B answer, and how many users can one H100 serve?", "view": "recipe",
     "recipe": "S-2", "preset": LLAMA, "params": {}, "example": "Llama-3-8B in bf16 with vLLM on one H100"},
    {"question": "Can I fine-tune Llama-3-8B with LoRA on one GPU?", "view": "recipe", "recipe": "T-1",
     "params": {"model": LLAMA, "method": "lora"}, "example": "Llama-3-8B, LoRA rank 16, one H100"},
    {"question": "Which GPU serves Llama-3-8B cheapest?", "view": "recipe", "recipe": "X-5",
     "preset": LLAMA, "params": {}},
    {"question": "How big is a quantized model once compressed, and does it fit its byte budget?", "view": "recipe",
     "recipe": "Q-1", "params": {"matrix_params": "30000000", "embed_params": "4194304"},
     "example": "30 M matrix weights, 4.19 M embedding weights"},
    {"question": "Should I train an 8B model of my own or pay for an API?", "view": "recipe", "recipe": "X-1",
     "params": {"N_params": "8B"}, "example": "an 8 B model at 10 M tokens a month"},
    {"question": "What can I train for $5,000?", "view": "recipe", "recipe": "X-3",
     "params": {"USD_budget": "5000", "n_gpus": "2"}, "example": "$5,000 on two GPUs"},
    {"question": "Am I training on too few tokens for my model size?", "view": "recipe", "recipe": "G-1",
     "params": {"n_params": "494032768", "num_steps": "2700", "batch_size": "4", "seq_length": "2048"},
     "example": "a 0.49 B model, 2,700 steps of 4 × 2,048 tokens"},
    {"question": "Will Llama-3-8B hold 32,000 tokens of context?", "view": "recipe", "recipe": "X-2",
     "preset": LLAMA, "params": {"T_eval": "32000"}},
    {"question": "How should I compress the KV cache at 64K tokens?", "view": "recipe", "recipe": "X-19",
     "preset": LLAMA, "params": {"T_eval": "64000"}},
    {"question": "How clean is the model's RoPE imprint?", "view": "recipe", "recipe": "X-21",
     "preset": LLAMA, "params": {}},
    {"question": "Can an eval of 16 problems with 4 solved tell anything?", "view": "recipe", "recipe": "E-1",
     "params": {"n": "16", "c": "4"}, "example": "16 problems, 4 solved"},
    {"question": "Does a new record beat the baseline, over five seeds?", "view": "recipe", "recipe": "R-1",
     "params": {"run_bpb": "1.08035,1.08097,1.08127,1.08060,1.08135", "baseline_bpb": "1.08563",
                "nats_per_bpb": "2.5831"}, "example": "five seeds against a 1.08563 bpb baseline"},
    {"question": "Do Int4 and Int8 outputs stay within their mismatch bounds?", "view": "recipe", "recipe": "P-1",
     "params": {"int4_mismatches": "0,2,5,1", "int8_mismatches": "0,1,2,0"}, "example": "four prompts"},
    {"question": "How far below the published floors is a tiny model, and can its eval tell?", "view": "recipe",
     "recipe": "F-1", "params": {"vocab_size": "263", "max_seq_len": "512", "d_model": "128", "n_layers": "2",
                                 "corpus_tokens": "72071", "eval_n": "16"},
     "example": "a 2-layer, d_model 128 model on 72 K tokens"},
    {"question": "Does Llama-3-8B's γ fit the compute-context invariant?", "view": "recipe", "recipe": "X-22",
     "preset": LLAMA, "params": {"gamma_obs": "0.85"}},
    {"question": "Is a 1B model past its induction-head phase?", "view": "recipe", "recipe": "X-23",
     "params": {"n_params": "1B"}, "example": "a 1 B model"},
    {"question": "Everything this tool says about one model (its TAF card)", "group": "model", "view": "profile",
     "preset": "mistralai/Mistral-7B-v0.1", "params": {}},
    {"question": "Three 7–8B models at 32K context, side by side", "group": "model", "view": "compare",
     "recipe": "X-2", "models": [LLAMA, "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2.5-7B"], "params": {"T_eval": "32000"},
     "example": "Llama-3-8B, Mistral-7B, Qwen2.5-7B"},
)


def group_of(recipe: dict) -> str:
    """The landing group of a recipe (see CATEGORY_GROUP, RECIPE_GROUP, LETTER_GROUP)."""
    rid = recipe["id"]
    if rid in RECIPE_GROUP:
        return RECIPE_GROUP[rid]
    if recipe.get("category") in CATEGORY_GROUP:
        return CATEGORY_GROUP[recipe["category"]]
    return LETTER_GROUP.get(rid[:1], "model")


def _fits(state: dict, recipes: dict, preset_ids: set) -> bool:
    if state.get("recipe") and state["recipe"] not in recipes:
        return False
    if state.get("preset") and state["preset"] not in preset_ids:
        return False
    if any(m not in preset_ids for m in state.get("models", ())):
        return False
    if state.get("view") == "recipe":
        names = {p["name"] for p in recipes[state["recipe"]]["params"]}
        return all(k in names for k in state.get("params", {}))
    return True


def landing_states(recipes: list[dict], presets: list[dict], model_recipe: str | None) -> list[dict]:
    """Every card's state, in landing order: worked examples first, then one card per recipe that
    has none (its first preset when a preset fills it, else its defaults)."""
    by_id = {r["id"]: r for r in recipes}
    preset_ids = {p["id"] for p in presets}
    cards = []
    covered = set()
    for ex in WORKED:
        if not _fits(ex, by_id, preset_ids):
            continue
        cards.append(dict(ex))
        if ex["view"] == "recipe":
            covered.add(ex["recipe"])
    for recipe in recipes:
        rid = recipe["id"]
        if rid in covered or rid == model_recipe:
            continue
        state = {"question": recipe["description"], "view": "recipe", "recipe": rid, "params": {}}
        if recipe.get("uses_presets") and presets:
            state["preset"] = presets[0]["id"]
        cards.append(state)
    return cards


def _short_model(model_id: str) -> str:
    return model_id.rsplit("/", 1)[-1]


def example_words(card: dict) -> str:
    """The worked example in a few words (the card's second line)."""
    if card.get("example"):
        return card["example"]
    parts = []
    if card.get("preset"):
        parts.append(_short_model(card["preset"]))
    for k, v in card.get("params", {}).items():
        parts.append(f"{k} = {v}")
    return ", ".join(parts) or "its defaults"


def landing_groups(cards: list[dict], recipes: list[dict], results: dict[int, dict],
                   queries: list[str]) -> list[dict]:
    """The template's landing: ``[{key, title, blurb, cards: [{question, example, query, recipe,
    verdict, tone}]}]``; ``results[i]`` is the pre-computed result of ``cards[i]``."""
    by_id = {r["id"]: r for r in recipes}
    out = {key: {"key": key, "title": title, "blurb": blurb, "cards": []} for key, title, blurb in GROUPS}
    for i, card in enumerate(cards):
        result = results[i]
        if "error" in result:
            continue  # its example cannot be computed (yet): the landing never opens on an error
        if card["view"] == "recipe":
            recipe = by_id[card["recipe"]]
            group = card.get("group") or group_of(recipe)
            label = f"{recipe['id']} · {recipe['name']}"
        elif card["view"] == "profile":
            group, label = card.get("group", "model"), "Profile · TAF card"
        else:
            group, label = card.get("group", "model"), f"Compare · {card.get('recipe', '')}"
        if card["view"] == "recipe":
            verdict, tone = result.get("verdict", ""), result.get("tone", "neutral")
        elif card["view"] == "profile":
            verdict, tone = f"{len(result.get('recipes', []))} recipes", "neutral"
        else:
            verdict, tone = f"{len(result.get('rows', []))} models", "neutral"
        out[group]["cards"].append({"question": card["question"], "example": example_words(card),
                                    "recipe_id": card["recipe"] if card["view"] == "recipe" else None,
                                    "query": queries[i], "label": label, "verdict": verdict, "tone": tone})
    return [g for g in out.values() if g["cards"]]


def recipe_links(groups: list[dict]) -> dict[str, str]:
    """recipe id → the link of its first card (the recipe list opens each recipe on its example)."""
    links: dict[str, str] = {}
    for group in groups:
        for card in group["cards"]:
            if card["recipe_id"]:
                links.setdefault(card["recipe_id"], card["query"])
    return links
