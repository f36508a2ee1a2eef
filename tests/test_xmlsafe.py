"""Safe XML's limits: a file far beyond any translation's size or nesting is refused before it is parsed."""

from __future__ import annotations

import pytest

from kzpress import xmlsafe
from kzpress.errors import InputError


def test_nesting_up_to_the_limit_is_read():
    depth = xmlsafe.MAX_DEPTH
    root = xmlsafe.parse(b"<a>" * depth + b"</a>" * depth, source="ok.xlf")
    assert len(list(root.iter())) == depth


@pytest.mark.parametrize("depth", [xmlsafe.MAX_DEPTH + 1, 100_000])
def test_deeper_nesting_is_refused(depth):
    with pytest.raises(InputError, match=r"deep\.xlf: elements are nested more than 100 deep"):
        xmlsafe.parse(b"<a>" * depth + b"</a>" * depth, source="deep.xlf")


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    data = b"<r>" + b"x" * 2048 + b"</r>"
    expected = r"big\.xlf: 0\.0 MB is more XML than kzpress reads \(at most 0\.000976562 MB\); split the file"
    with pytest.raises(InputError, match=expected):
        xmlsafe.parse(data, source="big.xlf", max_bytes=1024)
    assert xmlsafe.parse(data, source="big.xlf", max_bytes=len(data)).text == "x" * 2048


def test_a_billion_laughs_is_refused_at_its_dtd():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)
    ) + b"]><lolz>&lol9;</lolz>"
    with pytest.raises(InputError, match="declares a DTD"):
        xmlsafe.parse(laughs, source="laughs.xlf")


def test_malformed_xml_names_the_file_and_the_line():
    with pytest.raises(InputError, match=r"broken\.xlf: not well-formed XML: .*line 3.*; fix it or export it again"):
        xmlsafe.parse(b"<r>\n<a>\n</r>", source="broken.xlf")
