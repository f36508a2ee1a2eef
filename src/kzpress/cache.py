"""A content-addressed build cache inside the output folder: unchanged inputs are not rebuilt.

The key of a seed's build covers everything its outputs depend on: the seed's own files (source,
metadata, stored translations), the layout and fonts folders, kzpress's own code, the request (formats,
languages, targets) and SOURCE_DATE_EPOCH. A record also keeps each output's digest, so an output that
was deleted or changed by hand is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable

CACHE_FOLDER = ".kzpress-cache"
TEXT_ONLY = {"xliff", "md"}  # formats the layout and fonts folders do not shape
PACKAGE = Path(__file__).resolve().parent


def _digest_files(digest, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _tree(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts]


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The digest of kzpress's own code (and its pandoc writer), read once a run."""
    digest = hashlib.sha256()
    _digest_files(digest, PACKAGE, [p for p in _tree(PACKAGE) if p.suffix != ".pyc"])
    return digest.digest()


def parse_key(source: bytes, metadata: dict, lang: str | None) -> str:
    """The digest of everything a seed's normalised text depends on (see kzpress.normalize)."""
    digest = hashlib.sha256(code_digest())
    digest.update(json.dumps([metadata, lang], sort_keys=True, default=str).encode() + b"\0")
    digest.update(source)
    return digest.hexdigest()


def parsed_path(out_dir: Path, slug: str) -> Path:
    """Where a seed's last normalised text is kept: one entry a seed, replaced when the text changes."""
    return out_dir / CACHE_FOLDER / "parsed" / f"{slug}.json"


def parsed(out_dir: Path, slug: str, key: str) -> dict | None:
    """The entry kept for `key` ({"lang", "canonical", "document", "notices"}), or None."""
    try:
        entry = json.loads(parsed_path(out_dir, slug).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def input_key(seeds_dir: Path, slug: str, design: list[Path], request: dict) -> str:
    """The digest of everything one seed's outputs depend on. The `design` folders (layout, fonts) count
    only when the request has a format they shape: XLIFF and Markdown are made from the text alone."""
    digest = hashlib.sha256()
    digest.update(json.dumps(request, sort_keys=True).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode() + b"\0")
    _digest_files(digest, seeds_dir, [p for p in seeds_dir.iterdir() if p.is_file() and p.name.split(".")[0] == slug])
    formats = request.get("formats")
    for folder in design if formats is None or not set(formats) <= TEXT_ONLY else []:
        _digest_files(digest, folder, [p for p in _tree(folder) if p.suffix != ".pyc"])
    digest.update(code_digest())
    return digest.hexdigest()


def _record_path(out_dir: Path, slug: str, request: dict) -> Path:
    name = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:16]
    return out_dir / CACHE_FOLDER / f"{slug}.{name}.json"


def lookup(out_dir: Path, slug: str, request: dict, key: str) -> list[Path] | None:
    """The outputs of an identical earlier build, if all are still there as written; else None."""
    record = _record_path(out_dir, slug, request)
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if saved.get("key") != key:
        return None
    paths = []
    for relative, digest in saved.get("outputs", {}).items():
        path = out_dir / relative
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return None
        except OSError:
            return None
        paths.append(path)
    return paths


def store(out_dir: Path, slug: str, request: dict, key: str, outputs: dict[Path, bytes]) -> tuple[Path, bytes]:
    """The record to write for this build (path and bytes; build.py writes it atomically)."""
    record = {
        "key": key,
        "outputs": {str(relative): hashlib.sha256(data).hexdigest() for relative, data in sorted(outputs.items())},
    }
    return _record_path(out_dir, slug, request), json.dumps(record, indent=1, sort_keys=True).encode()
