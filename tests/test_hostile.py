"""The hostile corpus (tests/hostile/cases.yaml): each input gives its one-line error or a safe output.

Safe outputs are built together, once per set of formats, with the network cut off; every output is then
searched for script, event handlers, script and file URLs, remote resources, PDF attachments and
JavaScript, and for anything from the secret folder beside the seeds or from /etc/passwd.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from kzpress.cli import main

HOSTILE = Path(__file__).parent / "hostile"
INPUTS = HOSTILE / "inputs"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
ERROR_CASES = [case for case in CASES if "error" in case]
SAFE_CASES = [case for case in CASES if "safe" in case]
DEFAULT_FORMATS = ("md", "xliff")
SECRET_TEXT = "KZPRESS-OUTSIDE-SECRET-7f3a"
SECRET_SIZE = (7, 5)  # the secret image: no image of this size may appear in a PDF or EPUB
PASSWD_MARK = "root:x:0:0"


# --- making the seeds -------------------------------------------------------------------------


def _secret_folder(root: Path) -> Path:
    outside = root / "secret"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text(f"{SECRET_TEXT}\n", encoding="utf-8")
    Image.new("RGB", SECRET_SIZE, (123, 45, 67)).save(outside / "secret.png")
    return outside


def _300_kilobytes(seeds: Path, slug: str) -> None:
    paragraph = "The strike went on. " * 50 + "\n\n"
    (seeds / f"{slug}.txt").write_text(paragraph * (300 * 1024 // len(paragraph)), encoding="utf-8")


def _image_link_outside(seeds: Path, slug: str) -> None:
    (seeds / "picture.png").symlink_to(seeds.parent / "secret" / "secret.png")
    (seeds / f"{slug}.md").write_text("A picture that is a link to a file outside.\n\n![a picture](picture.png)\n")


MAKERS = {
    "sparse-60-mb": lambda seeds, slug: os.truncate(_touch(seeds / f"{slug}.txt"), 60 * 1024 * 1024),
    "300-kilobytes": _300_kilobytes,
    "fifo": lambda seeds, slug: os.mkfifo(seeds / f"{slug}.txt"),
    "dev-zero-link": lambda seeds, slug: (seeds / f"{slug}.txt").symlink_to("/dev/zero"),
    "folder": lambda seeds, slug: (seeds / f"{slug}.txt").mkdir(),
    "two-megabyte-metadata": lambda seeds, slug: (seeds / f"{slug}.yaml").write_text(
        'title: "T"\ndate: "2022"\nlang: en\n' + "# padding\n" * 220_000, encoding="utf-8"),
    "image-link-outside": _image_link_outside,
    "escape-in-name": lambda seeds, slug: _touch(seeds / "a\x1b[2J\nname.txt"),
}


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def plant(case: dict, seeds: Path) -> None:
    """Put the case's seed (and metadata) into `seeds`, which has the secret folder beside it."""
    seeds.mkdir(parents=True, exist_ok=True)
    slug = case["case"]
    outside = _secret_folder(seeds.parent)
    if "input" in case:
        source = INPUTS / case["input"]
        data = source.read_bytes()
        if b"{outside}" in data:
            data = data.replace(b"{outside}", str(outside).encode())
        (seeds / f"{slug}{source.suffix}").write_bytes(data)
    metadata = case.get("metadata", "metadata.yaml")
    if metadata != "none":
        shutil.copy(INPUTS / metadata, seeds / f"{slug}.yaml")
    if "make" in case:
        MAKERS[case["make"]](seeds, slug)


# --- running kzpress without a network ----------------------------------------------------------


class NetworkUse(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Every way Python reaches the network, recorded and refused (pandoc runs with --sandbox)."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkUse(f"network use: {args[:2]}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"kzpress tried to reach the network: {attempts}"


def run_kzpress(argv: list[str], env: dict[str, str], capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().err


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case["case"] for case in ERROR_CASES])
def test_hostile_input_is_one_error_line(case, tmp_path, capsys, monkeypatch, no_network):
    seeds = tmp_path / "seeds"
    plant(case, seeds)
    args = [arg.replace("{missing}", str(tmp_path / "missing-seeds")) for arg in case.get("args", [])]
    formats = ["--to", ",".join(case.get("formats", DEFAULT_FORMATS))]
    argv = ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"), *formats, *args]
    code, err = run_kzpress(argv, case.get("env", {}), capsys, monkeypatch)
    lines = err.splitlines()
    assert code == 1, err
    assert lines and lines[-1].startswith("kzpress: error: "), err
    assert "Traceback" not in err
    assert case["error"] in lines[-1]
    names = case.get("names", "seed")
    expected = {"seed": case["case"] + ".", "metadata": case["case"] + ".yaml"}.get(names, names)
    assert expected in lines[-1], f"the error does not name {expected!r}: {lines[-1]}"
    assert not any(path.is_file() for path in (tmp_path / "out").rglob("*") if ".kzpress-cache" not in path.parts)


