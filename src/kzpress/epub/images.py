"""Images of the text, copied into the e-book: only files inside the seed's folder, each with alt text.

An e-book must carry its images, and a seed must not reach files it has no business with, so an
image is read only from the seed's own folder (no absolute path, `..` or URL) or from a `data:` URL
in the text itself. Its media type comes from its content, not its name or the URL's claim, because
EPUBCheck compares the two. An image without a text
alternative is refused: the e-book claims that every image has one.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from kzpress.epub.chapters import Chapter, tag
from kzpress.errors import InputError

# Pillow's name for a format -> (EPUB core media type, file suffix)
FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
IMAGES_FOLDER = "images"
MEDIA_ELEMENTS = ("embed", "object", "iframe", "video", "audio")


@dataclass(frozen=True)
class Image:
    file_name: str  # inside the EPUB's content folder, e.g. images/image-01.png
    media_type: str
    data: bytes
    animated: bool  # frames that move: a possible flashing hazard


def embed_images(chapters: list[Chapter], resource_dir: Path | None) -> list[Image]:
    """Point every <img> at its copy inside the e-book and return the copies, in order of first use."""
    copies: dict[Path | bytes, Image] = {}
    for chapter in chapters:
        for part in chapter.content:
            for media in part.iter(*map(tag, MEDIA_ELEMENTS)):  # pandoc's rendering of a non-image "image"
                source = media.get("src") or media.get("data") or ""
                raise InputError(f"{source}: not an image; the e-book carries PNG, JPEG, GIF and WebP images only")
            for img in part.iter(tag("img")):
                source = img.get("src", "")
                shown = source if len(source) < 60 else source[:57] + "..."
                if not (img.get("alt") or "").strip():
                    raise InputError(f"{shown}: image without a text alternative; describe what it shows "
                                     f"in the seed, e.g. ![A map of the protests](map.png)")
                key = _data_url(source, shown) if source.startswith("data:") else _inside(resource_dir, source)
                if key not in copies:
                    data = key if isinstance(key, bytes) else key.read_bytes()
                    copies[key] = _image(data, shown, number=len(copies) + 1)
                img.set("src", copies[key].file_name)
    return list(copies.values())


def _data_url(source: str, shown: str) -> bytes:
    """The bytes a `data:` URL carries (RFC 2397)."""
    header, _, payload = source[len("data:"):].partition(",")
    try:
        return base64.b64decode(payload, validate=True) if header.endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise InputError(f"{shown}: a broken data: URL; embed the image again "
                         "or save it as a file beside the seed") from None


def _inside(resource_dir: Path | None, source: str) -> Path:
    """The image's file, which must lie inside the seed's folder."""
    parts = urlsplit(source)
    where = f"the seed folder {resource_dir}" if resource_dir else "a seed folder"
    advice = f"save the image in {where} and refer to it by a relative path"
    if resource_dir is None or parts.scheme or parts.netloc or not parts.path:
        raise InputError(f"{source}: the e-book embeds only images from {where}; {advice}")
    relative = Path(unquote(parts.path))
    if relative.is_absolute():
        raise InputError(f"{source}: an absolute path; {advice}")
    root = resource_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise InputError(f"{source}: the image lies outside {where}; {advice}")
    if not path.is_file():
        raise InputError(f"{source}: no such image in {where}; check the file name")
    return path


def _image(data: bytes, source: str, *, number: int) -> Image:
    from PIL import Image as Pillow, UnidentifiedImageError

    try:
        with Pillow.open(io.BytesIO(data)) as picture:
            kind, animated = picture.format, bool(getattr(picture, "is_animated", False))
    except (UnidentifiedImageError, OSError):
        kind, animated = None, False
    if kind not in FORMATS:
        raise InputError(f"{source}: not a PNG, JPEG, GIF or WebP image; convert it to one of those")
    media_type, suffix = FORMATS[kind]
    return Image(f"{IMAGES_FOLDER}/image-{number:02d}{suffix}", media_type, data, animated)

