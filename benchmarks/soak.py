"""Soak: readers and reviewers at once against gunicorn on PostgreSQL.

    make soak                                       # 60 s, then the fuzz tests
    .venv/bin/python benchmarks/soak.py [--seconds 10] [--workers 3]

A scratch database (claimtracker_soak, dropped and made afresh) gets the demo and 20 generated
documents. gunicorn serves it as `make serve` does (debug off, plain HTTP) while, for the
whole run,
- wrk keeps 50 connections reading public pages and the API, rotating over the home page,
  document pages, claim pages, searches, contradictions and the API's documents and claims;
- 5 reviewers, each with their own token, read a claim's version and post a status change
  (retrying with the new version on 409) or a note.

It fails (exit 1, one line per reason) on any 5xx (wrk's non-2xx/3xx count, the writers'
answers, gunicorn's access log), any other unexpected answer, a socket error, an error in
gunicorn's error log, or an audit that does not hold exactly the writes that succeeded.
Writes benchmarks/soak.json and benchmarks/soak.md. Needs PostgreSQL at 127.0.0.1:5432
(user postgres) and wrk (apt-get install wrk).
"""

import argparse
import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime

from harness import (
    ROOT,
    fresh_postgres,
    gunicorn,
    has_wrk,
    machine,
    manage,
    port_is_free,
    write_section,
    wrk,
    wrk_figures,
)

DATABASE = "claimtracker_soak"
PORT = 8766
READERS = 50
WRITERS = 5
WORK = ROOT / ".local" / "soak"
# Statuses a reviewer may set with only a note (the verdicts needing a citation are left out).
STATUSES = ["unverified", "in_review", "unsupported", "outdated"]
# Lines of gunicorn's error log (its own and Django's) that mean something broke. 409s are
# logged as "Conflict: ..." warnings, which are expected.
PROBLEM = re.compile(r"Traceback|ERROR|CRITICAL|Internal Server Error")

SETUP = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from claims.models import Claim, Document
from claims.roles import REVIEWERS, ensure_groups

group = ensure_groups()[REVIEWERS]
tokens = []
for n in range(WRITERS):
    user, _ = get_user_model().objects.get_or_create(username=f"soak-{n}")
    user.groups.add(group)
    tokens.append(Token.objects.get_or_create(user=user)[0].key)
