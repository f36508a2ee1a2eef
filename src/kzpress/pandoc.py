"""The one place that runs pandoc: the binary shipped inside pypandoc-binary, never a system pandoc."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kzpress.errors import KzpressError

# Canonical Markdown is pandoc's Markdown read and written without `smart`: typographic characters
# are stored as themselves, so what the normaliser decided per language survives every round trip.
# Citations and title blocks are off: a paragraph starting with `%` or an `@name` is plain text.
MARKDOWN = "markdown-smart-citations-pandoc_title_block"

# Bounds for one pandoc run, so a hostile or broken input fails instead of taking the machine: the
# Haskell heap (pandoc needs some 70 times a Markdown text's size; inputs are limited to far less than
# this allows, see seeds.MAX_INPUT_MB) and the time (seconds; a 10 MB text takes about ten).
HEAP_LIMIT_MB = 2048
TIMEOUT = 120
_HEAP_EXHAUSTED = 251  # the exit status of a GHC program at its -M limit
SETTLE_WRITER = Path(__file__).with_name("settle.lua")
# pandoc's HTML writer as the print page takes it (backends/html.py): settle.lua writes the same.
HTML = ("html5", "--wrap=none", "--syntax-highlighting=none")
KEPT_WRITES = 8  # documents whose HTML is kept, the last ones settled
# A Markdown text this long has its parse taken from pandoc's reading run as soon as that is written
# (`read_written`), so that normalising works on it while pandoc writes the canonical Markdown and HTML.
READ_EARLY_BYTES = 100_000

# The HTML settle.lua wrote of each document it parsed back, by the digest of the JSON `from_json` would
# send: writing it there costs a few milliseconds, a pandoc run of its own 40 ms or more.
_written: dict[bytes, str] = {}
KEPT_DUMPS = 4  # documents whose JSON is kept (`document_json`)
_dumps: list[tuple[Any, Any, Any, bytes, Any]] = []


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    # Found, not imported: importing pypandoc costs 45 ms a run, and kzpress only needs its binary.
    from importlib.util import find_spec

    package = find_spec("pypandoc")
    if package is None or not package.submodule_search_locations:  # pragma: no cover - a broken install
        raise KzpressError("pypandoc-binary is not installed: run `pip install .`")
    bundled = Path(list(package.submodule_search_locations)[0]) / "files" / "pandoc"
    if not bundled.exists():
        raise KzpressError(f"{bundled}: pandoc binary missing; reinstall with `pip install --force-reinstall pypandoc-binary`")
    return str(bundled)


def run(args: list[str], data: bytes, *, source: str = "input") -> bytes:
    """Run pandoc in its sandbox (no file or network access beyond its input) and return stdout."""
    import subprocess

    try:
        completed = subprocess.run(_command(args), input=data, capture_output=True, check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise _too_long(source) from None
    return _checked(completed.returncode, completed.stdout, completed.stderr, source)


def _command(args: list[str]) -> list[str]:
    return [pandoc_path(), "+RTS", f"-M{HEAP_LIMIT_MB}m", "-RTS", "--sandbox", *args]


def _too_long(source: str) -> KzpressError:
    return KzpressError(f"{source}: pandoc took over {TIMEOUT} s to convert it; the text is too long or too "
                        "deeply nested: split it or simplify its structure")


def _checked(returncode: int, stdout: bytes, stderr: bytes, source: str) -> bytes:
    if returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()
        if returncode == _HEAP_EXHAUSTED:
            raise KzpressError(f"{source}: pandoc ran out of its {HEAP_LIMIT_MB} MB of memory converting it; the text is "
                               "too long or too deeply nested: split it or simplify its structure", detail=detail)
        message = detail.splitlines()
        raise KzpressError(f"{source}: pandoc could not convert it: {message[-1] if message else 'unknown error'}", detail=detail)
    return stdout


class Written:
    """A text's parse written as canonical Markdown and HTML: at hand, or still being written by the
    pandoc run that gave the parse (`result` waits for it; `cancel` stops it)."""

    def __init__(self, parts: tuple[bytes, str] | None = None, reading: "_Reading | None" = None) -> None:
        self.parts, self.reading = parts, reading

    def result(self) -> tuple[bytes, str]:
        if self.parts is None:
            canonical, html = _parts(self.reading.rest(), 2)
            self.parts = canonical, html.decode("utf-8")
        return self.parts

    def cancel(self) -> None:
        if self.parts is None:
            self.reading.stop()


class _Reading:
    """One pandoc run whose output parts are taken as they come: settle.lua writes the parse first, and
    flushes it, then goes on to write the rest. Threads feed its input and drain its output and errors,
    so that it never waits on a full pipe while the caller works on the first part."""

    def __init__(self, args: list[str], text: bytes, source: str) -> None:
        import subprocess
        import threading

        self.source = source
        self.process = subprocess.Popen(_command(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.first: bytes | None = None
        self.chunks: list[bytes] = []
        self.errors = b""
        self.first_read = threading.Event()
        self.threads = [threading.Thread(target=self._feed, args=(text,), daemon=True),
                        threading.Thread(target=self._drain, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _feed(self, text: bytes) -> None:
        try:
            self.process.stdin.write(text)
            self.process.stdin.close()
        except OSError:  # pandoc stopped reading: it failed, or was stopped
            pass
        self.errors = self.process.stderr.read()

    def _drain(self) -> None:
        out = self.process.stdout
        try:
            length = out.readline()
            if length.strip().isdigit():
                self.first = out.read(int(length))
        finally:
            self.first_read.set()
        while chunk := out.read(1 << 16):
            self.chunks.append(chunk)

    def first_part(self) -> bytes:
        if not self.first_read.wait(TIMEOUT):
            self.stop()
            raise _too_long(self.source)
        if self.first is None:
            self._finished()  # raises pandoc's error
            raise KzpressError(f"{self.source}: pandoc wrote no parse")
        return self.first

    def rest(self) -> bytes:
        self._finished()
        return b"".join(self.chunks)

    def _finished(self) -> None:
        import subprocess

        try:
            self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise _too_long(self.source) from None
        for thread in self.threads:
            thread.join()
        _checked(self.process.returncode, b"", self.errors, self.source)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        for thread in self.threads:
            thread.join()


def to_json(data: bytes, source_format: str, *, source: str = "input") -> dict:
    """Parse a document in `source_format` into pandoc's JSON AST."""
    return _loaded(run(["-f", source_format, "-t", "json"], data, source=source), source)