# --- safe outputs -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def safe_builds(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """Each safe case's output folder and the notice lines naming it, from one build per format set."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for case in SAFE_CASES:
        groups.setdefault(tuple(case.get("formats", DEFAULT_FORMATS)), []).append(case)
    builds = []
    for number, (formats, cases) in enumerate(groups.items()):
        root = tmp_path_factory.mktemp(f"safe-{number}")
        for case in cases:
            plant(case, root / "seeds")
        args = [arg for case in cases for arg in case.get("args", [])]
        builds.append((cases, root, _build_without_network(root, formats, args)))
    results = {}
    for cases, root, running in builds:  # the builds run side by side
        stderr = running.communicate(timeout=600)[1]
        assert "NETWORK USE" not in stderr, stderr
        assert running.returncode == 0, stderr
        for case in cases:
            names_it = f"{os.sep}{case['case']}."
            results[case["case"]] = (root / "out" / case["case"], [line for line in stderr.splitlines() if names_it in line])
    return results


def _build_without_network(root: Path, formats: tuple[str, ...], args: list[str]) -> subprocess.Popen:
    """`kzpress build` in a subprocess whose sockets refuse to connect (see `_NO_NETWORK`)."""
    # --jobs 1: every render in this one process, whose sockets are the ones refused
    command = [sys.executable, "-c", _NO_NETWORK, "build", "--jobs", "1", "--seeds", str(root / "seeds"),
               "--out", str(root / "out"), "--to", ",".join(formats), *args]
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


_NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    print("kzpress-test: NETWORK USE", args[:2], file=sys.stderr)
    raise OSError("network use")
for name in ("connect", "connect_ex", "sendto"):
    setattr(socket.socket, name, refuse)
socket.create_connection = socket.getaddrinfo = refuse
from kzpress.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("case", SAFE_CASES, ids=[case["case"] for case in SAFE_CASES])
def test_hostile_input_gives_a_safe_publication(case, safe_builds):
    out, notices = safe_builds[case["case"]]
    files = sorted(path for path in out.rglob("*") if path.is_file())
    built = {path.suffix for path in files}
    assert built == {f".{name}" if name != "xliff" else ".xlf" for name in case.get("formats", DEFAULT_FORMATS)}
    for path in files:
        assert_safe(path)
    for expected in case["safe"].get("notices", []):
        assert any(expected in line for line in notices), f"no notice with {expected!r} in {notices}"
    markdown = next(path for path in files if path.suffix == ".md").read_text(encoding="utf-8")
    for text in case["safe"].get("kept", []):
        assert text in markdown


def assert_safe(path: Path) -> None:
    check = {".md": _markdown_is_safe, ".xlf": _xliff_is_safe, ".epub": _epub_is_safe, ".pdf": _pdf_is_safe}
    check[path.suffix](path.read_bytes(), str(path))


FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "form", "input", "button", "base", "frame", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "cite", "background", "srcset"}
DANGEROUS_URL = re.compile(r"(?i)^[\s\x00-\x1f]*(javascript|vbscript|file|data:text|data:image/svg)")
REMOTE = re.compile(r"(?i)^\s*(https?:)?//")


def _text_is_safe(data: bytes, where: str) -> None:
    text = data.decode("utf-8", "replace")
    for forbidden in (SECRET_TEXT, PASSWD_MARK):
        assert forbidden not in text, f"{where}: holds {forbidden!r} from outside the document"


