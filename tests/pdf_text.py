"""Read the text back out of a PDF made by fpdf2, with the standard library only.

No PDF reader is installed in this project, and fpdf2 writes embedded TrueType text as glyph ids,
so a plain search for a word in the file finds nothing. This follows fpdf2's simple output: each
font's ToUnicode map turns glyph ids back into characters, and the text-showing operators in the
page content streams are decoded with the font selected before them.
"""

from __future__ import annotations

import re
import zlib

_OBJECT_START = re.compile(rb"(\d+) 0 obj")
_STREAM_START = re.compile(rb"stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)")
_FONT_RESOURCE = re.compile(rb"/(F\d+) (\d+) 0 R")
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_PAGES = re.compile(rb"/Type /Pages\b")
_CONTENTS = re.compile(rb"/Contents (\d+) 0 R")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
# A font selection, a literal string or a hex string, in content-stream order.
_TOKEN = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f]*)>", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number → (dictionary text, decompressed stream or b"").

    A stream is read by its /Length, never by searching for "endstream": compressed bytes may
    contain anything, and a PDF with a timestamp in it compresses differently every minute.
    """
    objects = {}
    position = 0
    while match := _OBJECT_START.search(pdf, position):
        number, body_start = int(match.group(1)), match.end()
        stream = _STREAM_START.search(pdf, body_start)
        end = pdf.find(b"endobj", body_start)
        if stream and stream.start() < end:
            body = pdf[body_start : stream.start()]
            length = int(_LENGTH.search(body).group(1))
            data = pdf[stream.end() : stream.end() + length]
            if b"/FlateDecode" in body:
                data = zlib.decompress(data)
            end = pdf.find(b"endobj", stream.end() + length)
        else:
            body, data = pdf[body_start:end], b""
        objects[number] = (body.strip(), data)
        position = end + len(b"endobj")
    return objects


def _page_contents(objects: dict[int, tuple[bytes, bytes]]) -> list[int]:
    """Content stream numbers of the pages, in the order of the page tree's /Kids."""
    root = next(body for body, _ in objects.values() if _PAGES.search(body))
    kids = re.search(rb"/Kids \[([^\]]*)\]", root)
    assert kids, "no page tree"
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    return [int(_CONTENTS.search(objects[page][0]).group(1)) for page in pages]


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        byte = literal[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in _BFCHAR.findall(block):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    return mapping


def pdf_text(pdf: bytes) -> list[str]:
    """The text fragments of every page, in drawing order (one fragment is about one line)."""
    return [fragment for page in pdf_pages(pdf) for fragment in page]


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """The text fragments page by page (fpdf2 writes one content stream per page, in order)."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body, _ in objects.values():
        if b"/Font <<" in body or b"/Font<<" in body:
            for name, number in _FONT_RESOURCE.findall(body):
                to_unicode = _TO_UNICODE.search(objects[int(number)][0])
                if to_unicode:
                    fonts[name] = _to_unicode(objects[int(to_unicode.group(1))][1])
    pages: list[list[str]] = []
    for number in _page_contents(objects):
        data = objects[number][1]
        font: dict[int, str] = {}
        fragments: list[str] = []
        for match in _TOKEN.finditer(data):
            if match.group(1):
                font = fonts.get(match.group(1), {})
                continue
            raw = (
                _unescape(match.group(2))
                if match.group(2) is not None
                else bytes.fromhex(match.group(3).decode())
            )
            glyphs = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            fragments.append("".join(font.get(g, "") for g in glyphs))
        pages.append(fragments)
    return pages
