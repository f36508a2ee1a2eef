"""`kzpress check` on the seed's build: every check passes; a broken output fails with its reason."""

from __future__ import annotations

import shutil

from kzpress.check import check_outputs
from kzpress.cli import main

SLUG = "kazakhstan-2022"


def test_every_check_passes_on_the_seed_build(seed_build, shared):
    findings = list(check_outputs(seed_build, [], schemas=shared / "schemas" / "xliff"))
    kinds = {finding.check.split(" 5.")[0] for finding in findings}
    assert {"pages", "fonts embedded", "fonts from fonts/", "EPUBCheck", "XLIFF schema"} <= kinds
    assert [(f.path.name, f.check, f.detail) for f in findings if f.passed is not True] == []
    epubcheck = next(f for f in findings if f.check.startswith("EPUBCheck"))
    assert epubcheck.detail.startswith("0 fatal, 0 error, 0 warning")


def test_check_fails_on_a_broken_xliff_and_exits_1(seed_build, tmp_path, shared, capsys):
    broken = tmp_path / "out"
    shutil.copytree(seed_build / SLUG / "xliff", broken / SLUG / "xliff")
    target = broken / SLUG / "xliff" / f"{SLUG}.ru.xlf"
    target.write_bytes(target.read_bytes().replace(b"<trans-unit ", b"<trans-unit bogus='1' ", 1))
    code = main(["check", "--out", str(broken), "--xliff-schemas", str(shared / "schemas" / "xliff")])
    captured = capsys.readouterr()
    assert code == 1
    assert "FAIL" in captured.out and "bogus" in captured.out


def test_check_of_an_empty_output_folder_says_to_build_first(tmp_path, capsys):
    code = main(["check", "--out", str(tmp_path / "nothing")])
    assert code == 1
    assert "nothing built here; run `kzpress build` first" in capsys.readouterr().err
