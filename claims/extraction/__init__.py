"""The claim-extraction engine. Plain Python with no Django imports.

`extract(text)` takes an answer's text and returns its claims as Spans: exact character
offsets into that text, the quoted words, a standalone wording, and why each one is or is not
check-worthy. `links.detect(...)` then finds claims that contradict or repeat each other.

The pipeline: segment (sentences and list items) → trim lead-ins → decompose into atomic
pieces → classify each piece → write it as a standalone sentence.
"""

from dataclasses import dataclass

from . import lexicon
from .classify import classify
from .context import jurisdiction, standalone
from .decompose import pieces
from .segment import units

__all__ = ["Span", "extract", "jurisdiction"]

TRAILING = ".;,: \t"
# How far back in the answer "these agreements" may find the agreements it refers to: about a
# page. Looking further back made long answers quadratic, and is too far to be sure anyway.
LOOKBACK = 3000


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
    unresolved: tuple = ()


def extract(text, *, question="", place=None):
    """The claims of one answer, in order. Every span satisfies text[start:end] == quote.

    `question` is the answer's question; `place` the jurisdiction the document is about (found
    in the question and answer when not given), used to resolve "the state".
    """
    if place is None:
        place = jurisdiction(question, text)
    spans = []
    for unit in units(text):
        start, end = _trim(text, unit.start, unit.end)
        if start >= end:
            continue
        sentence_pieces = pieces(text, start, end)
        main = next((p for p in sentence_pieces if p.role == "main"), None)
        main_text = text[slice(*_trim(text, main.start, main.end))] if main else ""
        main_verdict = classify(main_text) if main else None
        for piece in sentence_pieces:
            p_start, p_end = _trim(text, piece.start, piece.end)
            if p_start >= p_end:
                continue
            quote = text[p_start:p_end]
            verdict = main_verdict if piece is main and quote == main_text else classify(quote)
            if piece.role != "main" and main_verdict and not main_verdict.checkworthy:
                # A clause hanging off advice or a hedge shares its kind.
                verdict = main_verdict
            claim_text, unresolved = standalone(
                quote,
                role=piece.role,
                joint=piece.joint,
                main=main_text,
                before=question + "\n" + _recent(text, start),
                place=place,
            )
            spans.append(
                Span(
                    start=p_start,
                    end=p_end,
                    quote=quote,
                    text=claim_text,
                    kind=verdict.kind,
                    checkworthy=verdict.checkworthy,
                    rule=verdict.rule if piece.role == "main" else f"{piece.role}:{verdict.rule}",
                    score=verdict.score,
                    unresolved=unresolved,
                )
            )
    return spans


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
    while end > start and (text[end - 1] in TRAILING or text[end - 1].isspace()):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _recent(text, start):
    """The answer's last LOOKBACK characters before `start`, not from the middle of a word."""
    begin = max(0, start - LOOKBACK)
    while 0 < begin < start and not text[begin - 1].isspace():
        begin += 1
    return text[begin:start]
