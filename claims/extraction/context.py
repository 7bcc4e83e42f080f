"""Standalone wording: each claim rewritten to stand on its own, or marked where it cannot.

"The state" becomes the jurisdiction the answer or document names (e.g. Oklahoma). "These
agreements" becomes the agreements named earlier in the answer. A reference that cannot be
resolved is left as written and reported, never guessed.
"""

import re
from collections import Counter
from functools import cache

from . import lexicon

STATE_RE = re.compile(r"\b([Tt]he state)(’s|'s)?\b(?!\s+of\b)(?:\s+(\w+))?")
# After "the state", these words make it an adjective ("the state agencies"), not a name.
STATE_NOUNS = frozenset(
    "agency agencies government governments law laws level legislature department departments "
    "official officials program programs policymakers data court courts budget benefits "
    "benefit employees lawmakers constitution statute statutes level-".split()
)
DEMONSTRATIVE_RE = re.compile(
    r"\b(this|these|those|such)\s+(?!as\b|a\b|an\b|the\b|that\b|is\b|are\b|was\b|helps?\b|includes?\b|means?\b)"
    r"([a-z][\w-]*)",
    re.IGNORECASE,
)
REFERRING = frozenset("this these those such the its their".split())
FUNCTION_WORDS = frozenset(
    "the a an and or of to in on for with by from as at is are was were be been has have had "
    "that which who this these those such its their there through into onto over under after "
    "before during without within across against among via like per than several various many "
    "some any all each every both few more most other no not only also".split()
)
LINKING_PREPOSITIONS = frozenset("of between".split())
DOTTED_RE = re.compile(r"^\(?(?:[A-Za-z]\.){2,}$")
PRONOUN_START_RE = re.compile(
    r"^(it|they|this|these|that|those)\b(?!\s+(?:is|are)\s+\w+\s+that)", re.IGNORECASE
)
NP_STOP = frozenset(
    "regarding that which who whom where when to is are was were has have had can may must will "
    "should would could in for on under through by as while".split()
)
DETERMINER_RE = re.compile(r"\b(?:the|a|an|its|their|this|these)\b", re.IGNORECASE)
# The longest main clause a relative, participial or elaboration claim repeats (the seed's
# longest is 164 characters).
MAIN_MAX = 500


@cache
def _places():
    return tuple(sorted(lexicon.lines("places"), key=len, reverse=True))


@cache
def _places_re():
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in _places()) + r")\b")


def jurisdiction(*texts):
    """The place the texts name most often (earlier texts win ties), or ''."""
    counts = Counter()
    for weight, text in enumerate(reversed(texts), start=1):
        for found in _places_re().finditer(text):
            counts[found.group(1)] += weight
    return counts.most_common(1)[0][0] if counts else ""


def standalone(quote, *, role, joint, main, before, place):
    """(text, unresolved): the claim as a sentence of its own, and references left open."""
    unresolved = []
    if role != "main" and len(main) > MAIN_MAX:
        # Repeating a run-on main clause in every clause cut from it would make the claims'
        # texts grow with the square of the sentence; such a clause stays as written.
        body = quote
        unresolved.append("the main clause, too long to repeat")
    elif role == "relative":
        antecedent = _antecedent(main)
        body = f"{antecedent} {quote}" if antecedent else f"{main}, {joint} {quote}"
    elif role in ("participial", "elaboration"):
        # The clause only makes sense with what it hangs off: keep both, in the text's words.
        body = f"{main} {joint} {quote}" if joint else f"{main}, {quote}"
    else:
        body = quote
    body, state_unresolved = _resolve_state(body, place)
    unresolved.extend(state_unresolved)
    body = _resolve_demonstratives(body, before, unresolved)
    pronoun = PRONOUN_START_RE.match(body)
    if pronoun and not DEMONSTRATIVE_RE.match(body):
        unresolved.append(pronoun.group(1))
    return _sentence(body), tuple(unresolved)


def _resolve_state(text, place):
    unresolved = []

    def replace(found):
        following = found.group(3) or ""
        if following.lower() in STATE_NOUNS:
            return found.group(0)
        if not place:
            unresolved.append(found.group(1))
            return found.group(0)
        name = place + ("’s" if found.group(2) else "")
        return name + (" " + following if following else "")

    return STATE_RE.sub(replace, text), unresolved


def _resolve_demonstratives(text, before, unresolved):
    def replace(found):
        noun = found.group(2).lower()
        phrase = _earlier_phrase(noun, before)
        if phrase is None:
            unresolved.append(found.group(0))
            return found.group(0)
        article = "The" if found.group(1)[0].isupper() else "the"
        return f"{article} {phrase}"

    return DEMONSTRATIVE_RE.sub(replace, text)


def _earlier_phrase(noun, before):
    """The last phrase in `before` that introduces `noun` (singular or plural): up to two
    modifiers, the noun, and a following "of ..." or "between ..." phrase up to a clause boundary.
    None when the answer never named it."""
    stem = noun[:-1] if noun.endswith("s") else noun
    words = before.split()
    for i in range(len(words) - 1, -1, -1):
        bare = words[i].strip(",.;:()“”\"'").lower()
        if bare not in (stem, stem + "s", stem + "es"):
            continue
        if i > 0 and words[i - 1].lower() in REFERRING:
            continue  # itself a reference back, not where the thing was introduced
        head = []
        for word in reversed(words[max(0, i - 2) : i]):
            plain = word.strip("()“”\"'")
            # Modifiers are lower-case adjectives or nouns ("legal provisions", "data-sharing
            # agreements"); a verb ("signed", "shares") or a name ends the phrase.
            if (
                plain.lower() in FUNCTION_WORDS
                or not plain.replace("-", "").isalpha()
                or not plain.islower()
                or plain.endswith(("ed", "s"))
                or word.endswith(",")
            ):
                break
            head.insert(0, plain)
        # The claim's own word keeps its number: "this restriction", not "the restrictions".
        phrase = [*head, noun]
        continues = i + 1 < len(words) and words[i + 1].lower() in LINKING_PREPOSITIONS
        if continues and not words[i].endswith((",", ".", ";", ":")):
            for word in words[i + 1 : i + 14]:
                bare_word = word if DOTTED_RE.match(word) else word.strip(",.;:“”\"'")
                if bare_word.lower() in NP_STOP:
                    break
                phrase.append(bare_word)
                if word.endswith((",", ";", ":")) or (
                    word.endswith(".") and not DOTTED_RE.match(word)
                ):
                    break
        return " ".join(phrase)
    return None


def _antecedent(main):
    """The noun phrase that ends the main clause: what a following ', which' refers to."""
    starts = list(DETERMINER_RE.finditer(main))
    if not starts:
        return ""
    phrase = main[starts[-1].start() :].strip().rstrip(",")
    return phrase if len(phrase.split()) <= 12 else ""


def _sentence(text):
    text = " ".join(text.split())
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".?!":
        text += "."
    return text
