"""The claim-extraction engine. Plain Python with no Django imports.

`extract(text)` takes an answer's text and returns its claims as Spans: exact character
offsets into that text, the quoted words, a standalone wording, and why each one is or is not
check-worthy.
"""

from dataclasses import dataclass

from . import lexicon
from .classify import classify
from .segment import units

__all__ = ["Span", "extract"]

TRAILING = ".;,: \t"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str
    text: str
    kind: str
    checkworthy: bool
    rule: str
    score: float


def extract(text):
    """The claims of one answer, in order. Every span satisfies text[start:end] == quote."""
    spans = []
    for unit in units(text):
        start, end = _trim(text, unit.start, unit.end)
        if start >= end:
            continue
        quote = text[start:end]
        verdict = classify(quote)
        spans.append(
            Span(
                start=start,
                end=end,
                quote=quote,
                text=standalone(quote),
                kind=verdict.kind,
                checkworthy=verdict.checkworthy,
                rule=verdict.rule,
                score=verdict.score,
            )
        )
    return spans


def standalone(quote):
    """The claim as a sentence of its own: capitalised, with a full stop."""
    sentence = quote.strip()
    if sentence and sentence[0].islower():
        sentence = sentence[0].upper() + sentence[1:]
    if sentence and sentence[-1] not in ".?!":
        sentence += "."
    return sentence


def _trim(text, start, end):
    """The smallest span that states the claim: lead-ins and final punctuation removed."""
    changed = True
    while changed:
        changed = False
        for entry in lexicon.patterns("lead_ins"):
            found = entry.pattern.match(text, start, end)
            if found and found.end() < end:
                start = found.end()
                changed = True
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return start, end
