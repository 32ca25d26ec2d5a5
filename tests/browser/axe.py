"""axe-core for the browser tests: the npm package at a pinned version, fetched once with
``npm pack``, checked against its pinned integrity hash and cached in ``.cache/npm/``.

    python3 tests/browser/axe.py      # fetch it (make test does this), prints the cached path

The tests run ``axe.run()`` in the page (tests/browser/test_page_a11y.py).
"""
from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "npm"
AXE_VERSION = "4.14.1"
#: ``npm view axe-core@4.14.1 dist.integrity``
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def axe_tarball(cache: Path = CACHE) -> Path:
    """The verified ``axe-core-<AXE_VERSION>.tgz``, from the cache or ``npm pack``."""
    tgz = cache / f"axe-core-{AXE_VERSION}.tgz"
    if tgz.exists() and _integrity(tgz.read_bytes()) == AXE_INTEGRITY:
        return tgz
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed once to fetch axe-core for the accessibility tests (apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", tmp, "--silent"],
                       check=True, capture_output=True, timeout=300)
        got = Path(tmp) / f"axe-core-{AXE_VERSION}.tgz"
        data = got.read_bytes()
        if _integrity(data) != AXE_INTEGRITY:
            raise RuntimeError(f"axe-core {AXE_VERSION} from npm fails its pinned integrity check")
        got.replace(tgz)
    return tgz


def axe_source() -> str:
    """The text of ``axe.min.js`` from the verified tarball."""
    with tarfile.open(fileobj=io.BytesIO(axe_tarball().read_bytes()), mode="r:gz") as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


if __name__ == "__main__":
    print(axe_tarball())
    sys.exit(0)
