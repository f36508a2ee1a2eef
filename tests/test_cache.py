"""The build cache: nothing changed, nothing rebuilt; any input or a tampered output, rebuilt."""

from __future__ import annotations

import shutil

import pytest

from kzpress.build import Project, build

from conftest import ROOT

TEXT = "The strike began on Monday. The workers held the gates all week.\n"


@pytest.fixture
def project(tmp_path) -> Project:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "strike.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "strike.yaml").write_text("title: Strike\ndate: 2026\nlang: en\n", encoding="utf-8")
    layout = tmp_path / "layout"
    shutil.copytree(ROOT / "layout", layout)
    return Project(seeds_dir=seeds, out_dir=tmp_path / "out", layout_dir=layout, fonts_dir=ROOT / "fonts")


def _build(project: Project, **options) -> list[str]:
    messages: list[str] = []
    build(project, [], ["md"], [], notice=messages.append, **options)
    return messages


def test_second_identical_build_rebuilds_nothing(project):
    assert _build(project)[-1].startswith("wrote ")
    markdown = project.out_dir / "strike" / "en" / "strike.md"
    before = markdown.stat().st_mtime_ns
    assert _build(project) == ["strike: up to date"]
    assert markdown.stat().st_mtime_ns == before


@pytest.mark.parametrize("change", ["seed", "metadata", "deleted output", "edited output"])
def test_any_changed_input_or_damaged_output_is_rebuilt(project, change):
    _build(project)
    markdown = project.out_dir / "strike" / "en" / "strike.md"
    if change == "seed":
        (project.seeds_dir / "strike.txt").write_text(TEXT + "\nA second paragraph.\n", encoding="utf-8")
    elif change == "metadata":
        (project.seeds_dir / "strike.yaml").write_text("title: The Strike\ndate: 2026\nlang: en\n", encoding="utf-8")
    elif change == "deleted output":
        markdown.unlink()
    else:
        markdown.write_text("tampered", encoding="utf-8")
    assert _build(project)[-1] == f"wrote {markdown}"
    assert markdown.read_text(encoding="utf-8").startswith("---\n")


def test_force_rebuilds_even_when_nothing_changed(project):
    _build(project)
    assert _build(project, force=True)[-1].startswith("wrote ")


def _designer_changes(project: Project) -> None:
    with (project.layout_dir / "pamphlet.css.j2").open("a", encoding="utf-8") as stylesheet:
        stylesheet.write("\n/* a designer's change */\n")


@pytest.mark.parametrize("formats, rebuilt", [(["pdf"], True), (["print", "md"], True), (["md"], False), (["xliff", "md"], False)])
def test_a_layout_change_rebuilds_what_the_layout_shapes(project, formats, rebuilt):
    from kzpress import cache

    request = {"formats": sorted(formats), "langs": [], "targets": None, "allow_incomplete": False}
    before = cache.input_key(project.seeds_dir, "strike", project.design_folders, request)
    _designer_changes(project)
    after = cache.input_key(project.seeds_dir, "strike", project.design_folders, request)
    assert (after != before) == rebuilt


def test_a_layout_change_leaves_the_markdown_up_to_date(project):
    _build(project)
    _designer_changes(project)
    assert _build(project) == ["strike: up to date"]
