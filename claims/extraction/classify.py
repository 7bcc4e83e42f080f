"""Selection: what kind of statement a unit is, why, and how check-worthy it is."""

import re
from dataclasses import dataclass

from . import lexicon
from .clauses import main_clause

NUMBER_RE = re.compile(r"\d")
# A capitalised word that is not the first word: a name, an agency, a law.
PROPER_RE = re.compile(r"(?<=\s)(?:[A-Z][a-z]+|[A-Z]{2,})\b")

SCORES = {"meta": 0.0, "advice": 0.05, "prediction": 0.2, "opinion": 0.2, "hedge": 0.3}


@dataclass(frozen=True)
class Verdict:
    kind: str
    rule: str
    score: float

    @property
    def checkworthy(self):
        return self.kind == "fact"


def classify(claim):
    """The kind of a claim's wording, the lexicon line that decided it, and its score."""
    if claim.rstrip().endswith("?"):
        return Verdict("meta", "question", SCORES["meta"])
    for kind, name in (("meta", "meta"), ("advice", "advice"), ("prediction", "predictions")):
        entry, _ = lexicon.first_match(name, claim)
        if entry:
            return Verdict(kind, entry.rule, SCORES[kind])
    hedge = _main_clause_hedge(claim)
    if hedge:
        return Verdict("hedge", hedge.rule, SCORES["hedge"])
    entry, _ = lexicon.first_match("opinion", claim)
    if entry:
        return Verdict("opinion", entry.rule, SCORES["opinion"])
    return Verdict("fact", "fact", _fact_score(claim))


def _main_clause_hedge(claim):
    # "agencies may have guidelines" is hedged; "ICE identifies people who may be..." is not.
    start, end = main_clause(claim)
    main = claim[start:end]
    entry, _ = lexicon.first_match("hedges", main, word_list=True)
    return entry


def _fact_score(claim):
    score = 0.6
    if NUMBER_RE.search(claim):
        score += 0.15
    if PROPER_RE.search(claim):
        score += 0.15
    return round(min(score, 1.0), 2)
