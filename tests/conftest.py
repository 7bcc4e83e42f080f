import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims.importer import import_faq
from claims.models import Claim, ClaimLink, Flag, Source
from claims.roles import REVIEWERS, SOURCE_ADMINS, ensure_groups

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "oklahoma-ice-benefits-faq.txt"
DATA = Path(__file__).resolve().parent / "data"

# Property tests run 1,000 examples each in `make test`; HYPOTHESIS_PROFILE=soak runs 20 times
# as many, for an occasional long hunt. No deadline: the machines that run them are shared.
hypothesis_settings.register_profile("ci", max_examples=1_000, deadline=None, print_blob=True)
hypothesis_settings.register_profile("soak", max_examples=20_000, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def run_cli(*args, tmp_path, stdin=None, database_url=None):
    """Run manage.py in its own process, as a user does; returns (exit code, stdout, stderr,
    whether the database file exists afterwards).

    It gets a database file of its own, tmp_path/cli.sqlite3, that does not exist unless the
    test put one there: if the file is still missing afterwards, the command never even
    connected, so it cannot have written anything. `database_url` names another database.
    """
    database = tmp_path / "cli.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=database_url or f"sqlite:///{database}",
        DJANGO_SECRET_KEY="cli-test",
        DJANGO_HTTPS="0",
    )
    env.update(CLAIMS_MAX_IMPORT_BYTES=str(settings.CLAIMS_MAX_IMPORT_BYTES))
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr, database.exists()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Each test starts its database afresh, so pages cached by an earlier test must go too.
    cache.clear()


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.fixture
def seed_document(db, seed_bytes):
    return import_faq(
        seed_bytes,
        slug="oklahoma-ice-benefits",
        title="State Benefits Data Sharing with ICE in Oklahoma",
        source_url="https://example.org/ok-ice",
        generated_by="uscisguide.com",
    ).document


@pytest.fixture
def groups(db):
    return ensure_groups()


def _user(username, group=None, **flags):
    user = get_user_model().objects.create_user(username, password="pw-" + username, **flags)
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture
def reviewer(groups):
    return _user("rita", groups[REVIEWERS])


@pytest.fixture
def other_reviewer(groups):
    return _user("oscar", groups[REVIEWERS])


@pytest.fixture
def source_admin(groups):
    return _user("sam", groups[SOURCE_ADMINS], is_staff=True)


@pytest.fixture
def plain_user(db):
    return _user("pat")


@pytest.fixture
def superuser(db):
    return _user("ada", is_staff=True, is_superuser=True)


# The seed's claim that Oklahoma law prohibits sharing: it has contradiction links (with the
# claim that state law allows it), which the review and API tests act on.
@pytest.fixture
def claim(seed_document):
    return Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")


@pytest.fixture
def source(db):
    return Source.objects.create(title="56 O.S. § 183", url="https://example.org/56-183")


@pytest.fixture
def flag(claim, reviewer):
    return Flag.objects.create(claim=claim, reason="needs_source", raised_by=reviewer)


@pytest.fixture
def link(claim):
    return (
        ClaimLink.objects.filter(source_claim=claim).first()
        or ClaimLink.objects.filter(target_claim=claim).first()
    )


# FAQ-like documents for the property tests. Any printable character but a question mark or a
# line break; words the extractor reacts to; list markers and item headings; any line break.
PRINTABLE = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="?؟？"
)
WORDS = st.sampled_from(
    [
        *"Kansas Oklahoma shares data with ICE the state does not have a policy which allows "
        "prohibits including and to share these agreements This rule U.S. Dept. Mr. J. HB 1804 "
        "2019 40 percent , , . . ; : ( ) “ ” é 🚨 👩‍👩‍👧 ישראל بيانات <script>alert(1)</script> "
        "&amp;".split(),
        *"\u00a0 \u3000".split(" "),  # spaces that str.split() would drop
    ]
)
PHRASES = st.one_of(
    st.text(PRINTABLE, min_size=1, max_size=30),
    st.lists(WORDS, min_size=1, max_size=14).map(" ".join),
)
MARKERS = st.sampled_from(["", "", "", "1. ", "2) ", "a. ", "iv) ", "- ", "• ", "Encryption: "])
LINE_BREAKS = st.sampled_from(["\n", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u2028"])
ANSWER_LINES = st.tuples(MARKERS, PHRASES).map("".join).map(str.strip).filter(bool)


@st.composite
def answer_texts(draw):
    """An answer: paragraphs of one or more lines, with blank lines between them."""
    lines = []
    for paragraph in range(draw(st.integers(1, 3))):
        if paragraph:
            lines.extend([""] * draw(st.integers(1, 2)))
        lines.extend(draw(st.lists(ANSWER_LINES, min_size=1, max_size=3)))
    return "\n".join(lines)


@st.composite
def faq_documents(draw, max_questions=4):
    """(the document's text, [(number, question, answer)] as the reader must return them)."""
    expected, lines = [], []
    if draw(st.booleans()):
        lines += [draw(st.lists(WORDS.filter(lambda w: "<" not in w), min_size=1).map(" ".join))]
        lines += [""]
    for number in range(1, draw(st.integers(1, max_questions)) + 1):
        question = draw(PHRASES.map(str.strip).filter(bool)) + "?"
        answer = draw(answer_texts())
        separator = draw(st.sampled_from([". ", ") ", ".\t"]))
        lines += [f"{number}{separator}{question}", *[""] * draw(st.integers(0, 2))]
        lines += [*answer.split("\n"), *[""] * draw(st.integers(0, 2))]
        expected.append((number, question, answer))
    breaks = [draw(LINE_BREAKS) for _ in lines]
    for k in reversed(range(len(lines) - 1)):
        if breaks[k] == "\r" and not lines[k + 1] and breaks[k + 1].startswith("\n"):
            breaks[k] = "\n"  # CR then LF is one line break, not two
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=True))
    return ("\ufeff" if draw(st.booleans()) else "") + text, expected


@st.composite
def mangled_documents(draw):
    """FAQ bytes with a few bad bits let in: control characters, stray marks, markup,
    numbers out of place, a broken byte; or any bytes at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    text, _ = draw(faq_documents(max_questions=3))
    bits = st.sampled_from(
        ["\x00", "\x07", "\x1b", "\x7f", "?", "؟", "\n", "\r\n", "\n\n", "2. ", "3. Why?\n",
         "<p>", "<html>", "\ufeff", "\u202e", "\U0001f600"]
    )  # fmt: skip
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(bits | st.text(max_size=3)) + text[at:]
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff" + data[at:]
    return data
