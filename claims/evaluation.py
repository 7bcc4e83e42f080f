"""Scoring an export against a gold annotation, by the gold file's own `matching` rules.

This follows the reference scorer that ships with the gold files line for line in what it
counts; `tests/test_evaluation.py` checks that both give the same figures.

- A claim matches a gold claim when both sit in the same answer and their spans overlap by at
  least half of the longer span.
- A non-claim is violated when a check-worthy claim covers at least half of it.
- Recall: gold claims matched by some check-worthy claim. Precision: among check-worthy claims
  that match a gold claim or cover a non-claim, the share that match a gold claim.
- Contradiction recall: gold pairs matched by a 'contradicts' link not rejected. Contradiction
  precision: among such links whose ends both match gold claims, the share that match a gold
  or acceptable pair.
"""

import re


def locate(anchor, text):
    """Span of anchor in text, tolerant of whitespace and quote style; None when absent."""
    i = text.find(anchor)
    if i >= 0:
        return i, i + len(anchor)
    words = [
        re.escape(w).replace("\u2019", "['\u2019]").replace("'", "['\u2019]")
        for w in anchor.split()
    ]
    found = re.search(r"\s+".join(words), text)
    return (found.start(), found.end()) if found else None


def _overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score(export, gold):
    answers = {int(a["number"]): a for a in export["answers"]}
    problems = []
    claims = {}
    for number, answer in answers.items():
        for c in answer["claims"]:
            s, e = int(c["start"]), int(c["end"])
            if not 0 <= s < e <= len(answer["text"]):
                problems.append(f"claim {c['id']} span {s}-{e} outside answer {number}")
                continue
            if "quote" in c and c["quote"] != answer["text"][s:e]:
                problems.append(f"claim {c['id']} quote differs from its span")
            claims[str(c["id"])] = (number, (s, e), bool(c.get("checkworthy", True)))

    def place(item):
        answer = answers.get(item["question"])
        return locate(item["anchor"], answer["text"]) if answer else None

    gold_span = {}
    for g in gold["claims"]:
        span = place(g)
        if span is None:
            problems.append(f"gold anchor {g['id']} not found in answer {g['question']}")
        else:
            gold_span[g["id"]] = (g["question"], span)
    non_spans = [(nc["question"], place(nc)) for nc in gold.get("non_claims", []) if place(nc)]

    def matches(cid, gid):
        if cid not in claims or gid not in gold_span:
            return False
        (n1, s1, _), (n2, s2) = claims[cid], gold_span[gid]
        return n1 == n2 and _overlap(s1, s2) >= 0.5 * max(s1[1] - s1[0], s2[1] - s2[0])

    def covers(cid, question, span):
        n, s, _ = claims[cid]
        return n == question and _overlap(s, span) >= 0.5 * (span[1] - span[0])

    def pair_matches(x, y, a, b):
        return (matches(x, a) and matches(y, b)) or (matches(x, b) and matches(y, a))

    checkworthy = [c for c, (_, _, cw) in claims.items() if cw]
    found = {g for g in gold_span if any(matches(c, g) for c in checkworthy)}
    noise = sum(any(covers(c, q, s) for c in checkworthy) for q, s in non_spans)
    judged = [
        c
        for c in checkworthy
        if any(matches(c, g) for g in gold_span) or any(covers(c, q, s) for q, s in non_spans)
    ]
    good = [c for c in judged if any(matches(c, g) for g in gold_span)]

    links = [
        (str(link["from"]), str(link["to"]))
        for link in export.get("links", [])
        if link.get("relation") == "contradicts" and link.get("state") != "rejected"
    ]
    hard = [tuple(p) for p in gold.get("contradictions", [])]
    acceptable = hard + [tuple(p) for p in gold.get("acceptable_contradictions", [])]
    judged_links = [
        (x, y)
        for x, y in links
        if any(matches(x, g) for g in gold_span) and any(matches(y, g) for g in gold_span)
    ]
    good_links = [
        (x, y) for x, y in judged_links if any(pair_matches(x, y, a, b) for a, b in acceptable)
    ]

    def linked(a, b):
        return any(pair_matches(x, y, a, b) for x, y in links)

    return {
        "claims": len(claims),
        "checkworthy": len(checkworthy),
        "recall": len(found) / len(gold["claims"]) if gold["claims"] else 1.0,
        "precision": len(good) / len(judged) if judged else 1.0,
        "noise": noise,
        "non_claims": len(non_spans),
        "contra_recall": sum(linked(a, b) for a, b in hard) / len(hard) if hard else None,
        "contra_precision": len(good_links) / len(judged_links) if judged_links else None,
        "links": len(links),
        "missed": sorted(set(gold_span) - found),
        "missed_contradictions": [f"{a}~{b}" for a, b in hard if not linked(a, b)],
        "problems": problems,
    }


def summary(m):
    """The figures on one line, worded as the reference scorer words them."""
    cr = "n/a" if m["contra_recall"] is None else f"{m['contra_recall']:.2f}"
    cp = "n/a" if m["contra_precision"] is None else f"{m['contra_precision']:.2f}"
    return (
        f"claims={m['claims']} checkworthy={m['checkworthy']} recall={m['recall']:.2f} "
        f"precision={m['precision']:.2f} noise={m['noise']}/{m['non_claims']} "
        f"contradiction_recall={cr} contradiction_precision={cp} ({m['links']} links)"
    )
