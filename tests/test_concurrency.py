"""Status updates racing through the real API against a live server, on both databases.

Ten reviewers' clients post 1,000 status changes in rounds. In each round every thread reads
a claim's version over HTTP, waits until all have read, then posts a change with that version,
so three or four threads always race on the same claim and the same version. The version rule
must let exactly one of them through and answer the rest 409, with nothing lost or doubled in
the claim or its audit.
"""

import json
import random
import threading
import urllib.error
import urllib.request
from collections import Counter, defaultdict

import pytest
from rest_framework.authtoken.models import Token

from claims.models import Answer, Claim, Document, StatusChange

THREADS = 10
ROUNDS = 100  # THREADS * ROUNDS = 1,000 status updates
CLAIMS = 30
PER_ROUND = 3  # claims raced on in one round; THREADS / PER_ROUND threads race on each
# Statuses that need no citation; every request sends a note, so each is always allowed.
STATUSES = ["unverified", "in_review", "unsupported", "outdated"]


@pytest.fixture
def claims(transactional_db):
    sentences = [f"Agency {n} shares benefits data under rule {n}." for n in range(CLAIMS)]
    text = " ".join(sentences)
    document = Document.objects.create(slug="race", title="Race", raw_text=text, content_hash="x")
    answer = Answer.objects.create(document=document, number=1, question="Q?", text=text)
    made, start = [], 0
    for sentence in sentences:
        end = start + len(sentence)
        made.append(
            Claim.objects.create(answer=answer, start=start, end=end, quote=sentence, text=sentence)
        )
        start = end + 1
    return made


def call(base, method, path, token=None, body=None):
    """(status code, decoded JSON or None) of one request on a fresh connection."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload)
        except ValueError:
            return error.code, None


def test_racing_status_updates_lose_nothing_and_let_one_writer_win_per_version(
    live_server, claims, reviewer
):
    token = Token.objects.create(user=reviewer).key
    start_round, posted = threading.Barrier(THREADS), threading.Barrier(THREADS)
    sent, failures = [], []  # sent: one dict per POST
    lock = threading.Lock()

    def reviewer_client(number):
        try:
            for round_ in range(ROUNDS):
                claim = claims[(round_ * PER_ROUND + number % PER_ROUND) % CLAIMS]
                start_round.wait()  # the last round's posts are all answered
                code, seen = call(live_server.url, "GET", f"/api/claims/{claim.uuid}/")
                assert code == 200, (code, seen)
                posted.wait()  # everyone has read: the posts race on the same versions
                choices = [s for s in STATUSES if s != seen["status"]]
                new = random.Random(f"{number}-{round_}").choice(choices)
                note = f"thread {number} round {round_} version {seen['version']}"
                body = {"status": new, "note": note, "version": seen["version"]}
                code, answer = call(
                    live_server.url, "POST", f"/api/claims/{claim.uuid}/status", token, body
                )
                with lock:
                    sent.append(
                        {"claim": claim.pk, "round": round_, "old": seen["status"], **body}
                        | {"code": code, "answer": answer}
                    )
        except BaseException as exc:  # a failed thread must fail the test, not hang the others
            failures.append(repr(exc))
            start_round.abort()
            posted.abort()

    threads = [threading.Thread(target=reviewer_client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(sent) == THREADS * ROUNDS
    # Every answer is a win or a stale version: no 5xx, no 400, nothing else.
    assert Counter(r["code"] for r in sent).keys() <= {200, 409}, Counter(r["code"] for r in sent)
    wins = [r for r in sent if r["code"] == 200]
    for r in sent:
        if r["code"] == 200:
            assert (r["answer"]["status"], r["answer"]["version"]) == (
                r["status"],
                r["version"] + 1,
            )
        else:
            assert "reload it and try again" in r["answer"]["detail"]
    # Each round raced on PER_ROUND claims, all read at one version: exactly one winner each.
    assert Counter((r["round"], r["claim"]) for r in wins) == {
        (round_, claims[(round_ * PER_ROUND + k) % CLAIMS].pk): 1
        for round_ in range(ROUNDS)
        for k in range(PER_ROUND)
    }

    by_claim = defaultdict(list)
    for r in sorted(wins, key=lambda r: r["version"]):
        by_claim[r["claim"]].append(r)
    assert StatusChange.objects.count() == len(wins) == ROUNDS * PER_ROUND
    for claim in claims:
        claim.refresh_from_db()
        won = by_claim[claim.pk]
        # No lost update: every win moved the version by one, and each version won once.
        assert [r["version"] for r in won] == list(range(1, claim.version))
        assert claim.status == (won[-1]["status"] if won else "unverified")
        # The audit holds exactly the winning requests, in version order.
        audit = list(claim.status_changes.order_by("created", "id"))
        assert [(c.old_status, c.new_status, c.note, c.by_id) for c in audit] == [
            (r["old"], r["status"], r["note"], reviewer.pk) for r in won
        ]
