"""The `kzpress` command. Every subcommand is a thin front over build.py, like tasks.py."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from kzpress import __version__
from kzpress.errors import KzpressError


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seeds folder (default: seeds)")
    parser.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    _max_input(parser)


def _layout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", type=Path, default=None, metavar="DIR",
                        help="your own layout folder: its templates, stylesheets and designs replace kzpress's, "
                             "its settings.yaml changes the settings it names")


def _max_input(parser: argparse.ArgumentParser) -> None:
    from kzpress.seeds import MAX_INPUT_MB

    parser.add_argument("--max-input-mb", type=float, default=MAX_INPUT_MB, metavar="MB",
                        help=f"refuse larger seeds before reading them (default: {MAX_INPUT_MB})")


def _formats(value: str) -> list[str]:
    """--to's list; a format kzpress does not make is a wrong command line (usage, exit status 2)."""
    from kzpress.backends import BACKENDS

    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in BACKENDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format '{unknown[0]}'; choose from {', '.join(BACKENDS)}")
    return names


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes; give 1 or more")
    return int(value)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="kzpress",
        description="Turn articles into a typeset PDF pamphlet, an EPUB 3 e-book and XLIFF for translators.",
        epilog="Example: kzpress build kazakhstan-2022 --to pdf,epub",
    )
    root.add_argument("--version", action="version", version=f"kzpress {__version__}")
    root.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    root.add_argument("-v", "--verbose", action="store_true", help="show the full detail of an error")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build seeds into PDF, EPUB, XLIFF and canonical Markdown",
        description="Build every seed (or the SLUGs named) into <out>/<slug>/<lang>/ and <out>/<slug>/xliff/.",
        epilog="Example: kzpress build kazakhstan-2022 --to pdf,md",
    )
    build.add_argument("slugs", nargs="*", metavar="SLUG", help="seeds to build (default: all)")
    build.add_argument("--to", type=_formats, default=None, metavar="FORMATS", help="comma-separated: pdf (reading), print (press PDF/X-1a), booklet (imposed for saddle stitching), epub, xliff, md (default: all)")
    build.add_argument("--lang", action="append", default=[], metavar="LANG", help="language edition to build; also the language of a seed whose metadata has none")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    build.add_argument("--allow-incomplete", action="store_true",
                       help="build a translated edition even where units are not translated yet (they print in the source language)")
    build.add_argument("--json", action="store_true",
                       help="print a summary on standard output: per seed, built, up to date or failed, and its files")
    build.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="render up to N editions and formats at once, in worker processes (default: one per usable "
                            "CPU core; 1: everything in this process)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="render on an existing Dask distributed cluster, e.g. tcp://host:8786 (pip install 'kzpress[dask]')")
    _common(build)
    _layout(build)

    xliff = commands.add_parser(
        "xliff", help="export XLIFF 1.2 (or 2.1) for translators",
        description="Write <out>/<slug>/xliff/<slug>.<target>.xlf for each --target language. A translation "
                    "already imported carries over: only new and changed units are left to translate.",
        epilog="Example: kzpress xliff kazakhstan-2022 --target ru --target kk",
    )
    xliff.add_argument("slugs", nargs="*", metavar="SLUG", help="seeds to export (default: all)")
    xliff.add_argument("--target", action="append", required=True, metavar="LANG", help="target language (repeatable)")
    xliff.add_argument("--xliff", choices=["1.2", "2.1"], default="1.2", metavar="VERSION",
                       help="XLIFF version: 1.2 (default, every CAT tool reads it) or 2.1")
    _common(xliff)

    imports = commands.add_parser(
        "import", help="bring translated XLIFF back and store it with its seed",
        description="Check each translated XLIFF file (1.2, 2.0 or 2.1) against what kzpress exported and store "
                    "it as <seeds>/<slug>.<lang>.xlf; then `kzpress build SLUG --lang LANG` builds that edition. "
                    "Every problem is reported by unit id, and nothing is stored unless every file passes.",
        epilog="Example: kzpress import kazakhstan-2022.ru.xlf --translator 'A. Translator'",
    )
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imports.add_argument("--lang", metavar="LANG", help="refuse a file that is not a translation into LANG")
    imports.add_argument("--translator", action="append", default=[], metavar="NAME",
                         help="credit NAME as translator (repeatable; default: the file's, else the earlier import's)")
    imports.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seeds folder (default: seeds)")
    imports.add_argument("--xliff-schemas", type=Path, default=None, metavar="DIR",
                         help="folder holding the OASIS XLIFF schemas (default: KZPRESS_XLIFF_SCHEMAS or ../shared/schemas/xliff)")

    pseudo = commands.add_parser(
        "pseudo", help="build a pseudo-translation to see a longer language's layout",
        description="Pseudo-translate each seed (accented, about 35%% longer, bracketed [ ]) and build it into "
                    "<out>/<slug>/<lang>-XA/, before translators start. Nothing is stored.",
        epilog="Example: kzpress pseudo kazakhstan-2022 --to pdf",
    )
    pseudo.add_argument("slugs", nargs="*", metavar="SLUG", help="seeds to pseudo-translate (default: all)")
    pseudo.add_argument("--to", type=_formats, default=["pdf", "epub"], metavar="FORMATS", help="formats to build (default: pdf,epub)")
    _common(pseudo)
    _layout(pseudo)

    tmx = commands.add_parser(
        "tmx", help="export the stored translations as TMX for translation memories",
        description="Write <out>/<slug>/xliff/<slug>.tmx with every translation stored with the seed.",
        epilog="Example: kzpress tmx kazakhstan-2022",
    )
    tmx.add_argument("slugs", nargs="*", metavar="SLUG", help="seeds whose translations to export (default: all)")
    _common(tmx)

    normalize = commands.add_parser(
        "normalize", help="print a seed as canonical Markdown",
        description="Normalise FILE (plain text, Markdown, .docx, .odt, .html) and print canonical Markdown.",
        epilog="Example: kzpress normalize article.txt --lang ru > article.md",
    )
    normalize.add_argument("file", type=Path, metavar="FILE")
    normalize.add_argument("--lang", metavar="LANG", help="the text's language when its metadata gives none")
    _max_input(normalize)

    new = commands.add_parser(
        "new", help="start a publication: a seed and its commented metadata",
        description="Write <seeds>/SLUG.txt (a starter text explaining the plain-text conventions) and "
                    "<seeds>/SLUG.yaml (commented metadata). It builds as it is.",
        epilog="Example: kzpress new may-day-2026 --lang ru --author 'Editorial collective'",
    )
    new.add_argument("slug", metavar="SLUG", help="short name: lower-case letters, digits and hyphens")
    new.add_argument("--lang", default="en-GB", metavar="LANG", help="the text's language (default: en-GB)")
    new.add_argument("--title", metavar="TEXT", help="the title (default: from the slug)")
    new.add_argument("--author", default="", metavar="NAME")
    new.add_argument("--publisher", default="", metavar="NAME")
    new.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seeds folder (default: seeds)")

    proof = commands.add_parser(
        "proof", help="PNG images of every page and a contact sheet",
        description="Build the reading PDF of SLUG, then write <out>/<slug>/<lang>/proof/*.png (one per page) "
                    "and <slug>.contact-sheet.png beside the PDF; for a translation also <slug>.side-by-side.png, "
                    "each source page beside the translation's page of the same number. --lang en-XA (the "
                    "source's language with region XA) proofs the pseudo-translation that `kzpress pseudo` builds.",
        epilog="Example: kzpress proof kazakhstan-2022 --lang en-XA",
    )
    proof.add_argument("slug", metavar="SLUG")
    proof.add_argument("--lang", action="append", default=[], metavar="LANG",
                       help="language edition, or a pseudo-locale such as en-XA (repeatable; default: every edition)")
    _common(proof)
    _layout(proof)

    diff = commands.add_parser(
        "diff", help="which pages changed visually between two PDFs",
        description="Render both PDFs and list the pages that look different. Exit status as diff(1) and "
                    "cmp(1) have it: 0 no page changed, 1 some pages changed, 2 trouble (a file missing or not "
                    "a PDF, or a wrong command line).",
        epilog="Example: kzpress diff old/kazakhstan-2022.pdf dist/kazakhstan-2022/en-GB/kazakhstan-2022.pdf",
    )
    diff.add_argument("before", type=Path, metavar="BEFORE.pdf")
    diff.add_argument("after", type=Path, metavar="AFTER.pdf")

    watch = commands.add_parser(
        "watch", help="rebuild and re-proof on every change, until interrupted",
        description="Build once, then rebuild whatever a change under the seeds folder, layout/ or fonts/ "
                    "touches, and keep the proof images current. Stop with Ctrl-C.",
        epilog="Example: kzpress watch --to pdf,epub",
    )
    watch.add_argument("--to", type=_formats, default=["pdf"], metavar="FORMATS", help="formats to rebuild (default: pdf)")
    watch.add_argument("--no-proofs", action="store_true", help="do not write proof images")
    _common(watch)
    _layout(watch)

    check = commands.add_parser(
        "check", help="validate what was built",
        description="Check built PDFs (page size, fonts; a print shop's preflight of press PDFs and booklets), EPUBs (EPUBCheck) and XLIFF (schema).",
        epilog="Example: kzpress check kazakhstan-2022",
    )
    check.add_argument("slugs", nargs="*", metavar="SLUG", help="publications to check (default: all built)")
    check.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    check.add_argument("--xliff-schemas", type=Path, default=None, metavar="DIR",
                       help="folder holding the OASIS XLIFF schemas (1.2/xliff-core-1.2-strict.xsd)")
    check.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR",
                       help="seeds folder, whose stored translations are checked against the current text (default: seeds)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def notice(message: str) -> None:
        if not args.quiet:
            print(f"kzpress: {one_line(message)}", file=sys.stderr)

    warnings = _NoticeHandler(notice)  # what kzpress's modules log (the renderer's sandbox) reaches the user
    logging.getLogger("kzpress").addHandler(warnings)
    try:
        return _run(args, notice)
    except KzpressError as error:
        if args.verbose:
            traceback.print_exc()
            if error.detail:
                print(error.detail, file=sys.stderr)
        lines = getattr(error, "lines", None) or [str(error)]  # many problems: one a line (kzpress import)
        print(f"kzpress: error: {one_line(lines[0])}", file=sys.stderr)
        for line in lines[1:]:
            print(one_line(line), file=sys.stderr)
        return 2 if args.command == "diff" else 1  # diff: 1 means "pages changed", as with diff(1)
    except KeyboardInterrupt:
        print("kzpress: interrupted; finished outputs are intact", file=sys.stderr)
        return 130
    finally:
        logging.getLogger("kzpress").removeHandler(warnings)


