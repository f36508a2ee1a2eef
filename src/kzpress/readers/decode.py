"""Bytes to text for the text-based readers: UTF-8 (with or without BOM) or a clear refusal."""

from __future__ import annotations

from kzpress.errors import InputError


def decode(data: bytes, *, source: str) -> str:
    if not data.strip():
        raise InputError(f"{source}: the file is empty; put the article's text in it")
    if b"\x00" in data:
        raise InputError(f"{source}: this is a binary file, not text; save the article as UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{source}:{line}: not valid UTF-8; save the file as UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
