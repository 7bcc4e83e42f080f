"""Decomposition of a sentence into atomic claims.

- Coordinated clauses that each have their own subject and predicate become separate claims:
  "Oklahoma shares data, and the state audits it."
- A non-restrictive relative clause becomes its own claim: ", which aimed to prohibit ...".
- A participial clause becomes its own claim: ", ensuring that ...".
- An elaboration (", including ...", ", such as ...", "... as well as ...", a second
  "... and to ...") is cut from the main claim and kept as its own.

Each piece is a (start, end, role, joint) tuple of offsets into the text, where `joint` is the
word that introduced it (the relative pronoun, the participle) for the standalone wording.
"""

import re
from dataclasses import dataclass

from .clauses import LEADING_RE

AUX = (
    r"(?:is|are|was|were|has|have|had|does|do|did|can|could|may|might|must|will|would|should|"
    r"shall|remains?|seems?|appears?)"
)
# The start of an independent clause: a subject (pronoun, determiner phrase or name) of up to
# four words, then a finite verb (an auxiliary, or a word ending in -s or -ed).
CLAUSE_START_RE = re.compile(
    r"(?:(?:it|they|he|she|we|this|these|those|there)\b"
    r"|(?:the|a|an|its|their|our|such|some|many|most|each|every|state|federal)\s+\w[\w’'-]*"
    r"(?:\s+\w[\w’'-]*){0,3}?"
    r"|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
    rf"\s+(?:{AUX}|\w+(?:s|ed))\b"
)
COORDINATION_RE = re.compile(r"(?:,\s+(?:and|but|while|whereas|yet)|;)\s+")
RELATIVE_RE = re.compile(r",\s+(which|who)\s+")
PARTICIPLE_RE = re.compile(r",\s+([a-z]+ing)\b")
INCLUDING_RE = re.compile(r",\s+(including|such as)\s+")
# "... working to raise awareness and to push for ...": a second infinitive, its own predicate.
INFINITIVE_RE = re.compile(r",?\s+and\s+(?=to\s+[a-z]{3,}\b)")
EARLIER_INFINITIVE_RE = re.compile(r"\bto\s+[a-z]{3,}\b")
AS_WELL_AS_RE = re.compile(r",?\s+as well as\s+")
# -ing words that are prepositions, not participles.
NOT_PARTICIPLES = frozenset(
    "according regarding concerning following during notwithstanding excluding pending "
    "including considering nothing something anything everything thing king ring string "
    "spring morning evening bring".split()
)


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    role: str  # main, coordinate, relative, participial, elaboration
    joint: str


def pieces(text, start, end):
    """The atomic pieces of the sentence text[start:end], in order."""
    cuts = []  # (cut position, piece start, role, joint)
    for found in COORDINATION_RE.finditer(text, start, end):
        if CLAUSE_START_RE.match(text, found.end(), end):
            cuts.append((found.start(), found.end(), "coordinate", ""))
    for found in RELATIVE_RE.finditer(text, start, end):
        cuts.append((found.start(), found.end(), "relative", found.group(1)))
    # Found once per sentence, not once per match: a run-on sentence made that quadratic.
    leading = LEADING_RE.match(text, start)
    first_comma = text.find(",", start, end)
    first_infinitive = EARLIER_INFINITIVE_RE.search(text, start, end)
    for found in PARTICIPLE_RE.finditer(text, start, end):
        word = found.group(1)
        # "If ..., sharing their data could result in ...": after a leading subordinate
        # clause the -ing word starts the main clause; it is not a participle.
        after_lead = leading and first_comma == found.start()
        if word not in NOT_PARTICIPLES and len(word) > 5 and not after_lead:
            cuts.append((found.start(), found.start(1), "participial", ""))
    for found in INCLUDING_RE.finditer(text, start, end):
        cuts.append((found.start(), found.start(1), "elaboration", ""))
    for found in INFINITIVE_RE.finditer(text, start, end):
        if first_infinitive and first_infinitive.end() <= found.start():
            cuts.append((found.start(), found.end(), "elaboration", "and"))
    for found in AS_WELL_AS_RE.finditer(text, start, end):
        cuts.append((found.start(), found.end(), "elaboration", "as well as"))
    cuts.sort()
    result = []
    piece_start, role, joint = start, "main", ""
    for cut, next_start, next_role, next_joint in cuts:
        if cut <= piece_start:
            continue
        result.append(Piece(piece_start, cut, role, joint))
        piece_start, role, joint = next_start, next_role, next_joint
    result.append(Piece(piece_start, end, role, joint))
    # A sentence is always kept; a clause cut from it needs a predicate and something more.
    return [p for p in result if p.role == "main" or _words(text[p.start : p.end]) >= 2]


def _words(text):
    return len(text.split())