claims = Claim.objects.live().filter(checkworthy=True).order_by("pk")
step = max(1, claims.count() // 60)
print(json.dumps({
    "documents": list(Document.objects.order_by("pk").values_list("slug", flat=True)),
    "claims": [str(u) for u in claims.values_list("uuid", flat=True)[::step][:60]],
    "tokens": tokens,
}))
"""

AUDIT = """
import json
from claims.models import Note, StatusChange
print(json.dumps({
    "status_changes": StatusChange.objects.filter(by__username__startswith="soak-").count(),
    "notes": Note.objects.filter(author__username__startswith="soak-").count(),
}))
"""


def prepare(documents):
    url = fresh_postgres(DATABASE)
    manage(url, "demo", DEMO_PASSWORD="soak-only-password")
    manage(url, "generate_corpus", "--documents", str(documents))
    setup = manage(url, "shell", "-c", SETUP.replace("WRITERS", str(WRITERS)))
    return url, json.loads(setup.stdout.strip().splitlines()[-1])


def reader_paths(data):
    slugs, claims = data["documents"], data["claims"]
    return [
        "/",
        *(f"/d/{slug}/" for slug in slugs[:4]),
        *(f"/claims/{uuid}/" for uuid in claims[::6]),
        "/claims/?q=benefits",
        "/claims/?q=oversight&status=unverified",
        "/claims/?status=in_review&sort=-updated",
        "/contradictions/",
        *(f"/api/documents/{slug}/" for slug in slugs[:2]),
        *(f"/api/claims/{uuid}/" for uuid in claims[1::12]),
    ]


def lua_script(paths):
    """wrk's request rotation: each connection takes the next path of the list."""
    listed = ",\n  ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{\n  {listed}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(method, address, token, body=None):
    """(status code, JSON or None, seconds); code 0 when the server did not answer."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(address, data=data, headers=headers, method=method)
    start = time.perf_counter()
    try:
        with _opener.open(request, timeout=30) as response:
            code, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        code, payload = error.code, error.read()
    except OSError:
        return 0, None, time.perf_counter() - start
    seconds = time.perf_counter() - start
    try:
        return code, json.loads(payload), seconds
    except ValueError:
        return code, None, seconds


def reviewer(number, token, claims, base, deadline, log):
    """One reviewer until `deadline`: log gets (kind, code, seconds) per request."""
    rng = random.Random(number)
    while time.monotonic() < deadline:
        uuid = rng.choice(claims)
        if rng.random() < 0.25:
            body = {"body": f"soak note by reviewer {number}", "public": rng.random() < 0.5}
            code, _, seconds = call("POST", f"{base}/api/claims/{uuid}/notes", token, body)
            log.append(("note", code, seconds))
            continue
        for _ in range(5):  # a 409 means someone else won: read the new version, try again
            code, seen, seconds = call("GET", f"{base}/api/claims/{uuid}/", token)
            log.append(("read", code, seconds))
            if code != 200:
                break
            new = rng.choice([s for s in STATUSES if s != seen["status"]])
            body = {"status": new, "note": f"soak {number}", "version": seen["version"]}
            code, _, seconds = call("POST", f"{base}/api/claims/{uuid}/status", token, body)
            log.append(("status", code, seconds))
            if code != 409:
                break


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction + 0.999999) - 1)] if ordered else 0.0


def wrk_latency_ms(report, percent):
    match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)


def writer_figures(log, elapsed):
    codes = Counter(code for _, code, _ in log)
    posts = [seconds for kind, _, seconds in log if kind != "read"]
    every = [seconds for _, _, seconds in log]
    return {
        "writers": WRITERS,
        "requests": len(log),
        "requests_per_s": round(len(log) / elapsed, 1),
        "p50_ms": round(percentile(every, 0.5) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "writes": len(posts),
        "writes_p99_ms": round(percentile(posts, 0.99) * 1000, 1),
        "status_changes": sum(1 for kind, code, _ in log if (kind, code) == ("status", 200)),
        "notes": sum(1 for kind, code, _ in log if (kind, code) == ("note", 201)),
        "conflicts_409": codes[409],
        "codes": {str(code): n for code, n in sorted(codes.items())},
    }


def access_log_codes(path):
    codes = Counter()
    for line in path.read_text().splitlines():
        match = re.search(r'" (\d{3}) ', line)
        codes[match.group(1) if match else "unparsed"] += 1
    return dict(sorted(codes.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--documents", type=int, default=20, help="generated documents")
    args = parser.parse_args()
    if args.seconds < 1:
        sys.exit("soak: --seconds must be at least 1")
    if not has_wrk():
        sys.exit("soak: wrk is not installed (apt-get install wrk)")
    if not port_is_free(PORT):
        sys.exit(f"soak: port {PORT} is already in use; stop what listens there first")

    print(f"soak: preparing {DATABASE} (demo + {args.documents} documents)", flush=True)
    # The machine may be shared: its load before the run says how far the figures can be read.
    load_before = round(os.getloadavg()[0], 1)
    url, data = prepare(args.documents)
    WORK.mkdir(parents=True, exist_ok=True)
    script, access_log, error_log = WORK / "rotate.lua", WORK / "access.log", WORK / "error.log"
    paths = reader_paths(data)
    script.write_text(lua_script(paths))
    base = f"http://127.0.0.1:{PORT}"

    with (
        access_log.open("w") as access,
        error_log.open("w") as errors,
        gunicorn(
            url,
            PORT,
            workers=args.workers,
            args=["--access-logfile", "-"],
            stdout=access,
            stderr=errors,
        ),
    ):
        print(f"soak: {READERS} readers and {WRITERS} reviewers for {args.seconds} s", flush=True)
        # 15 claims for 5 reviewers: they often meet on one claim, and retry on its 409.
        contested = data["claims"][::4]
        log, started = [], time.monotonic()
        deadline = started + args.seconds
        writers = [
            threading.Thread(target=reviewer, args=(n, token, contested, base, deadline, log))
            for n, token in enumerate(data["tokens"])
        ]
        for thread in writers:
            thread.start()
        report = wrk(
            base,
            seconds=args.seconds,
            connections=READERS,
            options=["--latency", "--timeout", "10s", "-s", str(script)],
        )
        for thread in writers:
            thread.join()
        elapsed = time.monotonic() - started
    audit = json.loads(manage(url, "shell", "-c", AUDIT).stdout.strip().splitlines()[-1])

    readers = wrk_figures(report) | {
        "connections": READERS,
        "paths": len(paths),
        "p50_ms": wrk_latency_ms(report, 50),
        "p99_ms": wrk_latency_ms(report, 99),
    }
    writes = writer_figures(log, elapsed)
    codes = access_log_codes(access_log)
    problems = [line for line in error_log.read_text().splitlines() if PROBLEM.search(line)]
    server_errors = sum(n for code, n in codes.items() if code.startswith("5"))

    failures = []
    if readers["non_2xx"]:
        failures.append(f"readers got {readers['non_2xx']} answers that were not 2xx or 3xx")
    if readers["socket_errors"]:
        failures.append(f"readers had {readers['socket_errors']} socket errors (see wrk's report)")
    unexpected = {c: n for c, n in writes["codes"].items() if c not in ("200", "201", "409")}
    if unexpected:
        failures.append(f"reviewers got unexpected answers (code: count): {unexpected}")
    if server_errors:
        failures.append(f"the access log has {server_errors} 5xx answers")
    if problems:
        failures.append(f"the error log has {len(problems)} error lines, first: {problems[0]}")
    if audit != {"status_changes": writes["status_changes"], "notes": writes["notes"]}:
        failures.append(f"the audit {audit} does not match the successful writes")

    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": f"benchmarks/soak.py --seconds {args.seconds} --workers {args.workers} "
        f"--documents {args.documents}",
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "load_average_before": load_before,
        "readers": readers,
        "writers": writes,
        "access_log_codes": codes,
        "access_log_5xx": server_errors,
        "error_log_problem_lines": len(problems),
        "audit": audit,
        "failures": failures,
        "passed": not failures,
    }
    (ROOT / "benchmarks" / "soak.json").write_text(json.dumps(results, indent=1) + "\n")
    write_markdown(results)
    for failure in failures:
        print(f"soak: FAILED: {failure}")
    sys.exit(1 if failures else 0)


def write_markdown(results):
    r, w = results["readers"], results["writers"]
    outcome = "passed" if results["passed"] else "FAILED: " + "; ".join(results["failures"])
    lines = [
        "",
        "## Soak: readers and reviewers at once",
        "",
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}; 1-minute load average before the run "
        f"{results['load_average_before']}",
        f"- Command: `{results['command']}` (run by `make soak`)",
        f"- Server: gunicorn, {results['gunicorn_workers']} workers, debug off, PostgreSQL, "
        "demo + generated documents",
        f"- Result: {outcome}",
        "",
        "| who | requests | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
        f"| {r['connections']} readers (wrk over {r['paths']} paths) | {r['requests']} | "
        f"{r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} | "
        f"{r['non_2xx']} non-2xx/3xx, {r['socket_errors']} socket |",
        f"| {w['writers']} reviewers (API, token) | {w['requests']} | {w['requests_per_s']} | "
        f"{w['p50_ms']} | {w['p99_ms']} | "
        f"{sum(n for c, n in w['codes'].items() if c not in ('200', '201', '409'))} unexpected |",
        "",
        f"Reviewers made {w['status_changes']} status changes and {w['notes']} notes "
        f"({w['writes']} writes, p99 {w['writes_p99_ms']} ms) and met {w['conflicts_409']} "
        "conflicts (409), each retried after reading the new version; the audit holds "
        f"{results['audit']['status_changes']} status changes and {results['audit']['notes']} "
        "notes by them. gunicorn's access log: "
        + ", ".join(f"{n} × {code}" for code, n in results["access_log_codes"].items())
        + f"; its error log has {results['error_log_problem_lines']} error lines.",
        "",
    ]
    write_section("soak.md", "Soak: readers", lines, "# Soak results")


if __name__ == "__main__":
    main()
