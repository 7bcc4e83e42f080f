"""Where a claim's main clause is. Hedges, negations and existence are judged there only:
"ICE identifies people who may be eligible" is not hedged, and "If it is not shared, X holds"
does not deny X."""

import re

LEADING_RE = re.compile(
    r"\s*(?:if|when|whenever|while|although|though|because|since|unless|once)\b", re.IGNORECASE
)
SUBORDINATE_RE = re.compile(
    r"\b(?:who|whom|whose|which|that|where|when|if|whether|because|although|while|unless|how)\b"
    r"|,\s*(?:\w+ing)\b",
    re.IGNORECASE,
)


def main_clause(text):
    """(start, end) of the main clause: after a leading "If/When ...," clause, and before any
    relative or subordinate clause."""
    start = 0
    if LEADING_RE.match(text):
        comma = text.find(",")
        start = comma + 1 if comma > 0 else 0
    found = SUBORDINATE_RE.search(text, start)
    return start, (found.start() if found else len(text))
