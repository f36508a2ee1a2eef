"""Seeds: a source file per publication (`<slug>.<ext>`) and its metadata sidecar (`<slug>.yaml`)."""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from kzpress import derived
from kzpress.errors import InputError
from kzpress.readers import SUFFIXES

METADATA_SUFFIXES = (".yaml", ".yml")
METADATA_KEYS = {"title", "subtitle", "author", "publisher", "date", "lang", "rights", "translator", "targets", "layout"}
# An article is tens of kilobytes and a book a few megabytes; pandoc needs some 70 times a text's size in
# memory, so far larger inputs would grind for minutes. `--max-input-mb` raises the limit.
MAX_INPUT_MB = 10
MAX_METADATA_BYTES = 1024 * 1024


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Seed:
    slug: str
    source: Path
    metadata_path: Path | None

    def metadata(self) -> dict[str, Any]:
        """The sidecar's metadata, checked for what kzpress understands."""
        if self.metadata_path is None:
            return {}
        name = str(self.metadata_path)
        data = read_input(self.metadata_path, max_bytes=MAX_METADATA_BYTES, raised_by=None)
        values = derived.parsed_yaml("metadata", data, lambda text: _load_yaml(text, name))
        if values is None:
            return {}
        if not isinstance(values, dict):
            raise InputError(f"{name}: metadata must be a mapping such as `title: …` on separate lines")
        unknown = sorted(map(str, set(values) - METADATA_KEYS))
        if unknown:
            raise InputError(f"{name}: unknown metadata key '{unknown[0]}'; known keys: {', '.join(sorted(METADATA_KEYS))}")
        return _checked(values, name)


@lru_cache(maxsize=None)
def _metadata_loader() -> type:
    import yaml

    class MetadataLoader(yaml.SafeLoader):
        """YAML without implicit timestamps: `date: 2022-01-31` stays the text the editor wrote."""

    MetadataLoader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return MetadataLoader


def _load_yaml(data: bytes, name: str) -> Any:
    import yaml

    try:
        return yaml.load(data.decode("utf-8"), Loader=_metadata_loader())
    except RecursionError:
        raise InputError(f"{name}: nested far too deeply for metadata; write one `key: value` per line") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{name}{where}: not valid YAML ({getattr(error, 'problem', error)}); fix the syntax") from None


def _checked(values: dict[str, Any], name: str) -> dict[str, Any]:
    for key in ("title", "subtitle", "publisher", "date", "lang", "rights"):
        if key in values and not isinstance(values[key], (str, int, float)):
            raise InputError(f"{name}: '{key}' must be a single line of text")
    for key in ("author", "translator", "targets"):
        value = values.get(key)
        if isinstance(value, (str, int)):
            values[key] = [str(value)]
        elif value is not None and not (isinstance(value, list) and all(isinstance(v, (str, int)) for v in value)):
            raise InputError(f"{name}: '{key}' must be a name or a list of names")
    if "layout" in values and not isinstance(values["layout"], dict):
        raise InputError(f"{name}: 'layout' must be a mapping of layout settings, such as `layout: {{trim_size: A4}}`")
    return {key: str(value) if isinstance(value, (int, float)) else value for key, value in values.items()}


def read_input(path: Path, *, max_bytes: int, raised_by: str | None = "--max-input-mb") -> bytes:
    """A seed's (or its metadata's) bytes; refused before reading if it is no ordinary file or too big.

    `raised_by` is the option that raises the limit, for the message (None: there is none)."""
    check_input(path, max_bytes=max_bytes, raised_by=raised_by)
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)  # the file may have grown since it was checked
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror}); check the path and permissions") from None
    if len(data) > max_bytes:
        raise InputError(_too_big(path, len(data), max_bytes, raised_by))
    return data