def settle(ast: dict, *, source: str = "document") -> tuple[bytes, dict, bytes]:
    """The document as canonical Markdown, that Markdown parsed back (JSON AST), and the parse written
    again: what normalising needs, in one pandoc run (settle.lua) rather than three. The same run writes
    the parse as HTML, kept for `from_json` (the print page is written from exactly that parse)."""
    output = run(["-f", "json", "-t", str(SETTLE_WRITER), *HTML[1:]], document_json(ast), source=source)
    canonical, parsed, settled, html = _parts(output, 4)
    parsed_json = _loaded(parsed, source)
    keep_html(html_key(parsed_json), html.decode("utf-8"))
    return canonical, parsed_json, settled


def read_written(text: bytes, *, source: str) -> tuple[dict, Written]:
    """A Markdown text's parse (JSON AST), and that parse written as canonical Markdown and as HTML, in one
    pandoc run (settle.lua, reading): when the text is that canonical Markdown and normalising leaves the
    parse as it is, this is all `settle` would give (kzpress.normalize), with no second run. For a text of
    READ_EARLY_BYTES or more, the parse is returned as soon as pandoc has written it, and the rest is
    written while the caller normalises the parse."""
    args = ["-f", MARKDOWN, "-t", str(SETTLE_WRITER), "-V", "kzpress-read=1", *HTML[1:]]
    if len(text) >= READ_EARLY_BYTES:
        reading = _Reading([*args, "-V", "kzpress-early=1"], text, source)
        try:
            return _loaded(reading.first_part(), source), Written(reading=reading)
        except BaseException:
            reading.stop()
            raise
    ast, canonical, html = _parts(run(args, text, source=source), 3)
    return _loaded(ast, source), Written((canonical, html.decode("utf-8")))


def _loaded(data: bytes, source: str) -> dict:
    try:
        return json.loads(data)
    except RecursionError:
        raise KzpressError(f"{source}: nested hundreds of levels deep (quotations or lists inside each other); "
                           "no publication needs that: simplify the structure") from None


def html_key(ast: dict) -> bytes:
    """The key under which a document's HTML is kept (`keep_html`)."""
    return _write_key(ast, HTML)


def kept_html(ast: dict) -> tuple[bytes, str] | None:
    """The document's HTML if settle.lua wrote it, with its key: to send along with the
    document (to a worker process, kzpress.parallel, or into the parse cache, kzpress.normalize) and
    `keep` there."""
    key = html_key(ast)
    return (key, _written[key]) if key in _written else None


def keep_html(key: bytes, text: str) -> None:
    """Keep a document's HTML (as settle.lua wrote it) for `from_json`: the last KEPT_WRITES documents'."""
    _written.pop(key, None)
    _written[key] = text
    while len(_written) > KEPT_WRITES:
        del _written[next(iter(_written))]


def document_json(ast: dict) -> bytes:
    """`ast` as the JSON pandoc reads (UTF-8). The last KEPT_DUMPS documents' are kept, by the identity of
    their metadata and blocks: a document is never edited in place (kzpress.document's `walk` and every
    transform make new lists), so the same objects are the same JSON. On a 300 KB text, a dump is 80 ms,
    and normalising, keeping the parse and writing the print page each needed one."""
    return _dumped(ast)[0]


def _dumped(ast: dict) -> tuple[bytes, Any]:
    """The document's JSON and the SHA-256 of it (to be copied, never updated in place)."""
    meta, blocks, version = ast.get("meta"), ast.get("blocks"), ast.get("pandoc-api-version")
    if meta is None or blocks is None:
        data = json.dumps(ast, ensure_ascii=False).encode("utf-8")
        return data, hashlib.sha256(data)
    for kept_meta, kept_blocks, kept_version, data, digest in _dumps:
        if kept_meta is meta and kept_blocks is blocks and kept_version == version:
            return data, digest
    data = json.dumps(ast, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(data)
    _dumps.append((meta, blocks, version, data, digest))
    del _dumps[:-KEPT_DUMPS]
    return data, digest


def _write_key(ast: dict, writer: tuple[str, ...]) -> bytes:
    digest = _dumped(ast)[1].copy()
    digest.update("\0".join(writer).encode())
    return digest.digest()


def _parts(output: bytes, count: int) -> list[bytes]:
    parts, position = [], 0
    for _ in range(count):
        newline = output.index(b"\n", position)
        length = int(output[position:newline])
        parts.append(output[newline + 1:newline + 1 + length])
        position = newline + 1 + length
    return parts


def from_json(ast: dict, target_format: str, *extra: str) -> str:
    """Write pandoc's JSON AST in `target_format` (HTML that settle.lua wrote already is taken from there)."""
    kept = _written.get(_write_key(ast, (target_format, *extra)))
    if kept is not None:
        return kept
    return run(["-f", "json", "-t", target_format, *extra], document_json(ast), source="document").decode("utf-8")
