"""Any model by its Hugging Face id: the config.json URL, and what to say when it cannot be fetched.

Nothing here runs on import and nothing is requested unless asked: the CLI's ``taf model org/name``
calls :func:`fetch_config` (standard-library ``urllib``); the page fetches the same URL itself on the
user's click and uses :func:`config_url` / :func:`fetch_error` for the address and the message, so both
say the same thing. Errors are :class:`~taf.params.ParamError` on the parameter ``model`` with one
sentence that says to download or paste the file instead (code ``invalid_value``; ``fetch`` says why:
gated_or_private, not_found, http_error or unreachable; ``status`` holds the HTTP status).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..params import ParamError, show

HUB = "https://huggingface.co"
#: a Hugging Face repository id: owner/name, letters, digits, '-', '_', '.' (no '..', no leading '.')
MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
#: the largest config.json accepted from the hub (real ones are a few KB; vision models tens of KB)
MAX_BYTES = 2_000_000
TIMEOUT_S = 20
PARAM = "model"


def is_model_id(text: Any) -> bool:
    """True for text shaped like a Hugging Face model id (``org/name``)."""
    return isinstance(text, str) and bool(MODEL_ID.match(text)) and ".." not in text


def config_url(model_id: Any, revision: str = "main") -> str:
    """https://huggingface.co/<id>/resolve/<revision>/config.json, or ``invalid_value`` for a bad id."""
    if not is_model_id(model_id):
        raise ParamError(
            "invalid_value",
            f"model = {show(model_id)} is not a Hugging Face model id: write it as owner/name, e.g. Qwen/Qwen3-8B.",
            param=PARAM,
        )
    if not isinstance(revision, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", revision):
        raise ParamError(
            "invalid_value", f"revision = {show(revision)} is not a branch, tag or commit name.", param="revision"
        )
    return f"{HUB}/{model_id}/resolve/{revision}/config.json"


def fetch_error(model_id: str, status: int | None = None, reason: str = "") -> ParamError:
    """The error for a failed fetch: HTTP ``status`` (401/403 gated or private, 404 missing, other), or none
    (offline / unreachable, with ``reason``). One sentence that says what to do instead."""
    instead = (
        "download config.json from the model's page and run `taf model path/to/config.json`, or paste it "
        "into the page's Model view"
    )
    if status in (401, 403):
        msg = (
            f"Hugging Face refused the config.json of {model_id} (HTTP {status}): the model is gated or private, "
            f"so {instead}."
        )
        kind = "gated_or_private"
    elif status == 404:
        msg = (
            f"Hugging Face has no config.json for {model_id} (HTTP 404): check the id (owner/name, as on the "
            f"model's page), or {instead}."
        )
        kind = "not_found"
    elif status is not None:
        msg = f"Hugging Face answered HTTP {status} for the config.json of {model_id}; try again later, or {instead}."
        kind = "http_error"
    else:
        why = f" ({reason})" if reason else ""
        msg = f"Could not reach huggingface.co for {model_id}{why}: you may be offline, so {instead}."
        kind = "unreachable"
    return ParamError("invalid_value", msg, param=PARAM, value=model_id, status=status, fetch=kind)


def fetch_config(model_id: str, revision: str = "main", opener: Callable | None = None) -> str:
    """The text of a model's config.json from the Hugging Face hub (only when called). ParamError on failure.

    ``opener(request, timeout=...)`` defaults to ``urllib.request.urlopen`` (tests pass their own).
    """
    import urllib.error
    import urllib.request

    url = config_url(model_id, revision)
    request = urllib.request.Request(
        url, headers={"User-Agent": "taf (config.json reader)", "Accept": "application/json"}
    )
    open_url = opener or urllib.request.urlopen
    try:
        with open_url(request, timeout=TIMEOUT_S) as response:
            status = getattr(response, "status", 200)
            if status != 200:
                raise fetch_error(model_id, status)
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise fetch_error(model_id, err.code) from None
    except urllib.error.URLError as err:
        raise fetch_error(model_id, None, str(getattr(err, "reason", err))[:120]) from None
    except (TimeoutError, OSError) as err:
        raise fetch_error(model_id, None, f"{type(err).__name__}: {str(err)[:100]}") from None
    if len(data) > MAX_BYTES:
        raise ParamError(
            "invalid_value",
            f"The config.json of {model_id} is larger than {MAX_BYTES:,} bytes, which "
            "no model config is; download it and check it.",
            param=PARAM,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParamError("invalid_value", f"The config.json of {model_id} is not UTF-8 text.", param=PARAM) from None


def config_url_json(model_id: Any, revision: str = "main") -> str:
    """For the page's worker: ``{"url": ...}`` or ``{"error": ...}`` as strict JSON text. Never raises."""
    try:
        return json.dumps({"url": config_url(model_id, revision)})
    except ParamError as err:
        return json.dumps(err.as_result(), ensure_ascii=False)


def fetch_error_json(model_id: Any, status: Any = None, reason: Any = "") -> str:
    """For the page's worker: the same ``{"error": ...}`` the CLI prints for a failed fetch. Never raises."""
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    reason = reason if isinstance(reason, str) else ""
    return json.dumps(fetch_error(str(model_id)[:200], status, reason[:120]).as_result(), ensure_ascii=False)
