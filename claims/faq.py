"""Reading a numbered FAQ: bytes in, questions and answers out. Plain Python, no Django.

The format is a numbered question on its own line (`N. ...?` or `N) ...?`), followed by an
answer of one or more paragraphs. Real documents of this kind nest their own numbered lists
inside answers, often restarting at 1, so a line that looks like a question is only taken as
one when it continues the sequence of questions, and the sequence is chosen as a whole (see
`_choose_questions`).
"""

import re
from dataclasses import dataclass

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# A question line: its number, then text ending in a question mark (a closing quote or
# bracket may follow the mark).
QUESTION_RE = re.compile(r"^[ \t]*(\d{1,4})[.)][ \t]+(\S.*?\?[\"”’')\]]*)[ \t]*$")
# Any numbered line, question or list item.
NUMBERED_RE = re.compile(r"^[ \t]*(\d{1,4})[.)][ \t]+\S")
# Characters no text file has. Tab, newline, vertical tab, form feed are fine.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class FaqError(ValueError):
    """The input cannot be imported. The message is one line, meant for the person importing."""


@dataclass(frozen=True)
class ParsedAnswer:
    number: int
    question: str
    text: str


def decode(data, *, limit):
    """Bytes of a file to text with normalised line endings, or FaqError saying what is wrong."""
    size = len(data)
    if size > limit:
        raise FaqError(f"file is {size:,} bytes; the import limit is {limit:,} bytes")
    if not data.strip():
        raise FaqError("file is empty" if not data else "file holds only whitespace")
    if data.startswith(UTF16_BOMS):
        raise FaqError("file is UTF-16 text; save it as UTF-8 and import it again")
    if b"\x00" in data:
        raise FaqError("file looks binary (it contains NUL bytes), not a plain-text FAQ")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise FaqError(
            f"file is not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None
    return normalise(text)


def normalise(text):
    """CRLF and lone CR become LF; text with stray control characters is refused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise FaqError(f"file contains control character U+{ord(bad.group()):04X} on line {line}")
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise FaqError("file is an HTML page; save the FAQ as plain text and import that")
    return text


def parse(text):
    """The questions and answers of an FAQ, in order. Raises FaqError when there are none."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    chosen = _choose_questions(lines)
    if not chosen:
        raise FaqError("no numbered questions found (expected lines like '1. What is ...?')")

    answers = []
    for k, index in enumerate(chosen):
        stop = chosen[k + 1] if k + 1 < len(chosen) else len(lines)
        body = [i for i in range(index + 1, stop) if lines[i].strip()]
        number = int(QUESTION_RE.match(lines[index]).group(1))
        question = QUESTION_RE.match(lines[index]).group(2).strip()
        if not body:
            raise FaqError(f"question {number} has no answer: {_clip(question)}")
        start = offsets[body[0]]
        end = offsets[body[-1]] + len(lines[body[-1]].rstrip())
        answers.append(ParsedAnswer(number=number, question=question, text=text[start:end]))
    return answers


def _choose_questions(lines):
    """Line indexes of the questions: the longest run 1, 2, 3, ... of question-like lines.

    Among runs of equal length, prefer the one whose questions do not sit inside a numbered
    list: a candidate N whose neighbouring line is a plain list item N-1 or N+1 is more likely
    an item of an answer's own list than the next question.
    """
    candidates = []
    for i, line in enumerate(lines):
        m = QUESTION_RE.match(line)
        if m:
            candidates.append((i, int(m.group(1))))
    if not candidates:
        return []

    def list_number(i, step):
        # The number of the nearest non-blank line in direction `step` when it is a numbered
        # line that is not itself a question; None otherwise.
        j = i + step
        while 0 <= j < len(lines) and not lines[j].strip():
            j += step
        if not 0 <= j < len(lines) or QUESTION_RE.match(lines[j]):
            return None
        m = NUMBERED_RE.match(lines[j])
        return int(m.group(1)) if m else None

    def penalty(i, n):
        return int(list_number(i, -1) == n - 1) + int(list_number(i, +1) == n + 1)

    by_number = {}
    for k, (_, n) in enumerate(candidates):
        by_number.setdefault(n, []).append(k)

    # best[k] = (length, -penalties, next k) of the best run starting at candidate k.
    best = [None] * len(candidates)
    for k in range(len(candidates) - 1, -1, -1):
        i, n = candidates[k]
        cost = penalty(i, n)
        own = (1, -cost, None)
        for later in by_number.get(n + 1, ()):
            if later > k and best[later][:2] > (own[0] - 1, own[1] + cost):
                length, score, _ = best[later]
                own = (length + 1, score - cost, later)
        best[k] = own

    starts = by_number.get(1, [])
    if not starts:
        return []
    k = max(starts, key=lambda s: best[s][:2])
    chain = []
    while k is not None:
        chain.append(candidates[k][0])
        k = best[k][2]
    return chain


def _clip(text, size=60):
    return text if len(text) <= size else text[: size - 1] + "…"
