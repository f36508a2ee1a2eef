"""What the PDF renderer may read: the document's own folder, layout/ and fonts/, and nothing else.

WeasyPrint fetches whatever a page names: images, stylesheets, fonts, SVG references, and attachments
(`<a rel="attachment" href="file:///…">` would embed any readable file in the PDF). kzpress's own
templates name only its layout and fonts, and `kzpress.sanitize` keeps a seed's references inside its
folder, but the renderer is where a mistake in either would leak a file or reach the network, so it
gets a fetcher that serves:

- `file:` URLs whose real path (symbolic links resolved) lies inside one of the folders it was given;
- `data:` URLs of raster images and fonts, which carry their content and reach nothing.

Everything else (other files, http(s), ftp, other data: types) is refused with a warning on the
`kzpress.sandbox` logger, which the command line shows as a `kzpress:` line; WeasyPrint then renders
without the resource, as it does for any that fails to load.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

LOG = logging.getLogger("kzpress.sandbox")
SAFE_DATA_TYPES = frozenset(
    "image/png image/jpeg image/gif image/webp font/ttf font/otf font/woff font/woff2 "
    "application/font-woff application/x-font-ttf".split()
)
_DATA_TYPE = re.compile(r"data:([^;,]*)", re.IGNORECASE)
_SHOWN = 80


class Refused(ValueError):
    """A URL outside the sandbox; WeasyPrint reports it as a resource that failed to load."""


def inside(path: Path, folders: tuple[Path, ...]) -> Path | None:
    """The real path of `path` if it is a file inside one of `folders` (symbolic links resolved)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of symbolic links
        return None
    if not real.is_file():
        return None
    return real if any(real.is_relative_to(folder.resolve()) for folder in folders) else None


def refusal(url: str, folders: tuple[Path, ...]) -> str | None:
    """Why the renderer may not read `url`, or None if it may."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        media_type = _DATA_TYPE.match(url)
        kind = media_type.group(1).strip().lower() if media_type else ""
        return None if kind in SAFE_DATA_TYPES else f"a data: URL of type '{kind or 'text/plain'}'"
    if scheme != "file":
        return f"a {scheme or 'relative'} URL: the renderer reads no network"
    if parts.netloc not in ("", "localhost"):
        return "a file on another host"
    if inside(Path(url2pathname(unquote(parts.path))), folders) is None:
        return "a file outside the document's folder, layout/ and fonts/ (or no such file)"
    return None


def url_fetcher(*folders: Path):
    """A WeasyPrint URL fetcher that serves files inside `folders` and safe data: URLs, refusing the rest."""
    # WeasyPrint is imported here, late, because importing it starts fontconfig, which must first be
    # pointed at kzpress's fonts (see backends.pdf.weasyprint_module).
    from weasyprint.urls import URLFetcher

    allowed = tuple(Path(folder) for folder in folders)

    class SandboxedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            problem = refusal(url, allowed)
            if problem:
                shown = url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…"
                message = f"the PDF renderer refused {shown}: {problem}"
                LOG.warning(message)
                raise Refused(message)
            if urlsplit(url).scheme.lower() == "file":
                url = inside(Path(url2pathname(unquote(urlsplit(url).path))), allowed).as_uri()
            return super().fetch(url, headers)

    return SandboxedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def for_layout(layout_dir: Path):
    """The fetcher for pages laid out with `layout_dir`: it and the fonts folder beside it, the one
    layout/fonts.conf points fontconfig at, so both ways of finding a font reach the same files."""
    return url_fetcher(layout_dir, layout_dir.parent / "fonts")
