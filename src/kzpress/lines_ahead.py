"""The lines of a long text's later part set ahead, on the core the render leaves idle.

A single render is bound by one core: the `kzpress` process waits for it (kzpress.renderer), and the
machine's other core has nothing to do. Setting the lines (`split_first_line`, Pango) is about a third of
a layout, and a line depends only on its text, style, width and fonts, not on the page it falls on
(kzpress.lines). So, for a long text, the render forks a helper as it starts: the helper lays out the
text from a block some way into its body (SPLIT; the front matter and the blocks before left out) and
sends back the lines it sets, page by page. When the render's pages reach that block, it hands the
lines it has received to kzpress.lines as if an earlier render had set them, and those that arrive
later as they come; Pango sets only the lines the helper has not (the lines around a word kept whole at
a page turn, those the helper has not reached yet). The PDF is the same to the byte
(tests/test_lines_ahead.py).

The render takes the helper's lines only from the page that starts at or after the helper's first block:
a line the helper set is never used for text before it, so a text that repeats itself does not lay out
faster (the benchmark's repeated seed, row (e), measures the cost of new text).

A helper is forked only where it pays and is safe: the page is long (LONG_PAGE bytes of HTML), a core is
spare (`spare_cores`, set by kzpress.renderer for the single render it runs while the `kzpress` process
waits), and this process has not laid out text yet (Pango's threads, which a fork does not copy: see
kzpress.wave). A helper that fails or is late costs nothing but its core: the render sets those lines
itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
from itertools import islice
from typing import Any, Callable

from kzpress import lines
from kzpress.mends import once

TESTED_WITH = "70.0"
LONG_PAGE = 150_000  # bytes of print HTML: the seed's is 30 KB, the 141-page text of benchmark row (e) 377 KB
SPLIT = 0.10  # the share of the body's blocks the render lays out before it takes the helper's lines
# On row (e) the render set 1,319 lines itself with SPLIT at 15 %, 1,021 at 10 %, 878 at 8 % and 841 at
# 4 % (the helper had not sent the first lines by then); at 8 % the helper only just finished before the
# render's last page, so a busier machine would have the render catch up and set the last lines too.
_LENGTH = struct.Struct("<Q")

spare_cores = 0  # cores free for a helper while this process renders (kzpress.renderer sets it)
_installed = False


class Helper:
    """The render's side of a helper: the lines received, and whether the render has reached them."""

    def __init__(self, pid: int, reading: int) -> None:
        self.pid, self.reading = pid, reading
        self.cut: int | None = None  # the helper's first block: the index among the body's text's elements
        self.received: dict[tuple, tuple] = {}
        self.reached = False

    def poll(self) -> None:
        """Take in the parts the helper has sent (waiting only for the rest of one it has begun)."""
        while self.reading >= 0 and select.select([self.reading], [], [], 0)[0]:
            part = self._read(_LENGTH.size)
            part = part and self._read(_LENGTH.unpack(part)[0])
            if not part:  # the helper is done, or died
                self.close()
                return
            cut, entries = pickle.loads(part)
            self.cut = cut
            self.received.update(entries)

    def _read(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = os.read(self.reading, size - len(data))
            if not chunk:
                return b""
            data += chunk
        return bytes(data)

    def close(self) -> None:
        if self.reading >= 0:
            os.close(self.reading)
            self.reading = -1
        if self.pid:
            try:
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


class Sending:
    """The helper's side: the lines it has set since it last sent."""

    def __init__(self, writing: int, cut: int) -> None:
        self.writing, self.cut, self.sent = writing, cut, 0

    def send(self) -> None:
        current = lines.memo.current
        if len(current) > self.sent:
            data = pickle.dumps((self.cut, dict(islice(current.items(), self.sent, None))), pickle.HIGHEST_PROTOCOL)
            self.sent = len(current)
            view = memoryview(_LENGTH.pack(len(data)) + data)
            while view:
                view = view[os.write(self.writing, view):]


_helper: Helper | None = None
_sending: Sending | None = None


def start(page: bytes, lay_out: Callable[[bytes], Any]) -> None:
    """Fork a helper for `page` if it pays and is safe; `lay_out(page)` lays out a page in the helper."""
    global _helper, _sending, spare_cores
    if not _installed or spare_cores < 1 or len(page) < LONG_PAGE or not hasattr(os, "fork"):
        return
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        os.close(reading)
        spare_cores, status = 0, 1
        try:
            later = _later_part(page)
            if later is not None:
                part, cut = later
                _sending = Sending(writing, cut)
                lines.memo.__init__()
                lay_out(part)
                _sending.send()
                status = 0
        finally:
            os._exit(status)
    os.close(writing)
    _helper = Helper(pid, reading)


def finish() -> None:
    """The render is done: stop the helper if it is still at work."""
    global _helper
    if _helper is not None:
        _helper.close()
        _helper = None


def _later_part(page: bytes) -> tuple[bytes, int] | None:
    """The page with only its text from block `cut` on, and `cut`; None if it has no <main> to cut."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(page)
    body = tree.find("body")
    text = body.find("main") if body is not None else None
    if text is None:
        return None
    blocks = _blocks(text)
    cut = int(len(blocks) * SPLIT)
    if not blocks[cut:]:
        return None
    for child in list(text)[: list(text).index(blocks[cut])]:
        text.remove(child)
    for matter in list(body):
        if matter is not text:
            body.remove(matter)
    return lxml_html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8"), cut


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Send and take the helper's lines as pages are made, once; False (and nothing changed) if this
    WeasyPrint is not the version it was tested with."""
    from weasyprint.layout import page as pagination

    global _installed
    make = pagination.remake_page
    _installed = True

    def remake_page(index, context, root_box, html):
        helper = _helper
        if helper is not None:
            helper.poll()
            if not helper.reached and helper.cut is not None:
                helper.reached = _reached(root_box, context.page_maker[index][0], helper.cut)
            if helper.reached and helper.received:
                lines.memo.previous.update(helper.received)
                helper.received = {}
        made = make(index, context, root_box, html)
        if _sending is not None:
            _sending.send()
        return made

    pagination.remake_page = remake_page


def _reached(root_box: Any, resume_at: dict | None, cut: int) -> bool:
    """Whether a page starting at `resume_at` starts at or after the `cut`-th block of the body's text."""
    path = _path_to_block(root_box, cut)
    if path is None:
        return False
    at: list[int] = []
    while resume_at and len(resume_at) == 1 and len(at) < len(path):
        (index, resume_at), = resume_at.items()
        at.append(index)
    return at >= path  # past the body's text is later too: [body, main + 1] > [body, main, cut]


def _path_to_block(root_box: Any, cut: int) -> list[int] | None:
    """The child indices from the root box to the box of the `cut`-th element of the body's <main>."""
    path: list[int] = []
    box = root_box
    while getattr(box, "element_tag", None) != "main":
        for index, child in enumerate(getattr(box, "children", ())):
            if child.element_tag in ("body", "main"):
                path.append(index)
                box = child
                break
        else:
            return None
    blocks = _blocks(box.element)
    if cut >= len(blocks):
        return None
    for index, child in enumerate(box.children):
        if child.element is blocks[cut]:
            return [*path, index]
    return None


def _blocks(text: Any) -> list[Any]:
    """The elements of the body's text, in order (not its comments)."""
    return [child for child in text if isinstance(child.tag, str)]
