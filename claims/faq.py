"""Reading a numbered FAQ: bytes in, questions and answers out. Plain Python, no Django.

The format is a numbered question on its own line (`N. ...?` or `N) ...?`), followed by an
answer of one or more paragraphs. Real documents of this kind nest their own numbered lists
inside answers, often restarting at 1, so a line that looks like a question is only taken as
one when it continues the sequence of questions, and the sequence is chosen as a whole (see
`_choose_questions`). A question-like line left outside the sequence that is no item of a list
is a question numbered twice or out of order, and the file is refused (see `_stray_question`).
"""

import re
from dataclasses import dataclass

UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# A question line: its number, then text ending in a question mark (Latin, Arabic or
# full-width; a closing quote or bracket may follow the mark).
QUESTION_RE = re.compile(r"^[ \t]*(\d{1,4})[.)][ \t]+(\S.*?[?؟？][\"”’')\]]*)[ \t]*$")
# Any numbered line, question or list item.
NUMBERED_RE = re.compile(r"^[ \t]*(\d{1,4})[.)][ \t]+\S")
# Every line break Unicode knows: CRLF, CR, vertical tab (Word's manual line break), form
# feed (a page break in text taken from a PDF), NEL and the line and paragraph separators.
LINE_BREAK_RE = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Characters no text file has. Tab and the line breaks above are fine.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Markup at the very start: a tag, a comment, a doctype or an XML declaration.
MARKUP_RE = re.compile(r"\s*<(?:!--|!doctype\b|\?xml\b|[a-z][\w:-]*[\s/>])", re.IGNORECASE)


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
    if not data:
        raise FaqError("file is empty")
    if data.startswith(UTF32_BOMS):
        raise FaqError("file is UTF-32 text; save it as UTF-8 and import it again")
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
    text = normalise(text)
    if not text.strip():  # a byte order mark or Unicode spaces count as nothing too
        raise FaqError("file holds only whitespace")
    return text


def normalise(text):
    """Every line break becomes LF; text with stray control characters is refused."""
    text = LINE_BREAK_RE.sub("\n", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise FaqError(f"file contains control character U+{ord(bad.group()):04X} on line {line}")
    if MARKUP_RE.match(text):
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
    stray = _stray_question(lines, chosen)
    if stray:
        raise FaqError(stray)

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

    # best[k] = (length, -penalties, next k) of the best run starting at candidate k. Going
    # backwards, ahead[n] is the best run starting at a later candidate numbered n (the
    # earliest on a tie): one look-up per candidate, where a scan of every later candidate
    # numbered n + 1 made files full of repeated numbers quadratic.
    best = [None] * len(candidates)
    ahead = {}
    for k in range(len(candidates) - 1, -1, -1):
        i, n = candidates[k]
        cost = penalty(i, n)
        best[k] = (1, -cost, None)
        if n + 1 in ahead:
            length, score, later = ahead[n + 1]
            best[k] = (length + 1, score - cost, later)
        if n not in ahead or best[k][:2] >= ahead[n][:2]:
            ahead[n] = (*best[k][:2], k)

    starts = [k for k, (_, n) in enumerate(candidates) if n == 1]
    if not starts:
        return []
    k = max(starts, key=lambda s: best[s][:2])
    chain = []
    while k is not None:
        chain.append(candidates[k][0])
        k = best[k][2]
    return chain


def _stray_question(lines, chosen):
    """What is wrong with the first question line left out of the sequence that is not an item
    of a numbered list, or None.

    Such a line is a question numbered twice or out of order. Left alone it would be read as
    part of the answer before it, with every question after it: their claims would be filed
    under the wrong question without a word.
    """
    chained = {_number(lines[i]): i for i in chosen}
    in_sequence = set(chosen)
    previous = None
    for i, line in enumerate(lines):
        if i in in_sequence:
            previous = _number(line)
            continue
        if not QUESTION_RE.match(line):
            continue
        n = _number(line)
        if {n - 1, n + 1} & {_neighbour_number(lines, i, -1), _neighbour_number(lines, i, +1)}:
            continue  # an item of a numbered list inside an answer
        if n in chained:
            first, second = sorted((chained[n], i))
            return f"question {n} appears twice, on lines {first + 1} and {second + 1}"
        if previous is None:
            return f"question {n} on line {i + 1} comes before question 1"
        return (
            f"question {n} on line {i + 1} is out of order: "
            f"question {previous} should be followed by question {previous + 1}"
        )
    return None


def _number(line):
    return int(NUMBERED_RE.match(line).group(1))


def _neighbour_number(lines, i, step):
    """The number of the nearest non-blank line in direction `step`, if it is numbered."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    found = NUMBERED_RE.match(lines[j]) if 0 <= j < len(lines) else None
    return int(found.group(1)) if found else None


def _clip(text, size=60):
    return text if len(text) <= size else text[: size - 1] + "…"
