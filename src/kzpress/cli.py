"""The `kzpress` command. Every subcommand is a thin front over build.py, like tasks.py."""

from __future__ import annotations

import argparse
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from kzpress import __version__
from kzpress.errors import KzpressError


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seeds folder (default: seeds)")
    parser.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")


def _formats(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


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
    build.add_argument("--to", type=_formats, default=None, metavar="FORMATS", help="comma-separated: pdf,epub,xliff,md (default: all)")
    build.add_argument("--lang", action="append", default=[], metavar="LANG", help="language edition to build; also the language of a seed whose metadata has none")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    _common(build)

    xliff = commands.add_parser(
        "xliff", help="export XLIFF 1.2 for translators",
        description="Write <out>/<slug>/xliff/<slug>.<target>.xlf for each --target language.",
        epilog="Example: kzpress xliff kazakhstan-2022 --target ru --target kk",
    )
    xliff.add_argument("slugs", nargs="*", metavar="SLUG", help="seeds to export (default: all)")
    xliff.add_argument("--target", action="append", required=True, metavar="LANG", help="target language (repeatable)")
    _common(xliff)

    normalize = commands.add_parser(
        "normalize", help="print a seed as canonical Markdown",
        description="Normalise FILE (plain text, Markdown, .docx, .odt, .html) and print canonical Markdown.",
        epilog="Example: kzpress normalize article.txt --lang ru > article.md",
    )
    normalize.add_argument("file", type=Path, metavar="FILE")
    normalize.add_argument("--lang", metavar="LANG", help="the text's language when its metadata gives none")

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
                    "and <slug>.contact-sheet.png beside the PDF.",
        epilog="Example: kzpress proof kazakhstan-2022",
    )
    proof.add_argument("slug", metavar="SLUG")
    proof.add_argument("--lang", action="append", default=[], metavar="LANG", help="language edition")
    _common(proof)

    diff = commands.add_parser(
        "diff", help="which pages changed visually between two PDFs",
        description="Render both PDFs and list the pages that look different. Exit 0: none; 1: some changed.",
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

    check = commands.add_parser(
        "check", help="validate what was built",
        description="Check built PDFs (page size, fonts), EPUBs (EPUBCheck) and XLIFF (schema).",
        epilog="Example: kzpress check kazakhstan-2022",
    )
    check.add_argument("slugs", nargs="*", metavar="SLUG", help="publications to check (default: all built)")
    check.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    check.add_argument("--xliff-schemas", type=Path, default=None, metavar="DIR",
                       help="folder holding the OASIS XLIFF schemas (1.2/xliff-core-1.2-strict.xsd)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    def notice(message: str) -> None:
        if not args.quiet:
            print(f"kzpress: {message}", file=sys.stderr)

    try:
        return _run(args, notice)
    except KzpressError as error:
        if args.verbose:
            traceback.print_exc()
        print(f"kzpress: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kzpress: interrupted; finished outputs are intact", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, notice) -> int:
    from kzpress import build

    if args.command == "normalize":
        from kzpress.seeds import seed_for_file

        _, _, canonical = build.normalize(seed_for_file(args.file), lang=args.lang, notice=notice)
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
        build.proof(build.Project(seeds_dir=args.seeds, out_dir=args.out), args.slug, args.lang, notice=notice)
        return 0
    if args.command == "watch":
        from kzpress.watch import watch

        watch(build.Project(seeds_dir=args.seeds, out_dir=args.out), args.to, proofs=not args.no_proofs, notice=notice)
        return 0
    if args.command == "check":
        from kzpress import check

        return check.run(args.out, args.slugs, schemas=args.xliff_schemas, notice=notice)
    project = build.Project(seeds_dir=args.seeds, out_dir=args.out)
    if args.command == "xliff":
        build.build(project, args.slugs, ["xliff"], [], targets=args.target, notice=notice)
    else:
        build.build(project, args.slugs, args.to or list(build.default_formats()), args.lang, force=args.force,
                    notice=notice)
    return 0


def _diff(before: Path, after: Path) -> int:
    from kzpress.errors import InputError
    from kzpress.proof import changed_pages

    for path in (before, after):
        if not path.is_file():
            raise InputError(f"{path}: no such PDF")
    changed = changed_pages(before.read_bytes(), after.read_bytes())
    print(f"pages changed: {', '.join(map(str, changed))}" if changed else "no page changed")
    return 1 if changed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
