"""What kzpress derives from installed files, kept between runs: parsed hyphenation patterns, the
names inside the font files, compiled layout templates, parsed YAML settings and metadata, the
system's answers to WeasyPrint's library lookups.

Each costs tens of milliseconds to derive again and never changes while its sources do not, so a
build of one short text would spend a third of its front end re-deriving them (docs/profile-a.md).
Like fontconfig's own cache (~/.cache/fontconfig), they live in the user's cache folder:
$KZPRESS_CACHE_DIR, else $XDG_CACHE_HOME/kzpress, else ~/.cache/kzpress. An entry is named by a hash
of everything it is derived from (the source files' paths, sizes and modification times, the library
versions), is written atomically, and is JSON, never pickle: a damaged or foreign entry is derived
again, not trusted. A cache folder that cannot be written only makes the run slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from kzpress import __version__

SUBFOLDER = "derived"


def cache_dir() -> Path:
    if os.environ.get("KZPRESS_CACHE_DIR"):
        return Path(os.environ["KZPRESS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kzpress"


def file_stamp(path: Path) -> str:
    """What says a file is unchanged without reading it: path, size and modification time."""
    status = path.stat()
    return f"{path.resolve()}:{status.st_size}:{status.st_mtime_ns}"


def cached_json(kind: str, sources: Iterable[str], derive: Callable[[], Any]) -> Any:
    """`derive()`'s JSON-able value, from the cache when `sources` (stamps, versions) are unchanged."""
    path = _entry(kind, sources, ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = derive()
    _store(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return value


def parsed_yaml(kind: str, data: bytes, parse: Callable[[bytes], Any]) -> Any:
    """`parse(data)` (YAML text to values), kept under the text's digest as JSON when JSON holds the
    values exactly (a mapping with number keys it does not, and is parsed every time): a run whose
    settings and metadata are all cached does not import the YAML parser (30 ms) or run it (pure Python)."""

    def exact() -> dict[str, Any]:
        values = parse(data)
        try:
            if json.loads(json.dumps(values)) == values:
                return {"values": values}
        except (TypeError, ValueError):
            pass
        return {"parse": "every time"}

    entry = cached_json(kind, [hashlib.sha256(data).hexdigest()], exact)
    return entry["values"] if isinstance(entry, dict) and "values" in entry else parse(data)


def cached_bytes(kind: str, sources: Iterable[str], derive: Callable[[], bytes]) -> bytes:
    """`derive()`'s bytes, from the cache when `sources` are unchanged. The entry ends in its own
    SHA-256, checked on reading, so a truncated or altered entry is derived again."""
    path = _entry(kind, sources, ".bin")
    try:
        entry = path.read_bytes()
        data, check = entry[:-32], entry[-32:]
        if len(entry) >= 32 and hashlib.sha256(data).digest() == check:
            return data
    except OSError:
        pass
    data = derive()
    _store(path, data + hashlib.sha256(data).digest())
    return data


def _entry(kind: str, sources: Iterable[str], suffix: str) -> Path:
    """An entry's path, named by a digest of its sources and of kzpress's code (which derives it)."""
    from kzpress.cache import code_digest

    digest = hashlib.sha256(code_digest())
    digest.update("\0".join([kind, __version__, *sources]).encode("utf-8"))
    return cache_dir() / SUBFOLDER / f"{kind}-{digest.hexdigest()[:32]}{suffix}"


@contextmanager
def library_lookups() -> Iterator[None]:
    """Shared-library lookups (`ctypes.util.find_library`) answered from the cache meanwhile.

    WeasyPrint loads Pango, HarfBuzz and fontconfig by trying each library's names for every platform
    in turn, and cffi asks `find_library` about each name that is not a file: on Linux every question
    runs `ldconfig -p` and then gcc and ld, 22 times an import, about 0.3 s of WeasyPrint's 0.7 s
    (docs/profile-a.md). The answers depend on the system's library cache and search paths, so they
    are kept under those, and a library installed or removed (ldconfig rewrites its cache) asks again.
    """
    import ctypes.util
    import sys

    system = Path("/etc/ld.so.cache")
    sources = [file_stamp(system) if system.exists() else "", sys.platform]
    sources += [os.environ.get(name, "") for name in ("LD_LIBRARY_PATH", "LIBRARY_PATH", "DYLD_LIBRARY_PATH")]
    path = _entry("libraries", sources, ".json")
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    known = {
        name: found
        for name, found in (stored.items() if isinstance(stored, dict) else ())
        if isinstance(name, str) and (found is None or isinstance(found, str))
    }
    asked = len(known)
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name not in known:
            known[name] = original(name)
        return known[name]

    ctypes.util.find_library = find_library
    try:
        yield
    except BaseException:
        # Answers that did not make an import (a library missing, or removed since they were kept) are
        # not kept: the next run asks the system afresh, after the user installed what was missing.
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # an unwritable cache folder: nothing was kept there either
        raise
    else:
        if len(known) != asked:
            _store(path, json.dumps(known, sort_keys=True).encode("utf-8"))
    finally:
        ctypes.util.find_library = original


def template_cache():
    """A Jinja2 bytecode cache in the cache folder (Jinja checks each template's source is unchanged)."""
    import jinja2

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _store(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return  # an unwritable cache folder: derive it again next time
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