def _elements_are_safe(root, where: str) -> None:
    """No element that runs or embeds, no event handler, no script or file URL, no remote resource."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname.lower()
        assert name not in FORBIDDEN_ELEMENTS, f"{where}: <{name}>"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            assert not local.startswith("on"), f"{where}: <{name} {local}=…>"
            if local in URL_ATTRIBUTES:
                assert not DANGEROUS_URL.match(value), f"{where}: <{name} {local}={value!r}>"
                assert name == "a" or not REMOTE.match(value), f"{where}: <{name} {local}={value!r}> is remote"
                assert not re.match(r"\s*(/|\.\./)", value) or name == "a" and "../" not in value, f"{where}: {value}"


def _markdown_is_safe(data: bytes, where: str) -> None:
    """The canonical Markdown as any Markdown tool would render it to HTML."""
    from kzpress import pandoc

    _text_is_safe(data, where)
    rendered = pandoc.run(["-f", pandoc.MARKDOWN, "-t", "html5"], data, source=where).decode("utf-8")
    _elements_are_safe(lxml_html.fragment_fromstring(rendered or "<p></p>", create_parent="div"), where)
    assert not re.search(r"(?i)<style\b", rendered), f"{where}: a stylesheet"


def _xliff_is_safe(data: bytes, where: str) -> None:
    _text_is_safe(data, where)
    _elements_are_safe(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)), where)


def _epub_is_safe(data: bytes, where: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            member = book.read(name)
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml", ".svg")):
                _xliff_is_safe(member, f"{where}!{name}")
            elif name.endswith(".css"):
                _text_is_safe(member, f"{where}!{name}")
                assert not re.search(rb"(?i)@import|url\(\s*['\"]?\s*(https?:|//|file:)", member), f"{where}!{name}"
            elif name.endswith((".png", ".jpg", ".gif", ".webp")):
                with Image.open(io.BytesIO(member)) as picture:
                    assert picture.size != SECRET_SIZE, f"{where}!{name}: the secret image"


def _pdf_is_safe(data: bytes, where: str) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = pdf.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in names and "/JavaScript" not in names, f"{where}: attachments or JavaScript"
        assert "/OpenAction" not in pdf.Root or "/JS" not in str(pdf.Root.OpenAction), where
        for number, page in enumerate(pdf.pages, 1):
            for annotation in page.get("/Annots", []):
                assert annotation.get("/Subtype") != "/FileAttachment", f"{where} page {number}: an attachment"
                action = annotation.get("/A", {})
                assert action.get("/S") not in ("/JavaScript", "/Launch"), f"{where} page {number}: {action}"
                uri = str(action.get("/URI", ""))
                assert not re.match(r"(?i)(file|javascript|vbscript|data):", uri), f"{where} page {number}: {uri}"
            for image in page.get_images().values():
                assert (int(image.Width), int(image.Height)) != SECRET_SIZE, f"{where} page {number}: the secret image"
        for stream in (obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)):
            try:
                content = stream.read_bytes()
            except pikepdf.PdfError:
                continue
            assert SECRET_TEXT.encode() not in content and PASSWD_MARK.encode() not in content, where
    _pdf_text_is_safe(data, where)


def _pdf_text_is_safe(data: bytes, where: str) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        text = "".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    finally:
        document.close()
    assert SECRET_TEXT not in text and PASSWD_MARK not in text, f"{where}: text from outside the document"


# --- the corpus itself --------------------------------------------------------------------------


def test_every_input_file_is_used_by_a_case():
    used = {case.get("input") for case in CASES} | {case.get("metadata") for case in CASES} | {"metadata.yaml"}
    assert sorted(path.name for path in INPUTS.iterdir()) == sorted(name for name in used if name and name != "none")


def test_no_case_wrote_outside_its_folders():
    assert not Path("/tmp/kzpress-pwned").exists(), "a YAML tag ran a command"


# --- what the command line shows ------------------------------------------------------------------


def test_the_command_exits_1_with_one_line_and_no_traceback(tmp_path):
    seeds = tmp_path / "seeds"
    plant(next(case for case in CASES if case["case"] == "empty-text"), seeds)
    completed = subprocess.run([sys.executable, "-m", "kzpress.cli", "build", "--seeds", str(seeds), "--out",
                                str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1
    expected = f"kzpress: error: {seeds / 'empty-text.txt'}: the file is empty; put the article's text in it\n"
    assert completed.stderr == expected


def test_verbose_shows_the_detail_then_the_same_error_line(tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds"
    plant(next(case for case in CASES if case["case"] == "corrupt-docx"), seeds)
    argv = ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"), "--to", "md"]
    _, plain = run_kzpress(argv, {}, capsys, monkeypatch)
    _, verbose = run_kzpress(["-v", *argv], {}, capsys, monkeypatch)
    assert len(plain.splitlines()) == 1
    assert "Traceback" in verbose and "pandoc" in verbose and len(verbose.splitlines()) > 3
    assert verbose.splitlines()[-1] == plain.splitlines()[0]


def test_what_kzpress_logs_reaches_the_user_unless_quiet(tmp_path, capsys, monkeypatch):
    import logging

    from kzpress import build

    def refusing_build(*args, **kwargs):
        logging.getLogger("kzpress.sandbox").warning("the PDF renderer refused file:///etc/passwd: outside")
        return []

    monkeypatch.setattr(build, "build", refusing_build)
    argv = ["build", "--seeds", str(tmp_path), "--out", str(tmp_path / "out")]
    expected = "kzpress: the PDF renderer refused file:///etc/passwd: outside\n"
    assert run_kzpress(argv, {}, capsys, monkeypatch) == (0, expected)
    assert run_kzpress(["-q", *argv], {}, capsys, monkeypatch) == (0, "")


@pytest.mark.parametrize("broken, expected", [("fonts-missing", "fonts folder is missing"),
                                              ("fonts-empty", "no font files here")])
def test_missing_fonts_are_one_clear_error(tmp_path, broken, expected):
    from kzpress.build import Project, build
    from kzpress.errors import KzpressError

    seeds = tmp_path / "seeds"
    plant(next(case for case in CASES if case["case"] == "markup-in-metadata"), seeds)
    fonts = tmp_path / "fonts"
    if broken == "fonts-empty":
        fonts.mkdir()
    with pytest.raises(KzpressError, match=expected) as raised:
        build(Project(seeds_dir=seeds, out_dir=tmp_path / "out", fonts_dir=fonts), [], ["pdf"], [], notice=lambda m: None)
    assert str(fonts) in str(raised.value) and "\n" not in str(raised.value)
