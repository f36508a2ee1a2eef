"""Benchmarks: kzpress against what users would otherwise run (pandoc with WeasyPrint), side by side.

Each row alternates kzpress and its baseline on the same canonical Markdown, in fresh processes, and
prints medians, peak memory and the ratio. Run from the project root:

    python benchmarks/run.py [--repeat 5] [--markdown-table docs/benchmarks.md]

Timings are wall-clock on this machine; nothing here is a test and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "kazakhstan-2022"
BIN = Path(sys.executable).parent
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


@dataclass
class Sample:
    seconds: float
    peak_mib: float


def measure(command: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run one command in a fresh process; its wall time and the peak RSS of its biggest process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True)
    seconds, peak_kib, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}")
    return Sample(float(seconds), int(peak_kib) / 1024)


def pandoc() -> str:
    import pypandoc

    return str(Path(pypandoc.__file__).parent / "files" / "pandoc")


def alternate(ours: list[str], theirs: list[str] | None, repeat: int, setup=None) -> tuple[list[Sample], list[Sample]]:
    """Run kzpress and the baseline in turn, `repeat` times each, so that drifts hit both alike."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    mine, base = [], []
    for _ in range(repeat):
        if setup:
            setup()
        mine.append(measure(ours, env))
        if theirs:
            base.append(measure(theirs, env))
    return mine, base


def median(samples: list[Sample]) -> tuple[float, float]:
    return statistics.median(s.seconds for s in samples), max(s.peak_mib for s in samples)


def seeds_folder(work: Path, markdown: str, name: str) -> Path:
    folder = work / name
    folder.mkdir()
    (folder / f"{SLUG}.md").write_text(markdown, encoding="utf-8")
    return folder


def repeated(markdown: str, times: int) -> str:
    front, body = markdown.split("\n---\n", 1)
    return front + "\n---\n" + "\n".join([body] * times)


def pdf_pages(path: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(str(path)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown-table", type=Path, help="also write the table as Markdown to this file")
    args = parser.parse_args()
    kzpress = str(BIN / "kzpress")
    work = Path(tempfile.mkdtemp(prefix="kzpress-bench-"))
    try:
        subprocess.run([kzpress, "-q", "build", SLUG, "--to", "md", "--out", str(work / "canonical")], cwd=ROOT, check=True)
        markdown = (work / "canonical" / SLUG / "en-GB" / f"{SLUG}.md").read_text(encoding="utf-8")
        rows = run_rows(kzpress, work, markdown, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = render(rows, args.repeat)
    print(table)
    if args.markdown_table:
        args.markdown_table.parent.mkdir(parents=True, exist_ok=True)
        args.markdown_table.write_text(table + "\n", encoding="utf-8")


def run_rows(kzpress: str, work: Path, markdown: str, repeat: int) -> list[dict]:
    seed = seeds_folder(work, markdown, "seed")
    big = seeds_folder(work, repeated(markdown, 20), "big")
    seed_md, big_md = seed / f"{SLUG}.md", big / f"{SLUG}.md"
    out = work / "out"
    base_pdf = ["pandoc", seed_md, "--pdf-engine=weasyprint", "-o", work / "base.pdf"]
    rows = []

    def row(name, target, ours, theirs, setup=None, note=""):
        mine, base = alternate([str(x) for x in ours], [str(x) for x in theirs] if theirs else None, repeat, setup)
        (t, m), (bt, bm) = median(mine), median(base) if base else (None, None)
        rows.append({"row": name, "kzpress_s": t, "kzpress_mib": m, "baseline_s": bt, "baseline_mib": bm,
                     "ratio": t / bt if bt else None, "target": target, "note": note})
        return t, bt

    build = [kzpress, "-q", "build", SLUG, "--seeds", seed, "--out", out]
    base_pdf = [pandoc()] + base_pdf[1:]
    _, a_base = row("(a) seed → reading PDF", "≤ 1.0×", build + ["--to", "pdf"], base_pdf)
    everything = ",".join(os.environ.get("KZPRESS_BENCH_FORMATS", "pdf,epub,xliff,md").split(","))
    epub_then_pdf = ["sh", "-c", f"'{pandoc()}' '{seed_md}' --pdf-engine=weasyprint -o '{work}/b.pdf' && '{pandoc()}' '{seed_md}' -o '{work}/b.epub'"]
    row("(b) seed → every output", "≤ 1.3×", build + ["--to", everything], epub_then_pdf)
    t, _ = row("(c) rebuild, nothing changed", "≤ 0.15× (a) baseline", build + ["--to", "pdf"], None,
               note="against (a)'s baseline")
    rows[-1]["ratio"] = t / a_base
    t, _ = row("(d) XLIFF export", "≤ 0.15× (a) baseline", build + ["--to", "xliff"], None, note="against (a)'s baseline")
    rows[-1]["ratio"] = t / a_base
    big_build = [kzpress, "-q", "build", SLUG, "--seeds", big, "--out", work / "big-out", "--to", "pdf"]
    big_base = [pandoc(), big_md, "--pdf-engine=weasyprint", "-o", work / "big-base.pdf"]
    t_big, _ = row("(e) seed ×20 → reading PDF", "≤ 1.2×, per page ±10 %, ≤ 1 GiB", big_build, big_base)
    pages_small = pdf_pages(out / SLUG / "en-GB" / f"{SLUG}.pdf")
    pages_big = pdf_pages(work / "big-out" / SLUG / "en-GB" / f"{SLUG}.pdf")
    per_page_small = rows[0]["kzpress_s"] / pages_small
    per_page_big = t_big / pages_big
    rows[-1]["note"] = (f"{pages_big} pages: {per_page_big * 1000:.0f} ms/page vs the seed's "
                        f"{per_page_small * 1000:.0f} ms/page ({per_page_big / per_page_small:.2f}×)")
    return rows


def render(rows: list[dict], repeat: int) -> str:
    def num(value, unit=""):
        return "—" if value is None else f"{value:.2f}{unit}"

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; medians of {repeat} alternating runs, fresh processes.",
        "",
        "| row | kzpress s | peak MiB | baseline s | peak MiB | ratio | target | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['row']} | {num(r['kzpress_s'])} | {num(r['kzpress_mib'], '')} | {num(r['baseline_s'])} | "
                     f"{num(r['baseline_mib'])} | {num(r['ratio'], '×')} | {r['target']} | {r['note']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
