"""`kzpress build --json`: a summary on standard output of what was built, up to date and failed."""

from __future__ import annotations

import json
from pathlib import Path

from kzpress.cli import main

METADATA = "title: {title}\ndate: 2022\nlang: en\n"


def _seed(folder: Path, slug: str, metadata: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.txt").write_text("The workers struck for higher wages. The strike went on.\n", encoding="utf-8")
    (folder / f"{slug}.yaml").write_text(metadata, encoding="utf-8")


def _build(capsys, tmp_path: Path, *argv: str) -> tuple[int, dict | None, str, str]:
    code = main(["build", "--to", "md", "--seeds", str(tmp_path / "seeds"), "--out", str(tmp_path / "out"), *argv])
    captured = capsys.readouterr()
    summary = json.loads(captured.out) if captured.out else None
    return code, summary, captured.out, captured.err


def test_first_build_reports_each_seed_built_with_its_files(tmp_path, capsys):
    _seed(tmp_path / "seeds", "strike", METADATA.format(title="A Strike"))
    code, summary, _, err = _build(capsys, tmp_path, "--json")
    assert code == 0, err
    assert summary == {"ok": True, "error": None, "seeds": [
        {"seed": "strike", "status": "built", "files": [str(tmp_path / "out" / "strike" / "en" / "strike.md")]}]}
    assert Path(summary["seeds"][0]["files"][0]).is_file()


def test_unchanged_seed_is_reported_up_to_date_with_the_same_files(tmp_path, capsys):
    _seed(tmp_path / "seeds", "strike", METADATA.format(title="A Strike"))
    _, first, _, _ = _build(capsys, tmp_path, "--json")
    code, second, _, _ = _build(capsys, tmp_path, "--json")
    assert code == 0
    assert second["seeds"] == [{"seed": "strike", "status": "up to date", "files": first["seeds"][0]["files"]}]


def test_failing_seed_is_reported_after_those_built_and_the_exit_status_is_1(tmp_path, capsys):
    _seed(tmp_path / "seeds", "a-strike", METADATA.format(title="A Strike"))
    _seed(tmp_path / "seeds", "b-untitled", "date: 2022\nlang: en\n")  # no title: the build refuses it
    code, summary, _, err = _build(capsys, tmp_path, "--json")
    assert code == 1
    assert [(seed["seed"], seed["status"]) for seed in summary["seeds"]] == [("a-strike", "built"), ("b-untitled", "failed")]
    failed = summary["seeds"][1]
    assert failed["files"] == [] and "no title" in failed["error"] and "b-untitled" in failed["error"]
    assert summary["ok"] is False and summary["error"] == failed["error"]
    assert err.strip().endswith(f"kzpress: error: {failed['error']}")


def test_an_error_before_any_seed_still_gives_a_summary(tmp_path, capsys):
    _seed(tmp_path / "seeds", "strike", METADATA.format(title="A Strike"))
    code, summary, _, _ = _build(capsys, tmp_path, "--json", "no-such-seed")
    assert code == 1
    assert summary["ok"] is False and summary["seeds"] == [] and "no-such-seed" in summary["error"]


def test_quiet_json_prints_the_summary_and_nothing_else(tmp_path, capsys):
    _seed(tmp_path / "seeds", "strike", METADATA.format(title="A Strike"))
    code = main(["-q", "build", "--json", "--to", "md", "--seeds", str(tmp_path / "seeds"), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    assert json.loads(captured.out)["seeds"][0]["status"] == "built"


def test_without_json_standard_output_stays_empty(tmp_path, capsys):
    _seed(tmp_path / "seeds", "strike", METADATA.format(title="A Strike"))
    code, _, out, err = _build(capsys, tmp_path)
    assert code == 0 and out == "" and "wrote" in err
