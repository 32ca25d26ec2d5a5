"""Reading a page link: one query string → the view, recipe, models and canonical parameters.

The page (``web/app.js``, through its Python worker) calls :func:`read_link_json` with
``location.search``; the rules are the command line's, through the same :class:`~taf.params.Param`
parsers: booleans ``yes/no/true/false/1/0/on/off`` (any case) become ``true``/``false``, choices
match case-insensitively or by their canonical name and come back canonical (``gpu=a100 80gb`` →
``A100 80GB``, ``api_model=gpt-4o-mini`` → ``GPT-4o-mini``), numbers keep the text the user wrote
once it parses (``32k`` stays ``32k``). What is not understood is never dropped silently and never
replaced: it comes back in ``errors``, one structured error per field (the codes of SPEC §3) —
an unknown recipe, view or model, an unknown key (``__proto__`` too), a value given twice, a value
that does not parse.

The link's keys: ``view`` (recipe, profile, compare, model; absent with no ``r`` = the landing),
``r`` (recipe id), ``preset`` (recipe and profile), ``m`` (compare, one per model, repeated) and
the parameters by name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from .params import Param, ParamError, show, suggest_name, text_problem
from .request_key import MODEL_RECIPE  # the recipe the Model view runs

#: the page's views; ``None`` (no ``view`` and no ``r``) is the landing
VIEWS = ("recipe", "profile", "compare", "model")
#: keys the page reserves for its own state (never a parameter name)
RESERVED_KEYS = ("view", "r", "preset", "m")
#: a link longer than this is not read (a browser keeps URLs well below it)
MAX_QUERY_CHARS = 2_000_000
#: parameters whose text (a pasted config.json) never goes in the query: a link carries it in its fragment
#: (``#config=…``), which browsers never send to a server, and only up to PRIVATE_LINK_MAX characters
PRIVATE_PARAMS = ("config",)
PRIVATE_LINK_MAX = 100_000


def _split_query(query: str) -> list[tuple[str, str]]:
    """``a=1&b=x%20y`` → [("a", "1"), ("b", "x y")], decoded as ``URLSearchParams`` does."""
    if query.startswith("?"):
        query = query[1:]
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote_plus(key, errors="replace"), unquote_plus(value, errors="replace")))
    return pairs


def canonical_text(param: Param, value: Any, raw: str) -> str:
    """The text a link keeps for a parsed value: booleans and choices canonical, the rest as typed."""
    if param.type == "bool":
        return "true" if value else "false"
    if param.type == "choice":
        return value
    return raw.strip()


def _error(err: ParamError, **extra: Any) -> dict:
    out = dict(err.error)
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def _link_error(code: str, message: str, param: str, value: Any = None, **extra: Any) -> dict:
    return ParamError(code, message, param=param, value=value, **extra).error


def read_link(query: Any) -> dict:
    """Read a page link's query string (``"?r=X-2&T_eval=32k"``, with or without ``?``).

    Returns ``{"view", "recipe", "preset", "models", "params", "errors", "query", "notes"}``:

    - ``view``: one of :data:`VIEWS`, or ``None`` for the landing (no ``view`` and no ``r``);
    - ``recipe``: the canonical recipe id (``"X-2"``), ``"M-1"`` for the Model view, else ``None``;
    - ``preset``: the canonical preset id or ``None``; ``models``: the canonical preset ids of
      Compare's ``m=`` keys, in order;
    - ``params``: ``{name: canonical text}`` for every parameter understood, in link order;
    - ``errors``: structured errors (``code``, ``message``, ``param``, ``value`` …) for everything
      not understood — none of it is in ``params``, ``preset``, ``models`` or ``query``;
    - ``query``: the canonical link query (``?r=X-2&T_eval=32k``), what the page keeps in its URL;
    - ``notes``: ``{name: rule}`` for values typed with a multiplier or unit (``"k = 1,000; write 32768
      for 2¹⁵"``), as :func:`taf.input_notes` gives them.

    Never raises.
    """
    from .registry import guarded

    out = guarded(lambda: _read(query))
    if "error" in out:  # only a query that is not text at all gets here
        return _nothing_read([out["error"]])
    return out


def read_link_json(query: Any) -> str:
    """Strict JSON text of :func:`read_link`. Never raises."""
    from .registry import dumps

    return dumps(read_link(query))


def _nothing_read(errors: list[dict]) -> dict[str, Any]:
    """A link reading before (or instead of) anything read: no view, no parameters, these errors."""
    return {
        "view": None,
        "recipe": None,
        "preset": None,
        "models": [],
        "params": {},
        "errors": errors,
        "query": "",
        "notes": {},
    }


def _read(query: Any) -> dict:
    errors: list[dict] = []
    result = _nothing_read(errors)
    if not isinstance(query, str):
        raise ParamError("invalid_value", f"A link's query must be text, got {show(query)}.", param="query")
    if len(query) > MAX_QUERY_CHARS:
        errors.append(
            _link_error(
                "invalid_value",
                f"The link is {len(query):,} characters long; links are read up to {MAX_QUERY_CHARS:,} characters.",
                "query",
            )
        )
        return result
    pairs = []
    for key, value in _split_query(query):
        problem = text_problem(key) or text_problem(value)
        if problem:
            errors.append(
                _link_error(
                    "invalid_value", f"The link's {show(key)} = {show(value)} is not valid: {problem}.", key, value
                )
            )
        else:
            pairs.append((key, value))
    seen: dict[str, str] = {}
    models: list[str] = []
    for key, value in pairs:
        if key == "m":
            models.append(value)
        elif key in seen:
            errors.append(
                _link_error(
                    "invalid_value",
                    f"The link gives {key} twice ({show(seen[key])} and {show(value)}); give it once.",
                    key,
                    value,
                )
            )
        else:
            seen[key] = value
    view_text = seen.pop("view", None)
    recipe_text = seen.pop("r", None)
    preset_text = seen.pop("preset", None)

    # the view
    view: str | None
    if view_text is None or not view_text.strip():
        view = "recipe" if recipe_text is not None else None
    else:
        folded = view_text.strip().lower()
        view = folded if folded in VIEWS else None
        if view is None:
            errors.append(
                _link_error(
                    "unknown_choice",
                    f"view = {show(view_text)} is not a view of this page; allowed: {', '.join(VIEWS)}.",
                    "view",
                    view_text,
                    choices=list(VIEWS),
                )
            )
            view = "recipe" if recipe_text is not None else None
    result["view"] = view

    # the recipe
    from .registry import get_recipe, lookup_preset

    recipe = None
    if view == "model":
        recipe = get_recipe(MODEL_RECIPE)
        if recipe_text is not None and recipe_text.strip().upper() != MODEL_RECIPE:
            errors.append(
                _link_error(
                    "invalid_value",
                    f"r = {show(recipe_text)} does not apply: the Model view always runs {MODEL_RECIPE}.",
                    "r",
                    recipe_text,
                )
            )
    elif view in ("recipe", "compare"):
        if recipe_text is None or not recipe_text.strip():
            errors.append(
                _link_error("missing_param", f"The {view} view needs a recipe: add r=ID (for example r=X-2).", "r")
            )
        else:
            try:
                recipe = get_recipe(recipe_text)
            except ParamError as err:
                errors.append(_error(err, param="r"))
    elif recipe_text is not None:  # profile
        errors.append(
            _link_error(
                "unknown_param",
                f"r = {show(recipe_text)} does not apply: Profile runs every recipe for one model.",
                "r",
                recipe_text,
            )
        )
    result["recipe"] = recipe.id if recipe is not None else None

    # the model(s)
    if preset_text is not None and preset_text.strip():
        if view in ("recipe", "profile", "model") and (
            view != "model" or (recipe is not None and "preset" in recipe.param_names)
        ):
            try:
                result["preset"] = lookup_preset(preset_text)["id"]
            except ParamError as err:
                errors.append(_error(err))
        else:
            where = (
                "Compare takes its models as m=ID, one per model"
                if view == "compare"
                else "this view takes no preset"
                if view is not None
                else "the link names no recipe (add r=ID)"
            )
            errors.append(
                _link_error(
                    "unknown_param", f"preset = {show(preset_text)} does not apply: {where}.", "preset", preset_text
                )
            )
    if models:
        if view == "compare":
            for index, model in enumerate(models):
                try:
                    result["models"].append(lookup_preset(model)["id"])
                except ParamError as err:
                    errors.append(_error(err, param="m", position=index))
        else:
            errors.append(
                _link_error(
                    "unknown_param",
                    "m = model is a Compare key; this link is not a Compare (add view=compare).",
                    "m",
                    models[0],
                )
            )

    # the parameters
    declared = _declared_params(view, recipe)
    for key, value in seen.items():
        param = declared.get(key)
        if param is None:
            if view is None:
                errors.append(
                    _link_error(
                        "unknown_param",
                        f"The link sets {show(key)} but names no recipe; add r=ID (for example r=X-2).",
                        key,
                        value,
                    )
                )
                continue
            if view in ("recipe", "compare") and recipe is None:
                continue  # the unknown recipe is the error; its parameters cannot be checked
            names = list(declared)
            suggestion = suggest_name(key, names)
            hint = f" Did you mean {suggestion!r}?" if suggestion else ""
            owner = recipe.id if recipe is not None and view in ("recipe", "compare", "model") else "Profile"
            errors.append(
                _link_error(
                    "unknown_param",
                    f"{owner} has no parameter {show(key)}; it takes: {', '.join(names)}.{hint}",
                    key,
                    value,
                    suggestion=suggestion,
                )
            )
            continue
        if not value.strip():
            continue  # blank = not given, as in the form
        try:
            parsed = param.parse(value)
        except ParamError as err:
            errors.append(_error(err))
            continue
        result["params"][key] = canonical_text(param, parsed, value)
    result["query"] = _canonical_query(result)
    from .params import input_note

    result["notes"] = {k: note for k, v in result["params"].items() if (note := input_note(declared[k], v))}
    return result


def _declared_params(view: str | None, recipe) -> dict[str, Param]:
    """The parameters a view takes, by name (first declaration wins for Profile's union)."""
    if view in ("recipe", "compare", "model"):
        return {p.name: p for p in recipe.params} if recipe is not None else {}
    if view == "profile":
        from .registry import profile_declared

        return profile_declared()  # Profile takes every recipe's parameters (as taf.profile does)
    return {}


def encode_query_value(text: str) -> str:
    """``encodeURIComponent`` with ``/ , :`` kept readable (``enc`` in web/app.js)."""
    from urllib.parse import quote

    return quote(text, safe="!'()*~/,:")


def page_query(state: dict) -> str:
    """The canonical page link of a state ``{view, recipe, preset, models, params}``: ``view`` unless it
    is a recipe, ``r`` for a recipe or Compare, ``preset`` when given, ``m`` per model, then every
    parameter in order; a PRIVATE_PARAMS value goes after ``#`` (up to PRIVATE_LINK_MAX characters; a
    longer one is left out of the link). web/app.js ``stateToQuery`` writes the same (a browser test holds
    it to this function); scripts/build_site.py links with it."""
    view = state.get("view", "recipe")
    parts: list[tuple[str, str]] = []
    private: list[tuple[str, str]] = []
    if view != "recipe":
        parts.append(("view", view))
    if view in ("recipe", "compare") and state.get("recipe"):
        parts.append(("r", state["recipe"]))
    if state.get("preset"):
        parts.append(("preset", state["preset"]))
    parts += [("m", m) for m in state.get("models", ())]
    for name, value in state.get("params", {}).items():
        if name not in PRIVATE_PARAMS:
            parts.append((name, value))
        elif len(value) <= PRIVATE_LINK_MAX:
            private.append((name, value))

    def pairs(items: list[tuple[str, str]]) -> str:
        return "&".join(f"{encode_query_value(k)}={encode_query_value(v)}" for k, v in items)

    return "?" + pairs(parts) + ("#" + pairs(private) if private else "")


def _canonical_query(link: dict) -> str:
    if link["view"] is None:
        return ""
    query = page_query(link)
    return "" if query == "?" else query