def check_input(path: Path, *, max_bytes: int, raised_by: str | None = "--max-input-mb") -> None:
    """Refuse, without reading it, a file that is not an ordinary file or is over `max_bytes`."""
    try:
        status = path.stat()
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror}); check the path and permissions") from None
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"{path}: not an ordinary file (a folder, device or pipe); put the text in a file")
    if status.st_size > max_bytes:
        raise InputError(_too_big(path, status.st_size, max_bytes, raised_by))


def _too_big(path: Path, size: int, max_bytes: int, raised_by: str | None) -> str:
    megabytes = 1024 * 1024
    remedy = f", or raise the limit with {raised_by}" if raised_by else ""
    return (f"{path}: {size / megabytes:.1f} MB is over the {max_bytes / megabytes:g} MB limit for this file; "
            f"check that it is the right file{remedy}")


def find_seeds(seeds_dir: Path) -> dict[str, Seed]:
    """Every seed in the folder, by slug."""
    if not seeds_dir.is_dir():
        raise InputError(f"{seeds_dir}: no such seeds folder; start a publication in it with "
                         f"`{_new_command(seeds_dir)}`, or pass --seeds DIR")
    seeds: dict[str, Seed] = {}
    try:
        entries = sorted(seeds_dir.iterdir())
    except OSError as error:
        raise InputError(f"{seeds_dir}: cannot list the seeds folder ({error.strerror}); check its permissions") from None
    for path in entries:
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        if path.stem in seeds:
            raise InputError(f"{path}: two sources for '{path.stem}' ({seeds[path.stem].source.name}); keep one")
        sidecars = [path.with_suffix(suffix) for suffix in METADATA_SUFFIXES]
        seeds[path.stem] = Seed(path.stem, path, next((s for s in sidecars if s.exists()), None))
    return seeds


def _new_command(seeds_dir: Path) -> str:
    """The `kzpress new` that starts a publication in `seeds_dir` (it creates the folder)."""
    return "kzpress new SLUG" + ("" if seeds_dir == Path("seeds") else f" --seeds {seeds_dir}")


def select(seeds: dict[str, Seed], slugs: list[str], seeds_dir: Path) -> list[Seed]:
    if not slugs:
        if not seeds:
            raise InputError(f"{seeds_dir}: no seeds here (.txt, .md, .docx, .odt, .html); add one, start one with "
                             f"`{_new_command(seeds_dir)}`, or pass --seeds DIR")
        return list(seeds.values())
    missing = [slug for slug in slugs if slug not in seeds]
    if missing:
        known = ", ".join(seeds) or "none"
        raise InputError(f"{seeds_dir}: no seed '{missing[0]}' (seeds here: {known})")
    return [seeds[slug] for slug in slugs]


def timestamp(date: str | None, *, source_date_epoch: str | None, source: str) -> str:
    """The one date stamped into outputs: SOURCE_DATE_EPOCH, else the document's date; never the clock."""
    if source_date_epoch:
        try:
            moment = datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH: '{source_date_epoch}' is not a number of seconds") from None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    match = _DATE.match(date or "")
    if not match:
        raise InputError(f"{source}: needs a date such as `date: 2022` or `date: 2022-01-31` (outputs are stamped with it, never with the clock)")
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        raise InputError(f"{source}: '{date}' is not a real date; write it as YYYY, YYYY-MM or YYYY-MM-DD") from None
    return f"{year}-{month}-{day}T00:00:00Z"


def seed_for_file(path: Path) -> Seed:
    """A single file as a seed, with its sidecar if there is one (for `kzpress normalize FILE`)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: kzpress reads {', '.join(SUFFIXES)} files; convert it to one of those")
    sidecars = [path.with_suffix(suffix) for suffix in METADATA_SUFFIXES]
    return Seed(path.stem, path, next((s for s in sidecars if s.exists()), None))


@contextmanager
def source_date(created: str):
    """SOURCE_DATE_EPOCH for the libraries that stamp a date themselves (fontTools writes one into every
    font subset WeasyPrint embeds): the user's, else the edition's date; never the clock."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    os.environ["SOURCE_DATE_EPOCH"] = previous or str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
