"""Links between claims: `contradicts` when two claims state opposite things, `same_as` when
they state the same thing. Plain Python; every link names the rule that made it.

Rules:
- negation: one claim denies what another affirms, about the same kind of thing ("does not have
  a specific policy" / "has established clear policies"). Concept groups come from
  lexicons/concepts.txt, negation cues from lexicons/negations.txt.
- antonym: the claims use opposite verbs on the same topic (allows / prohibits), from
  lexicons/antonyms.txt.
- number: the same bill or the same counted thing with a different number or year.
- same: two claims with the same polarity and mostly the same words.

Candidates are found by blocking: a claim is compared only with claims that share a key
(a concept group or bill, within one jurisdiction), never with every claim.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

from . import lexicon
from .clauses import main_clause

WORD_RE = re.compile(r"[a-z][a-z’'-]*|\d+")
BILL_RE = re.compile(
    r"\b(?:(House|Senate|Assembly) Bill|([HS])\.?\s?B\.?)\s*(?:No\.?\s*)?(\d{1,5})\b", re.IGNORECASE
)
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
COUNT_RE = re.compile(r"\b(\d[\d,.]*)\s*(percent|%|million|billion|thousand)?\s+([a-z][a-z-]+)")
STOPWORDS = frozenset(
    "the a an and or of to in on for with by from as at is are was were be been being has have "
    "had that which who this these those such its their there it they any all some can may must "
    "will would should could also only into than then so not no does do did state states "
    "per under over about since after before during between".split()
)
SAME_AS_MIN = 0.6
MAX_LINKS_PER_CLAIM = 5
CONTRADICTION_MIN = 0.5
# Every set field's default, shared: no set of an Item is changed in place. Analyses are kept
# between imports (claims.linking); with eleven empty sets of its own and every word of its
# main clause, a kept analysis took 5.1 kB, and 2.2 kB without.
EMPTY = frozenset()


@dataclass(slots=True)
class Item:
    """One claim as the link rules see it."""

    id: object
    group: object  # claims in the same group (an answer) are never linked
    text: str
    place: str = ""
    words: frozenset = EMPTY
    denied: dict = field(default_factory=dict)  # object group -> words, under a negation cue
    affirmed: dict = field(default_factory=dict)  # object group -> words, not negated
    topics: frozenset = EMPTY
    verbs: frozenset = EMPTY  # the words of its main clause that the antonym lexicon lists
    bills: dict = field(default_factory=dict)  # bill -> years near it
    counts: dict = field(default_factory=dict)  # counted noun -> number
    objects: frozenset = EMPTY  # object groups anywhere
    modifiers: frozenset = EMPTY  # words before affirmed concepts
    negated: bool = False
    # Worked out once in analyse(): a claim in a full block is compared with hundreds of
    # others per import, and each comparison would otherwise rebuild these.
    blocking: frozenset = EMPTY  # keys(item)
    concepts: frozenset = EMPTY  # what _shares_concept compares
    # The qualifier pairs (indexes into lexicons/qualifiers.txt) under which a denial leaves
    # room for an affirmation, and those an affirmation's modifiers name: a denial and an
    # affirmation sharing one are compatible (_compatible_qualifiers).
    leaves: frozenset = EMPTY
    qualified: frozenset = EMPTY
    # Indexes of the antonym pairs whose left (allowing) or right (forbidding) words it uses.
    allows: frozenset = EMPTY
    forbids: frozenset = EMPTY


class Link(NamedTuple):
    # A tuple: an import creates a few hundred candidates for every document it compares.
    a: object
    b: object
    relation: str
    rule: str
    score: float
    overlap: float = 0.0  # the two claims' share of words in common: _best's tie-break


def feature_text(rule, text, quote):
    """What the rules should read for a claim. A participial or elaboration claim's standalone
    text repeats the main clause it hangs off; the rules must judge the clause itself."""
    return quote if rule.startswith(("participial", "elaboration")) else text


def analyse(id, group, text, place=""):
    """The features the rules compare, computed once per claim."""
    lower = text.lower()
    clause_start, clause_end = main_clause(lower)
    main = lower[:clause_end]
    cue = _negation_cue(main, clause_start)
    frames = _existence_frames(main, clause_start)
    concepts = lexicon.concept_groups()
    item = Item(id=id, group=group, text=text, place=place, negated=cue is not None)
    words = []
    for found in WORD_RE.finditer(lower):
        word = found.group()
        if word in STOPWORDS:
            continue
        words.append(_stem(word))
        kind, name = concepts.get(word) or concepts.get(_singular(word)) or (None, None)
        if kind == "object":
            item.objects = item.objects | {name}
            if not clause_start <= found.start() < clause_end:
                continue
            if cue is not None and found.start() > cue:
                item.denied.setdefault(name, set()).add(_stem(word))
            elif cue is None and _framed(found.start(), frames, lower):
                item.affirmed.setdefault(name, set()).add(_stem(word))
                before = WORD_RE.findall(lower[max(0, found.start() - 40) : found.start()])
                item.modifiers = item.modifiers | set(before[-2:])
        elif kind == "topic":
            item.topics = item.topics | {name}
    item.words = frozenset(words)
    # Only the antonym rule reads the main clause's words, and only those in its lexicon.
    item.verbs = (
        _antonym_words().intersection(WORD_RE.findall(lower[clause_start:clause_end])) or EMPTY
    )
    for found in BILL_RE.finditer(text):
        chamber = (found.group(1) or found.group(2) or "")[0].upper()
        bill = f"{chamber}B {found.group(3)}"
        nearby = text[max(0, found.start() - 20) : found.end() + 40]
        item.bills[bill] = frozenset(YEAR_RE.findall(nearby)) - {found.group(3)}
    bill_numbers = {found.group(3) for found in BILL_RE.finditer(text)}
    for found in COUNT_RE.finditer(lower):
        number, unit, noun = found.groups()
        # A count is a number of things ("40 requests"), not a year, a bill number or a
        # number followed by a preposition ("2218 in 2021").
        if YEAR_RE.fullmatch(number) or number in bill_numbers or noun in STOPWORDS:
            continue
        if len(noun) >= 3:
            item.counts[noun] = (number.replace(",", ""), unit or "")
    return _with_summaries(item, lower)


def _with_summaries(item, lower):
    """Fill in the fields worked out from the others once for all comparisons."""
    item.blocking = frozenset(keys(item))
    item.concepts = (
        frozenset((*item.affirmed, *item.denied, *(f"t:{t}" for t in item.topics))) or EMPTY
    )
    qualifiers = lexicon.pairs("qualifiers")
    if item.denied:
        words = frozenset(WORD_RE.findall(lower))
        item.leaves = frozenset(
            i
            for i, (left, right) in enumerate(qualifiers)
            if ("*" in left or words & left) and not words & right
        )
    if item.modifiers:
        item.qualified = frozenset(
            i for i, (_, right) in enumerate(qualifiers) if item.modifiers & right
        )
    if item.verbs:
        antonyms = lexicon.pairs("antonyms")
        item.allows = frozenset(i for i, (left, _) in enumerate(antonyms) if item.verbs & left)
        item.forbids = frozenset(i for i, (_, right) in enumerate(antonyms) if item.verbs & right)
    return item


def _existence_frames(main, start):
    if not lexicon.any_match("existence", main, start):
        return []
    return [
        m.end()
        for entry in lexicon.patterns("existence")
        for m in entry.pattern.finditer(main, start)
    ]


def _framed(position, frames, lower):
    """True when a concept at `position` is asserted to exist: it follows an existence frame
    within six words, or "in place" follows it."""
    if "in place" in lower[position : position + 60]:
        return True
    return any(position - end >= 0 and len(lower[end:position].split()) <= 6 for end in frames)


def keys(item):
    """Blocking keys: claims that share none are never compared."""
    place = item.place or "*"
    result = {f"{group}|{place}" for group in (*item.denied, *item.affirmed)}
    if item.verbs:
        # Topics only matter to the antonym rule; most claims have one, so only claims that
        # use an antonym verb are blocked on it.
        result |= {f"topic:{topic}|{place}" for topic in item.topics}
    result |= {f"bill:{bill}" for bill in item.bills}
    result |= {f"count:{noun}|{place}" for noun in item.counts}
    return result


def detect(items, focus=None):
    """All links among `items`, best candidates only, each pair once. With `focus` (a set of
    ids), only pairs with at least one end in it are compared: a new document against itself
    and the claims it shares keys with, not those claims among themselves."""
    buckets = defaultdict(list)
    for item in items:
        for key in item.blocking:
            buckets[key].append(item)
    # Each bucket keeps the order of `items`, so a pair met in several buckets comes in the
    # same order in each: (a.id, b.id) names it. Only a pair of claims that both have several
    # keys can meet again; most claims have one, and their pairs skip the bookkeeping.
    seen, candidates = set(), []
    for bucket in buckets.values():
        for a, b in _pairs(bucket, focus):
            if len(a.blocking) > 1 and len(b.blocking) > 1:
                pair = (a.id, b.id)
                if pair in seen:
                    continue
                seen.add(pair)
            link = compare(a, b)
            if link:
                candidates.append(link)
    return _best(candidates, {item.id: item.group for item in items})


def _pairs(bucket, focus=None):
    """Each pair (a, b) of claims from different groups, a before b, in the bucket's order;
    with `focus`, only the pairs with an end in it.

    A run of claims from one group is jumped over, not walked: a single long answer would
    otherwise cost the square of its claims for no pair at all. For the same reason a claim
    outside the focus is paired only with the focused claims after it: most of a full block
    is other documents' claims, and walking their pairs among themselves to drop them cost
    more than comparing the pairs kept.
    """
    size = len(bucket)
    other = [size] * size  # other[j]: the first index from j on whose group differs from j's
    for j in range(size - 2, -1, -1):
        other[j] = j + 1 if bucket[j + 1].group != bucket[j].group else other[j + 1]
    focused = [] if focus is None else [j for j in range(size) if bucket[j].id in focus]
    for i, a in enumerate(bucket):
        if focus is not None and a.id not in focus:
            for j in focused:
                if j > i and bucket[j].group != a.group:
                    yield a, bucket[j]
            continue
        j = i + 1
        while j < size:
            if bucket[j].group == a.group:
                j = other[j]
                continue
            yield a, bucket[j]
            j += 1


def compare(a, b):
    """The link between two claims, or None."""
    if a.place and b.place and a.place != b.place:
        return None  # claims about different jurisdictions do not contradict each other
    # Each rule is tried only when both claims have what it needs; most pairs have nothing
    # for most rules, and a block of claims is compared pair by pair on every import.
    # The share of words in common, over the union's size. Symmetric; most rules and _best
    # want it. Inline, not a function: it is worked out for every pair.
    shared = len(a.words & b.words)
    overlap = shared / (len(a.words) + len(b.words) - shared) if shared else 0.0
    if (a.bills and b.bills) or (a.counts and b.counts):
        # Symmetric: numbers(b, a) finds a difference exactly when numbers(a, b) does.
        link = _numbers(a, b, overlap)
        if link:
            return link
    if not (a.allows.isdisjoint(b.forbids) and b.allows.isdisjoint(a.forbids)):
        link = _antonyms(a, b, overlap) or _antonyms(b, a, overlap)
        if link:
            return link
    if (a.denied and not b.negated) or (b.denied and not a.negated):
        link = _negation(a, b, overlap) or _negation(b, a, overlap)
        if link:
            return link
    if a.negated == b.negated and overlap >= SAME_AS_MIN and _shares_concept(a, b):
        return Link(a.id, b.id, "same_as", "same:words", _round(overlap), overlap)
    return None


def _negation(denier, affirmer, overlap):
    if not denier.denied or affirmer.negated:
        return None
    shared = denier.denied.keys() & affirmer.affirmed.keys()
    if not shared or _compatible_qualifiers(denier, affirmer):
        return None
    exact = any(denier.denied[g] & affirmer.affirmed[g] for g in shared)
    score = 0.55 + 0.2 * exact + 0.25 * overlap
    rule = f"negation:{min(shared)}"
    return Link(denier.id, affirmer.id, "contradicts", rule, _round(score), overlap)


def _antonyms(a, b, overlap):
    # The pairs of the lexicon in which a uses only the allowing side, b only the other.
    found = (a.allows & b.forbids) - a.forbids - b.allows
    if not found:
        return None
    # Both must be about the same action and each name a rule, law or agreement that
    # allows or forbids it: "state law allows sharing" / "the bill prohibits disclosing".
    if not (a.topics & b.topics) or not a.objects or not b.objects:
        return None
    # A negated verb flips: "does not allow" agrees with "prohibits".
    if a.negated != b.negated:
        return None
    # The first such pair names the rule.
    left, right = lexicon.pairs("antonyms")[min(found)]
    rule = f"antonym:{min(a.verbs & left)}/{min(b.verbs & right)}"
    return Link(a.id, b.id, "contradicts", rule, _round(0.6 + 0.4 * overlap), overlap)


def _numbers(a, b, overlap):
    for bill in set(a.bills) & set(b.bills):
        years_a, years_b = a.bills[bill], b.bills[bill]
        if years_a and years_b and not years_a & years_b:
            return Link(a.id, b.id, "contradicts", f"number:year of {bill}", 0.8, overlap)
    for noun in set(a.counts) & set(b.counts):
        (n_a, unit_a), (n_b, unit_b) = a.counts[noun], b.counts[noun]
        if unit_a == unit_b and n_a != n_b and overlap >= 0.3:
            return Link(a.id, b.id, "contradicts", f"number:{noun}", 0.7, overlap)
    return None


def _best(candidates, group_of):
    """Keep, for each claim and each other answer, only its best link of each kind there.

    A claim that affirms something is linked to the one denial in another answer that it
    contradicts most directly, rather than to every denial that shares a word with it; the
    same holds for antonyms, numbers and same_as.
    """
    best = {}
    # Links unpacked, not read by name: a full block gives several hundred candidates.
    for link in candidates:
        a, b, relation, rule, score, overlap = link
        if score < CONTRADICTION_MIN and relation == "contradicts":
            continue
        # The second side chooses among the first sides in one answer: one contradiction per
        # rule family, and one same_as, per claim and other answer.
        slot = (b, group_of[a], relation, rule.partition(":")[0])
        rank = (score, overlap)
        held = best.get(slot)
        if held is None or rank > held[0]:
            best[slot] = (rank, link)
    # Then at most MAX_LINKS_PER_CLAIM of each relation per claim, strongest first: a reviewer
    # needs the few best suggestions, not every echo across a site of near-identical pages.
    kept, count = [], {}  # a dict: a Counter's missing keys cost a Python call each
    for _, link in sorted(best.values(), key=itemgetter(0), reverse=True):
        a, b, relation = link[:3]
        count_a, count_b = count.get((a, relation), 0), count.get((b, relation), 0)
        if count_a < MAX_LINKS_PER_CLAIM > count_b:
            kept.append(link)
            count[a, relation] = count_a + 1
            count[b, relation] = count_b + 1
    return sorted(kept, key=lambda k: (str(k.a), str(k.b)))


@cache
def _antonym_words():
    return frozenset().union(*(left | right for left, right in lexicon.pairs("antonyms")))


def _negation_cue(main, start):
    if not lexicon.any_match("negations", main, start):
        return None  # most claims: one search rather than one per cue
    for entry in lexicon.patterns("negations"):
        found = entry.pattern.search(main, start)
        if found:
            return found.start()
    return None


def _compatible_qualifiers(denier, affirmer):
    """True when the denial leaves room for the affirmation: "no specific policy" and "general
    regulations". A qualifier pair's left words must be in the denial (or be *), its right
    words among the affirmation's modifiers and not in the denial."""
    return bool(denier.leaves & affirmer.qualified)


def _shares_concept(a, b):
    return bool(a.concepts & b.concepts) or bool(a.bills.keys() & b.bills.keys())


@lru_cache(maxsize=4096)
def _round(score):
    """The score to two places. round() with places takes longer than a whole comparison's
    set operations; a score is a sum of fixed weights and a ratio of small word counts, so the
    few hundred values seen repeat from pair to pair."""
    return round(score, 2)


@cache
def _stem(word):
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _singular(word):
    return word[:-1] if word.endswith("s") else word
