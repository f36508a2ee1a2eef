"""`kzpress watch`: a saved edit rebuilds that seed's outputs; the design rebuilds every seed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kzpress.build import Project
from kzpress.watch import affected_slugs, watch

from conftest import ROOT

TEXT = "The strike began on Monday. The workers held the gates all week.\n"
METADATA = "title: Strike\ndate: 2026\nlang: en\n"


class Watcher:
    """`watch` on a thread, with the messages it printed and an event set after every rebuild."""

    def __init__(self, seeds: Path, out: Path):
        self.messages: list[str] = []
        self.stop, self.rebuilt = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=watch, args=(Project(seeds_dir=seeds, out_dir=out), ["md"]), daemon=True,
                                       kwargs={"proofs": False, "notice": self.messages.append, "stop": self.stop,
                                               "on_rebuilt": self.rebuilt.set})

    def __enter__(self) -> "Watcher":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not any(m.startswith("watching") for m in self.messages) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def wait_for_rebuild(self) -> bool:
        done = self.rebuilt.wait(20)
        self.rebuilt.clear()
        return done

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(5)


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "strike.txt").write_text(TEXT, encoding="utf-8")
    (folder / "strike.yaml").write_text(METADATA, encoding="utf-8")
    return folder


def test_affected_slugs_names_the_seed_and_design_means_everything(tmp_path):
    project = Project(seeds_dir=tmp_path, out_dir=tmp_path / "out")
    assert affected_slugs({tmp_path / "strike.txt", tmp_path / "strike.ru.xlf", tmp_path / "march.yaml"}, project) == ["march", "strike"]
    assert affected_slugs({ROOT / "layout" / "pamphlet.css.j2"}, project) is None
    assert affected_slugs({tmp_path / ".strike.txt.swp"}, project) == []


def test_saving_an_edit_rewrites_the_markdown(seeds, tmp_path):
    markdown = tmp_path / "out" / "strike" / "en" / "strike.md"
    with Watcher(seeds, tmp_path / "out") as watcher:
        assert "held the gates" in markdown.read_text(encoding="utf-8")
        (seeds / "strike.txt").write_text(TEXT.replace("gates", "factory"), encoding="utf-8")
        assert watcher.wait_for_rebuild(), watcher.messages
    assert "held the factory" in markdown.read_text(encoding="utf-8")


def test_a_broken_save_is_reported_and_watching_goes_on(seeds, tmp_path):
    with Watcher(seeds, tmp_path / "out") as watcher:
        (seeds / "strike.yaml").write_text(METADATA.replace("lang: en", "lang: xx"), encoding="utf-8")
        assert watcher.wait_for_rebuild()
        assert any(m.startswith("error: ") and "unknown language 'xx'" in m for m in watcher.messages)
        (seeds / "strike.yaml").write_text(METADATA, encoding="utf-8")
        assert watcher.wait_for_rebuild()
    assert not watcher.thread.is_alive()
