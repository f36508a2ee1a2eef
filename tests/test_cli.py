"""The kzpress command: what a user sees when things go right and when they go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpress.cli import main

ARTICLE = "The workers struck for higher wages. The bosses refused, and the strike went on for weeks.\n"


def _seed(folder: Path, text: str = ARTICLE, metadata: str | None = "title: A Strike\ndate: 2022\nlang: en\n", name="strike.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8") if isinstance(text, str) else (folder / name).write_bytes(text)
    if metadata is not None:
        (folder / name).with_suffix(".yaml").write_text(metadata, encoding="utf-8")
    return folder


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_md_writes_canonical_markdown_under_slug_and_language(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds")
    code, _, err = _run(capsys, "build", "--to", "md", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 0, err
    markdown = (tmp_path / "out" / "strike" / "en" / "strike.md").read_text(encoding="utf-8")
    assert markdown.startswith("---\n") and "title: A Strike" in markdown and ARTICLE.strip() in markdown


def test_missing_seeds_folder_is_one_error_line(tmp_path, capsys):
    code, _, err = _run(capsys, "build", "--seeds", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert code == 1
    nowhere = tmp_path / "nowhere"
    assert err == (f"kzpress: error: {nowhere}: no such seeds folder; start a publication in it with "
                   f"`kzpress new SLUG --seeds {nowhere}`, or pass --seeds DIR\n")


def test_missing_default_seeds_folder_suggests_kzpress_new(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "build")
    assert code == 1 and err == ("kzpress: error: seeds: no such seeds folder; start a publication in it with "
                                 "`kzpress new SLUG`, or pass --seeds DIR\n")
    assert _run(capsys, "new", "strike")[0] == 0
    code, _, err = _run(capsys, "build", "strike", "--to", "md")
    assert code == 0, err


def test_unknown_slug_names_the_seeds_there(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds")
    code, _, err = _run(capsys, "build", "missing", "--seeds", str(seeds))
    assert code == 1 and "no seed 'missing' (seeds here: strike)" in err


@pytest.mark.parametrize(
    "metadata, expected",
    [
        ("title: A Strike\n  date: 2022\n", "strike.yaml:2: not valid YAML"),
        ("titel: A Strike\n", "unknown metadata key 'titel'"),
        ("title: A Strike\ndate: 2022\nlang: xx\n", "unknown language 'xx'"),
        ("date: 2022\nlang: en\n", "no title; add `title: …`"),
        ("title: A Strike\nlang: en\n", "needs a date"),
        ("title: A Strike\ndate: 2022-13-01\nlang: en\n", "'2022-13-01' is not a real date"),
        ("- a list\n", "metadata must be a mapping"),
    ],
)
def test_bad_metadata_is_one_error_line_naming_the_file(tmp_path, capsys, metadata, expected):
    seeds = _seed(tmp_path / "seeds", metadata=metadata)
    code, _, err = _run(capsys, "build", "--to", "md", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("kzpress: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert expected in err and "strike" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content, expected",
    [(b"", "the file is empty"), (b"\xff\xfe\x00a\x00b", "binary file"), ("Привет".encode("cp1251") * 30, "not valid UTF-8")],
)
def test_unreadable_seed_text_is_one_error_line(tmp_path, capsys, content, expected):
    seeds = _seed(tmp_path / "seeds", text=content)
    code, _, err = _run(capsys, "build", "--to", "md", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 1 and expected in err and str(seeds / "strike.txt") in err


@pytest.mark.parametrize("command", ["build", "pseudo", "watch"])
def test_unknown_format_is_a_usage_error_before_anything_is_built(tmp_path, capsys, command):
    seeds = _seed(tmp_path / "seeds")
    code, _, err = _run(capsys, command, "--to", "pdf,docx", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 2 and f"usage: kzpress {command}" in err and "Traceback" not in err
    assert "argument --to: unknown format 'docx'; choose from pdf, print, booklet, epub, xliff, md" in err
    assert not (tmp_path / "out").exists()


def test_a_pseudo_translation_has_no_xliff(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds")
    code, _, err = _run(capsys, "pseudo", "--to", "xliff", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 1 and "kzpress: error: --to: a pseudo-translation has no XLIFF" in err
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2(capsys):
    code, _, err = _run(capsys, "frobnicate")
    assert code == 2 and "usage: kzpress" in err


def test_language_is_detected_and_said_when_metadata_has_none(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds", metadata="title: A Strike\ndate: 2022\n")
    code, _, err = _run(capsys, "build", "--to", "md", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "detected 'en'" in err
    assert (tmp_path / "out" / "strike" / "en" / "strike.md").exists()


def test_lang_option_gives_the_language_when_metadata_has_none(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds", metadata="title: A Strike\ndate: 2022\n")
    code, _, err = _run(capsys, "build", "--to", "md", "--lang", "en-GB", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "detected" not in err
    assert (tmp_path / "out" / "strike" / "en-GB" / "strike.md").exists()


def test_asking_for_an_untranslated_language_is_an_error(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds")
    code, _, err = _run(capsys, "build", "--to", "md", "--lang", "ru", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == 1 and "no 'ru' edition" in err


def test_normalize_prints_canonical_markdown_that_normalises_to_itself(tmp_path, capsys):
    seeds = _seed(tmp_path / "seeds", text="It's a \"strike\" -- at last...\n", metadata=None)
    code, first, _ = _run(capsys, "normalize", str(seeds / "strike.txt"), "--lang", "en")
    assert code == 0
    assert "It’s a “strike” – at last…" in first
    (tmp_path / "canonical.md").write_text(first, encoding="utf-8")
    code, second, _ = _run(capsys, "normalize", str(tmp_path / "canonical.md"))
    assert code == 0 and second == first


def test_normalize_of_a_missing_file_is_one_error_line(tmp_path, capsys):
    code, _, err = _run(capsys, "normalize", str(tmp_path / "absent.txt"))
    assert code == 1 and err == f"kzpress: error: {tmp_path / 'absent.txt'}: no such file\n"
