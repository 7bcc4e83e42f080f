"""The lexicons: plain-text files beside this module that a reviewer can extend.

Each non-blank line that does not start with # is one entry. Entries keep their line number,
so every decision can name the exact line that made it (`advice.txt:4`).
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).with_name("lexicons")


@dataclass(frozen=True)
class Entry:
    rule: str
    pattern: re.Pattern


@cache
def patterns(name):
    """Entries of lexicons/NAME.txt, each a compiled case-insensitive regular expression."""
    return tuple(_entries(name, lambda line: line))


@cache
def words(name):
    """Entries of lexicons/NAME.txt, each a word or phrase matched as whole words."""
    return tuple(_entries(name, lambda line: r"\b" + re.escape(line) + r"\b"))


def first_match(name, text, *, word_list=False):
    """The first lexicon entry that matches `text`, with its match, or (None, None).

    One combined alternation, without capturing groups so that the regular expression engine
    can skip ahead quickly, says whether any entry matches; only then are the entries tried one
    by one to name the line that did.
    """
    entries, anyone = _combined(name, word_list)
    if not anyone.search(text):
        return None, None
    for entry in entries:
        found = entry.pattern.search(text)
        if found:
            return entry, found
    return None, None


def any_match(name, text, pos=0):
    """Whether any pattern of lexicons/NAME.txt matches `text` from `pos` on: one search of
    the combined alternation, where trying each pattern would be one search per line."""
    return _combined(name, False)[1].search(text, pos) is not None


@cache
def _combined(name, word_list):
    entries = words(name) if word_list else patterns(name)
    alternation = "|".join(f"(?:{entry.pattern.pattern})" for entry in entries)
    return entries, re.compile(alternation, re.IGNORECASE)


def _entries(name, to_regex):
    path = FOLDER / f"{name}.txt"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            compiled = re.compile(to_regex(line), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{path.name}:{number}: bad pattern {line!r}: {exc}") from None
        yield Entry(rule=f"{name}.txt:{number}", pattern=compiled)


@cache
def lines(name):
    """The entries of lexicons/NAME.txt as plain strings, comments and blanks dropped."""
    path = FOLDER / f"{name}.txt"
    text = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in text if line.strip() and not line.startswith("#"))


@cache
def concept_groups():
    """{word: (kind, group)} from concepts.txt."""
    table = {}
    for line in lines("concepts"):
        head, _, words = line.partition(":")
        kind, group = head.split()
        for word in words.split():
            table[word] = (kind, group)
    return table


@cache
def pairs(name):
    """[(left words, right words)] from a 'left | right' lexicon."""
    result = []
    for line in lines(name):
        left, _, right = line.partition("|")
        result.append((frozenset(left.split()), frozenset(right.split())))
    return tuple(result)
