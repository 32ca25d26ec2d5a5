"""Build the model catalog (taf/data/catalog_data.py) from real config.json files and their sources.

Developer tool, not part of the package and not run by the tests. It reads
``tests/fixtures/configs/MANIFEST.json`` (every fixture with a Hugging Face id) and
``file`` (the config.json: a test fixture under tests/fixtures/configs/, or a file fetched from
a public repository into tools/catalog/configs/, which git ignores), ``source`` (repository +
path + commit, or the Hugging Face URL), ``as_of`` (the date the source was checked), and
optionally ``featured`` (a seed preset), ``aliases`` and ``facts`` (curated corrections, each
with its own source) — and writes each model's config trimmed to the keys the config reader
reads (tools/catalog_trim.py), checking that the trimmed config gives the same record as the
whole file. Run from the repository root:

    python3 tools/build_catalog.py [FIXTURES_DIR]   # writes taf/data/catalog_data.py, prints its size
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from catalog_trim import trim_candidates  # noqa: E402
from taf.model.record import record_from_config  # noqa: E402

SOURCES = ROOT / "tools" / "catalog" / "SOURCES.json"
FIXTURES = ROOT / "tests" / "fixtures" / "configs"
OUT = ROOT / "taf" / "data" / "catalog_data.py"
FIELDS = ("id", "label", "family", "total_params", "active_params", "featured", "aliases", "config", "source",
          "as_of", "facts")


def architecture(record) -> tuple:
    summary = {k: v for k, v in record.summary().items() if k not in ("id", "label")}
    return (json.dumps(summary, sort_keys=True), record.layers, record.tensors, record.preset_kv)


def rows(fixtures: Path) -> list[dict]:
    """Every model with a config file and a source: the fixture manifest, then SOURCES' extra and legacy rows."""
    sources = json.loads(SOURCES.read_text())
    out: list[dict] = []
    manifest_path = fixtures / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for name, m in sorted(manifest.items()):
        if not m.get("hf_id") or any(r["id"] == m["hf_id"] for r in out):
            continue  # no released model, or a second copy of one (phi-2 and phi-2-transformers)
        source = {k: m[k] for k in ("repo", "path", "commit", "url", "revision", "note") if m.get(k)}
        out.append({"id": m["hf_id"], "file": fixtures / f"{name}.json", "source": source,
                    "as_of": m.get("checked") or m.get("as_of")})
    known = {r["id"] for r in out}
    for row in sources["extra"] + sources["legacy"]:
        if row["id"] not in known:
            out.append(dict(row, file=ROOT / row["file"]))
            known.add(row["id"])
    return out


def build(fixtures: Path = FIXTURES) -> list[dict]:
    sources = json.loads(SOURCES.read_text())
    featured = set(sources["featured"])
    out, skipped = [], []
    for row in rows(fixtures):
        config = json.loads(Path(row["file"]).read_text())
        try:
            full = record_from_config(config)
        except Exception as exc:  # noqa: BLE001 - a developer report, not package code
            skipped.append(f"{row['id']}: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if not full.exact:
            skipped.append(f"{row['id']}: read with the generic rules (family not known)")
            continue
        trimmed = None
        for candidate in trim_candidates(config):
            try:
                if architecture(record_from_config(candidate)) == architecture(full):
                    trimmed = candidate
                    break
            except Exception:  # noqa: BLE001 - a too-fine trim the reader refuses: try a coarser one
                continue
        if trimmed is None:
            raise SystemExit(f"{row['id']}: no trimmed config gives the same record")
        for key in ("source", "as_of"):
            if not row.get(key):
                raise SystemExit(f"{row['id']}: no {key}")
        entry = {
            "id": row["id"],
            "label": row["id"].split("/")[-1],
            "family": full.family,
            "total_params": full.total_params,
            "active_params": full.active_params,
            "config": trimmed,
            "source": row["source"],
            "as_of": row["as_of"],
        }
        if row["id"] in featured:
            entry["featured"] = True
        if sources["aliases"].get(row["id"]):
            entry["aliases"] = sources["aliases"][row["id"]]
        if sources["facts"].get(row["id"]):
            entry["facts"] = sources["facts"][row["id"]]
        out.append({k: entry[k] for k in FIELDS if k in entry})
    missing = featured - {e["id"] for e in out}
    if missing:
        raise SystemExit(f"featured models missing from the catalog: {sorted(missing)}")
    for line in skipped:
        print("skipped", line)
    out.sort(key=lambda e: e["id"].lower())
    return out


def main() -> None:
    fixtures = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES
    models = build(fixtures)
    text = json.dumps({"schema": 1, "models": models}, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text('"""The model catalog as compact JSON (generated by tools/build_catalog.py; do not edit).\n\n'
                   "Each model: id, label, family, total/active parameters, its config.json trimmed to the keys\n"
                   "the config reader reads, source, date checked, curated facts. Parsed on first use by\n"
                   '``taf.model.catalog``."""\n\n'  # the blank line ruff format wants
                   f"CATALOG_JSON = {text!r}\n", encoding="utf-8")
    raw = OUT.read_bytes()
    print(f"{len(models)} models; {OUT.relative_to(ROOT)}: {len(raw):,} bytes, gzip -9 {len(gzip.compress(raw, 9)):,} bytes")


if __name__ == "__main__":
    main()
