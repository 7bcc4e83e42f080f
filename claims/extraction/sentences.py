"""A fast rule-based sentence splitter with exact character offsets.

A sentence ends at . ! or ? (and any closing quotes or brackets after it) when whitespace and
then a capital letter, digit, quote or bracket follow, unless the word before the full stop is
an abbreviation (lexicons/abbreviations.txt), an initial, or a dotted form such as "U.S.".
"""

import re
from functools import cache

from .lexicon import FOLDER

BOUNDARY_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[A-Z0-9¿¡])")
DOTTED_RE = re.compile(r"^\(?(?:[A-Za-z]\.)+[A-Za-z]?$")


@cache
def abbreviations():
    lines = (FOLDER / "abbreviations.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def split(text):
    """(start, end) of each sentence of text, whitespace trimmed, in order."""
    spans = []
    start = 0
    for found in BOUNDARY_RE.finditer(text):
        if found.group().startswith(".") and _abbreviation_before(text, found.start()):
            continue
        _add(text, start, found.end(), spans)
        start = found.end()
    _add(text, start, len(text), spans)
    return spans


def _abbreviation_before(text, dot):
    # Walk back to the space before the word rather than search from the start of the text,
    # which made splitting a long paragraph quadratic.
    begin = dot
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    if begin == dot:
        return False
    token = text[begin:dot].lstrip("(\"'“‘[")
    if len(token) == 1 and token.isupper():
        return True  # an initial: "J. Smith"
    return token in abbreviations() or bool(DOTTED_RE.match(token + "."))


def _add(text, start, end, spans):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
