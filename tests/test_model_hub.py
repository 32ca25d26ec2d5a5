"""Any model by its Hugging Face id (issue 11): `taf model org/name` fetches config.json only when asked.

The requests never leave this machine: a local HTTP server on 127.0.0.1 plays huggingface.co (serving
fixtures, 401, 403, 404), or the opener is replaced; an unreachable address plays "offline".
"""
import http.server
import json
import threading
import urllib.request
from pathlib import Path

import pytest

import taf
from taf import cli
from taf.model import hub
from taf.params import ParamError

CONFIGS = Path(__file__).parent / "fixtures" / "configs"
SERVED = {"Qwen/Qwen3-30B-A3B": CONFIGS / "qwen3-30b-a3b.json",
          "mistralai/Mistral-7B-v0.1": CONFIGS / "mistral-7b-v0.1.json"}
STATUS = {"meta-llama/Gated-Model": 401, "org/private-model": 403}


class FakeHub(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        FakeHub.seen.append(self.path)
        for model_id, path in SERVED.items():
            if self.path == f"/{model_id}/resolve/main/config.json":
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        for model_id, status in STATUS.items():
            if self.path.startswith(f"/{model_id}/"):
                self.send_error(status)
                return
        self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fake_hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def opener(request, timeout):
        assert request.full_url.startswith(hub.HUB + "/")
        return urllib.request.urlopen(request.full_url.replace(hub.HUB, base), timeout=timeout)

    yield opener
    server.shutdown()


@pytest.fixture
def cli_hub(monkeypatch, fake_hub):
    """The CLI's fetch goes to the local fake hub."""
    real = hub.fetch_config
    monkeypatch.setattr(hub, "fetch_config", lambda model_id, revision="main": real(model_id, revision, fake_hub))


def test_config_url():
    assert hub.config_url("Qwen/Qwen3-8B") == "https://huggingface.co/Qwen/Qwen3-8B/resolve/main/config.json"
    assert hub.config_url("a/b", "v1.0") == "https://huggingface.co/a/b/resolve/v1.0/config.json"
    for bad in ("Qwen3-8B", "a/b/c", "../x", "a/..", "a b/c", "", None, 5, "a/" + "x" * 200):
        with pytest.raises(ParamError) as exc:
            hub.config_url(bad)
        assert exc.value.error["code"] == "invalid_value" and exc.value.error["param"] == "model"
    assert json.loads(hub.config_url_json("Qwen/Qwen3-8B"))["url"].endswith("/Qwen/Qwen3-8B/resolve/main/config.json")
    assert json.loads(hub.config_url_json("nope"))["error"]["code"] == "invalid_value"


def test_fetch_serves_the_config(fake_hub):
    text = hub.fetch_config("Qwen/Qwen3-30B-A3B", opener=fake_hub)
    assert text == SERVED["Qwen/Qwen3-30B-A3B"].read_text()


@pytest.mark.parametrize("model_id, status, kind, words", [
    ("meta-llama/Gated-Model", 401, "gated_or_private", "gated or private"),
    ("org/private-model", 403, "gated_or_private", "gated or private"),
    ("org/missing", 404, "not_found", "no config.json"),
])
def test_fetch_errors_say_to_download_or_paste(fake_hub, model_id, status, kind, words):
    with pytest.raises(ParamError) as exc:
        hub.fetch_config(model_id, opener=fake_hub)
    e = exc.value.error
    assert e["code"] == "invalid_value" and e["param"] == "model" and e["status"] == status and e["fetch"] == kind
    assert words in e["message"] and "download config.json" in e["message"] and "paste it" in e["message"]
    assert e["message"].count(". ") == 0  # one sentence
    assert json.loads(hub.fetch_error_json(model_id, status))["error"]["message"] == e["message"]


def test_offline_is_a_clear_error():
    def offline(request, timeout):
        # nothing listens on port 9 of the loopback address: the connection is refused
        return urllib.request.urlopen("http://127.0.0.1:9/", timeout=timeout)
    with pytest.raises(ParamError) as exc:
        hub.fetch_config("Qwen/Qwen3-8B", opener=offline)
    e = exc.value.error
    assert e["fetch"] == "unreachable" and "offline" in e["message"] and "download config.json" in e["message"]


def test_cli_model_by_id_fetches_and_errors_exit_2(cli_hub, capsys):
    FakeHub.seen.clear()
    assert cli.main(["model", "Qwen/Qwen3-30B-A3B", "--json"]) == 0
    fetched = capsys.readouterr().out
    assert FakeHub.seen == ["/Qwen/Qwen3-30B-A3B/resolve/main/config.json"]
    assert cli.main(["model", str(SERVED["Qwen/Qwen3-30B-A3B"]), "--json"]) == 0
    pasted = capsys.readouterr().out
    assert fetched == pasted  # byte-identical M-1 result
    assert json.loads(fetched)["chain"][2]["result"] == 30_532_122_624
    for model_id in ("org/private-model", "meta-llama/Gated-Model", "org/missing"):
        assert cli.main(["model", model_id]) == 2
        err = capsys.readouterr().err
        assert err.startswith("taf: error: ") and "download config.json" in err and err.count("\n") == 1


def test_catalog_pasted_and_fetched_give_the_same_result(fake_hub):
    model_id = "Qwen/Qwen3-30B-A3B"
    fetched = hub.fetch_config(model_id, opener=fake_hub)
    pasted = SERVED[model_id].read_text()
    for recipe, extra in (("X-5", {"T_eval": 32768}), ("X-2", {"T_eval": 16000}), ("X-19", {})):
        by_catalog = json.loads(taf.run_recipe_json(recipe, json.dumps({"preset": model_id, **extra})))
        by_paste = json.loads(taf.run_recipe_json(recipe, json.dumps({"config": pasted, **extra})))
        by_fetch = json.loads(taf.run_recipe_json(recipe, json.dumps({"config": fetched, **extra})))
        # the catalog result names its model ("preset"); the configs are anonymous; all else is byte-identical
        assert by_catalog.pop("preset") == model_id
        dump = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert dump(by_catalog) == dump(by_paste) == dump(by_fetch)


def test_nothing_is_requested_without_asking(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request was made")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    taf.run_recipe("X-5", preset="Qwen/Qwen3-30B-A3B")
    taf.run_recipe("M-1", config=SERVED["Qwen/Qwen3-30B-A3B"].read_text())
    taf.search_models("qwen")
    assert cli.main(["model", str(SERVED["Qwen/Qwen3-30B-A3B"])]) == 0