def one_line(message: str) -> str:
    """The message with line breaks and other invisible characters escaped: a file name from a seeds
    folder can hold any of them, and an error must stay one line that cannot rewrite the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in message)


class _NoticeHandler(logging.Handler):
    def __init__(self, notice):
        super().__init__(logging.WARNING)
        self.notice = notice

    def emit(self, record: logging.LogRecord) -> None:
        self.notice(record.getMessage())


def _run(args: argparse.Namespace, notice) -> int:
    from kzpress import build

    if args.command == "normalize":
        from kzpress.normalize import normalize
        from kzpress.seeds import seed_for_file

        _, _, canonical = normalize(seed_for_file(args.file), lang=args.lang, notice=notice,
                                    max_input_bytes=_max_input_bytes(args))
        sys.stdout.buffer.write(canonical)
        return 0
    if args.command == "new":
        from kzpress.scaffold import new_seed

        written = new_seed(args.seeds, args.slug, layout_dir=build.Project().layout_dir, lang=args.lang,
                           title=args.title, author=args.author, publisher=args.publisher)
        for path in written:
            notice(f"wrote {path}")
        return 0
    if args.command == "diff":
        return _diff(args.before, args.after)
    if args.command == "proof":
        build.proof(_project(args), args.slug, args.lang, notice=notice)
        return 0
    if args.command == "watch":
        from kzpress.watch import watch

        watch(_project(args), args.to, proofs=not args.no_proofs, notice=notice)
        return 0
    if args.command == "check":
        from kzpress import check

        return check.run(args.out, args.slugs, schemas=args.xliff_schemas, notice=notice, seeds=args.seeds)
    if args.command == "import":
        return _import(args, notice)
    project = _project(args)
    if args.command == "pseudo":
        build.pseudo(project, args.slugs, args.to, notice=notice)
        return 0
    if args.command == "tmx":
        build.tmx(project, args.slugs, notice=notice)
        return 0
    if args.command == "xliff":
        project = replace(project, xliff_version=args.xliff)
        build.build(project, args.slugs, ["xliff"], [], targets=args.target, notice=notice)
    else:
        return _build(args, project, notice)
    return 0


def _build(args: argparse.Namespace, project, notice) -> int:
    """`kzpress build`, with a progress bar on a terminal; with --json, the summary is printed even when
    the build fails."""
    from kzpress import build, progress
    from kzpress.seeds import find_seeds, select

    results: list = []
    formats = args.to or list(build.default_formats())
    try:
        seeds = len(select(find_seeds(project.seeds_dir), args.slugs, project.seeds_dir)) if sys.stderr.isatty() else 0
        bar = progress.wanted(sys.stderr, quiet=args.quiet, seeds=seeds, formats=len(formats))
        with progress.build_progress(seeds, enabled=bar) as advance:
            build.build(project, args.slugs, formats, args.lang, force=args.force, allow_incomplete=args.allow_incomplete,
                        notice=notice, report=lambda result: (results.append(result), advance(result)),
                        jobs=args.jobs, scheduler=args.scheduler)
    except KzpressError as error:
        if args.json:
            _print_summary(results, error=str(error))
        raise
    if args.json:
        _print_summary(results)
    return 0


def _print_summary(results: list, error: str = "") -> None:
    """The `--json` summary: `ok`, the `error` that stopped the build (or null) and one record per seed."""
    import json

    seeds = [{"seed": result.slug, "status": result.status, "files": [str(path) for path in result.files],
              **({"error": result.error} if result.error else {})} for result in results]
    print(json.dumps({"ok": not error, "error": error or None, "seeds": seeds}, ensure_ascii=False, indent=2))


def _import(args: argparse.Namespace, notice) -> int:
    from kzpress.schemas import find_schema_dir
    from kzpress.translation.store import import_files

    schema_dir = find_schema_dir(args.xliff_schemas)
    if schema_dir is None:
        notice("the OASIS XLIFF schemas were not found, so the files are checked without them (pass --xliff-schemas DIR)")
    import_files(args.files, args.seeds, lang=args.lang, translators=tuple(args.translator), schema_dir=schema_dir, notice=notice)
    return 0


def _project(args: argparse.Namespace):
    from kzpress.build import Project

    project = Project(seeds_dir=args.seeds, out_dir=args.out, max_input_bytes=_max_input_bytes(args),
                      publisher_layout=getattr(args, "layout", None))
    if project.publisher_layout is not None:
        project.check_folders()  # a missing --layout folder, before any work
    return project


def _max_input_bytes(args: argparse.Namespace) -> int:
    from kzpress.errors import InputError

    if not args.max_input_mb > 0:
        raise InputError(f"--max-input-mb: {args.max_input_mb:g} is not a size; give megabytes such as 20")
    return int(args.max_input_mb * 1024 * 1024)


def _diff(before: Path, after: Path) -> int:
    from kzpress.errors import InputError
    from kzpress.proof import changed_pages

    for path in (before, after):
        if not path.is_file():
            raise InputError(f"{path}: no such PDF")
    changed = changed_pages(before.read_bytes(), after.read_bytes(), names=(str(before), str(after)))
    print(f"pages changed: {', '.join(map(str, changed))}" if changed else "no page changed")
    return 1 if changed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
