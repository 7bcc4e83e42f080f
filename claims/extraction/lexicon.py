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
    """The first entry of a lexicon that matches, with its match, or (None, None)."""
    for entry in words(name) if word_list else patterns(name):
        found = entry.pattern.search(text)
        if found:
            return entry, found
    return None, None


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
