"""The warm renderer (kzpress.renderer): a PDF rendered in the worker process is the PDF rendered here,
and what the renderer logs there reaches this process's logger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kzpress import parallel, renderer

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: the warm worker is only started where WeasyPrint is not imported yet.
SCRIPT = r"""
import logging, sys
from pathlib import Path
from kzpress import parallel, renderer
from kzpress.backends import pdf

class Heard(logging.Handler):
    def emit(self, record):
        print("LOGGED:", record.getMessage(), file=sys.stderr)

logging.getLogger("kzpress").addHandler(Heard())
layout = Path(sys.argv[1])
renderer.warm_up(layout)
assert renderer._worker is not None, "no warm worker started"
page = sys.stdin.buffer.read()
data = renderer.run(pdf.render, page, layout, True, "pdf/ua-1")
from kzpress.errors import InputError
from kzpress.language import language
try:
    renderer.run(language, "not a tag!")
except InputError as error:
    print("RAISED:", error, file=sys.stderr)
renderer.shut_down()
sys.stdout.buffer.write(data)
"""

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Warm</title>
<meta name="dcterms.created" content="2022-01-05T00:00:00Z"><meta name="dcterms.modified" content="2022-01-05T00:00:00Z">
<style>body { font-family: "PT Serif"; }</style></head>
<body><h1>Warm</h1><p>A paragraph rendered in the worker.</p><img src="http://example.com/tracker.png" alt=""></body></html>"""


@pytest.mark.skipif(parallel.usable_cores() < 2, reason="the warm worker needs a second core")
def test_the_warm_worker_renders_what_this_process_renders():
    from kzpress.backends import pdf

    here = pdf.render(PAGE, ROOT / "layout", True, "pdf/ua-1")
    worker = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "layout")], input=PAGE,
                            capture_output=True, check=False, timeout=120)
    assert worker.returncode == 0, worker.stderr.decode()
    assert worker.stdout == here
    assert "LOGGED: the PDF renderer refused http://example.com/tracker.png" in worker.stderr.decode()
    assert "RAISED: metadata: 'not a tag!' is not a language tag" in worker.stderr.decode()


def test_without_a_warm_worker_jobs_run_here():
    assert renderer._worker is None
    assert renderer.run(bytes, 3) == b"\0\0\0"


def test_a_single_render_with_one_job_allowed_stays_here(monkeypatch):
    started = []
    monkeypatch.setattr(renderer, "warm_up", started.append)
    with parallel.runner(1, None, 1, ROOT / "layout"):
        pass
    with parallel.runner(2, None, 1, ROOT / "layout"):
        pass
    assert started == [ROOT / "layout"]  # --jobs 1 keeps every render in this process
