"""Segmentation of an answer into units with exact character offsets.

A unit is a sentence of a paragraph or of a list item. A list item's marker ("1.", "a)", "-")
and an item heading ("Encryption: ...") are not part of any unit: the heading names the
item, the text after it states the claim. A heading alone on its line ("1. Benefits:") makes
no unit.
"""

import re
from dataclasses import dataclass

from .sentences import split

MARKER_RE = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[a-zA-Z][.)]|[ivxIVX]{1,5}[.)]|[-*•·–])[ \t]+")
# A short heading before a colon, with text after it on the same line.
HEADING_RE = re.compile(r"([^:.!?\n]{1,60}):[ \t]+(?=\S)")
HEADING_MAX_WORDS = 6


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    in_list: bool
    heading: str


def units(text):
    """Sentences of `text`, as Units whose offsets slice `text` exactly, in order."""
    result = []
    offset = 0
    for line in text.split("\n"):
        result.extend(_line_units(line, offset))
        offset += len(line) + 1
    return result


def _line_units(line, offset):
    if not line.strip():
        return []
    body_start = 0
    marker = MARKER_RE.match(line)
    in_list = marker is not None
    if marker:
        body_start = marker.end()
    rest = line[body_start:].strip()
    if rest.endswith(":") and len(rest.split()) <= HEADING_MAX_WORDS:
        return []  # a heading on its own line names what follows
    heading = ""
    found = HEADING_RE.match(line, body_start)
    if found and len(found.group(1).split()) <= HEADING_MAX_WORDS and found.group(1)[0].isupper():
        heading = found.group(1).strip()
        body_start = found.end()
    base = offset + body_start
    return [
        Unit(base + start, base + end, in_list, heading) for start, end in split(line[body_start:])
    ]
