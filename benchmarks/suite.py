"""The whole-system benchmarks: ingestion, page queries and latency, and throughput under load.

    make bench            # the engine benchmark, then this suite
    .venv/bin/python benchmarks/suite.py [--sizes 10,100,1000] [--repeats 3] [--skip-load]

- Ingestion: `generate_corpus --documents N` into a fresh database, on SQLite, on PostgreSQL
  and on PostgreSQL in two processes (SETUPS), for each N (the median of its runs: --repeats
  rounds, each running the largest N once and the smaller ones three times): answers/s,
  growth from one size to the next, peak RSS.
- Pages: SQL query count and p50/p95 latency of each public page and API endpoint, at 1×
  (the seed alone) and with the largest corpus beside it, on PostgreSQL.
- Load: gunicorn as `make serve` runs it, driven by wrk, cached and uncached; each figure as a
  ratio to /healthz.

Writes benchmarks/suite.json and the suite's part of benchmarks/results.md. It needs the
PostgreSQL server at 127.0.0.1:5432 (user postgres) and wrk for the load part.
"""

import argparse
import json
import os
import re
import subprocess
import time
from datetime import UTC, datetime
from itertools import pairwise

from harness import (
    PYTHON,
    ROOT,
    children_cpu_seconds,
    cpu_seconds,
    env,
    fresh_postgres,
    gunicorn,
    has_wrk,
    machine,
    manage,
    postgres_backends,
    process_group,
    write_section,
    wrk,
    wrk_figures,
)

PORT = 8765


def fresh_database(backend):
    if backend == "sqlite":
        path = ROOT / ".local" / "bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        manage(url, "migrate", "--noinput", "-v0")
        return url
    return fresh_postgres("claimtracker_bench")


def _run_measured(url, *args):
    """Run manage.py; return its output and progress lines (stdout and stderr together) and
    its own peak RSS in KiB (wait4 reports the one child, where RUSAGE_CHILDREN would give
    the largest of every child so far)."""
    with subprocess.Popen(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        stdout = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} exited {child.returncode}")
    return stdout, usage.ru_maxrss


# How often each smaller size runs per round (the largest runs once).
SMALL_RUNS = 3


def schedule(sizes, repeats):
    """The order of the ingestion runs: `repeats` rounds, each running the largest size once
    and every smaller size SMALL_RUNS times, before and after it, so that the smaller sizes'
    runs are spread over the same minutes as the largest's.

    A run of 100 documents lasts a few seconds, and this machine's pace swings from one such
    run to the next: the same 100 documents took 4.02, 4.48, 4.05 and 4.77 s within four
    minutes (2026-11-30). The 1,000-document runs average that out over a minute each; three
    short runs did not, and their median alone moved the 100 → 1,000 ratio between 11× and
    15× on one afternoon."""
    largest = max(sizes)
    smaller = [size for size in sizes if size != largest]
    for round_ in range(repeats):
        order = [*smaller, largest, *smaller * (SMALL_RUNS - 1)]
        for size in order:
            yield round_, size


# (database, import processes). SQLite takes one writer at a time: a second process only
# waits for the lock (300 documents: 8.77 s in one process, 8.49 s in two). PostgreSQL
# takes them side by side, and a batch import on this two-core machine uses both
# (generate_corpus --jobs 2; the processes link one at a time: 300 documents gave 49,238
# links between 732 pairs of documents, as in one process). One process on
# PostgreSQL is measured too, as the baseline; the ingestion targets are checked against the
# way each database imports a batch (TARGETED).
SETUPS = (("sqlite", 1), ("postgresql", 1), ("postgresql", 2))
TARGETED = (("sqlite", 1), ("postgresql", 2))


def label(backend, processes):
    return backend if processes == 1 else f"{backend}, {processes} processes"


def ingestion(sizes, repeats):
    """Each size run as schedule() orders, each run into a fresh database; the median run is
    the figure. The rounds take the sizes in turn, so a slow spell falls on all of them."""
    runs = {}
    for backend, processes in SETUPS:
        for round_, size in schedule(sizes, repeats):
            url = fresh_database(backend)
            start = time.perf_counter()
            stdout, peak_kib = _run_measured(
                url, "generate_corpus", "--documents", str(size), "--jobs", str(processes)
            )
            wall = time.perf_counter() - start
            # With several processes, the command adds up their peaks (an upper bound).
            together = re.search(r"together: (\d+) KiB", stdout)
            if together:
                peak_kib = max(peak_kib, int(together.group(1)))
            answers = int(re.search(r"(\d+) answers", stdout).group(1))
            # The command's own time: generating, importing, extracting and linking,
            # without starting Python and Django (about a second, which would swamp the
            # small sizes).
            seconds = float(re.search(r"claims in ([\d.]+) s", stdout).group(1))
            # The progress line at each tenth gives the time so far: each tenth's share.
            so_far = [0.0, *map(float, re.findall(r"documents in ([\d.]+) s", stdout))]
            tenths = [round(b - a, 2) for a, b in pairwise(so_far)]
            runs.setdefault((backend, processes, size), []).append(
                (seconds, wall, answers, peak_kib, tenths)
            )
            print(
                f"ingestion {label(backend, processes)} {size} round {round_ + 1}: {seconds} s",
                flush=True,
            )
    rows = []
    for (backend, processes, size), measured in runs.items():
        seconds, wall, answers, _, tenths = sorted(measured)[len(measured) // 2]
        rows.append(
            {
                "backend": backend,
                "processes": processes,
                "documents": size,
                "answers": answers,
                "seconds": round(seconds, 2),
                "runs_seconds": [round(run[0], 2) for run in measured],
                "tenths_seconds": tenths,
                "wall_seconds": round(wall, 1),
                "answers_per_s": round(answers / seconds),
                "peak_rss_mib": round(max(run[3] for run in measured) / 1024),
            }
        )
    return rows


PAGES = [
    ("home", "/"),
    ("document", "/d/oklahoma-ice-benefits/"),
    ("claim", "CLAIM"),
    ("claim list search", "/claims/?q=oversight&status=unverified"),
    ("claim list", "/claims/"),
    ("contradictions", "/contradictions/"),
    ("sources", "/sources/"),
    ("api document", "/api/documents/oklahoma-ice-benefits/"),
    ("api claims", "/api/claims/?status=unverified"),
    ("healthz", "/healthz"),
]


def page_figures(url, label, repeats=30):
    """Query counts and latencies, measured in a child process against database `url`."""
    script = f"""
import json, os, statistics, time
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from claims.models import Claim
claim = Claim.objects.live().filter(answer__document__slug="oklahoma-ice-benefits").first()
client = Client()
rows = []
for name, path in {PAGES!r}:
    path = path.replace("CLAIM", f"/claims/{{claim.uuid}}/")
    cache.clear()
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        status = client.get(path).status_code
    times = []
    for _ in range({repeats}):
        cache.clear()
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    rows.append({{"page": name, "path": path, "status": status, "queries": len(queries),
                 "p50_ms": round(statistics.median(times), 1),
                 "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}})
print(json.dumps(rows))
"""
    done = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env=env(url, DJANGO_SETTINGS_MODULE="tracker.settings"),
        check=True,
        capture_output=True,
        text=True,
    )
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    for row in rows:
        row["scale"] = label
    print(f"pages at {label}: {[(r['page'], r['queries'], r['p95_ms']) for r in rows]}")
    return rows


def load(url, seconds=10):
    if not has_wrk():
        print("load skipped: wrk is not installed (apt-get install wrk)")
        return []
    claim = manage(
        url,
        "shell",
        "-c",
        "from claims.models import Claim; print(Claim.objects.live().filter("
        "answer__document__slug='oklahoma-ice-benefits').first().uuid)",
    ).stdout.split()[-1]
    targets = [
        ("healthz", "/healthz", True),
        # The floor for a page that reads the database: SELECT 1 through every middleware.
        ("readyz", "/readyz", True),
        ("document (cached)", "/d/oklahoma-ice-benefits/", True),
        ("document (uncached)", "/d/oklahoma-ice-benefits/", False),
        ("claim (cached)", f"/claims/{claim}/", True),
        ("claim list search", "/claims/?q=oversight&status=unverified", True),
        ("api document", "/api/documents/oklahoma-ice-benefits/", True),
    ]
    rows = []
    for cached in (True, False):
        with gunicorn(url, PORT, CLAIMS_PAGE_CACHE="1" if cached else "0") as server:
            for name, path, wants_cache in targets:
                if wants_cache != cached:
                    continue
                # What each request costs in CPU, and where: the app (gunicorn's workers),
                # PostgreSQL (its processes serving this database) and the load tool. On a
                # machine they share, the rates follow these sums. A second of load first, so
                # that every worker has its database connection and its templates loaded.
                wrk(f"http://127.0.0.1:{PORT}{path}", seconds=1)
                app, database = process_group(server.pid), postgres_backends(url)
                before = cpu_seconds(app), cpu_seconds(database), children_cpu_seconds()
                figures = wrk_figures(wrk(f"http://127.0.0.1:{PORT}{path}", seconds=seconds))
                after = cpu_seconds(app), cpu_seconds(database), children_cpu_seconds()
                app_ms, database_ms, wrk_ms = (
                    round((b - a) * 1000 / figures["requests"], 3)
                    for a, b in zip(before, after, strict=True)
                )
                rows.append(
                    {
                        "target": name,
                        "path": path,
                        "requests_per_s": figures["requests_per_s"],
                        "non_2xx": figures["non_2xx"],
                        "cpu_ms_app": app_ms,
                        "cpu_ms_postgresql": database_ms,
                        "cpu_ms_wrk": wrk_ms,
                    }
                )
                print(f"load {rows[-1]}", flush=True)
    healthz = next(r["requests_per_s"] for r in rows if r["target"] == "healthz")
    for row in rows:
        row["ratio_to_healthz"] = round(row["requests_per_s"] / healthz, 2)
    return rows


def vacuum_analyze(url):
    """What autovacuum does some minutes after a bulk load: fresh planner statistics and
    visibility map. Measuring before it runs would time plans made for an empty database."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute("VACUUM ANALYZE")


def targets(results):
    """The issue's targets, each with the figure measured against it."""
    rows = []
    ingestion = results["ingestion"]
    for backend, processes in TARGETED:
        runs = sorted(
            (r for r in ingestion if r["backend"] == backend and r["processes"] == processes),
            key=lambda r: r["documents"],
        )
        if not runs:
            continue
        largest = runs[-1]
        backend = label(backend, processes)
        rows.append(
            (
                f"ingestion on {backend} at {largest['documents']} documents ≥ 200 answers/s",
                f"{largest['answers_per_s']} answers/s",
                largest["answers_per_s"] >= 200,
            )
        )
        for small, big in pairwise(runs):
            growth = big["seconds"] / small["seconds"]
            allowed = 1.2 * big["documents"] / small["documents"]
            rows.append(
                (
                    f"{backend}: {big['documents']} documents take ≤ {allowed:g}× the time of "
                    f"{small['documents']}",
                    f"{growth:.1f}×",
                    growth <= allowed,
                )
            )
        rows.append(
            (
                f"peak RSS importing {largest['documents']} on {backend} < 1 GiB",
                f"{largest['peak_rss_mib']} MiB",
                largest["peak_rss_mib"] < 1024,
            )
        )
    pages = {(r["page"], r["scale"] == "seed"): r for r in results["pages"]}
    same = [
        name
        for name, seed in pages
        if seed and pages[name, True]["queries"] != pages.get((name, False), {}).get("queries")
    ]
    rows.append(
        (
            "every page's query count is the same at 1× and at scale",
            ", ".join(same) or "all equal",
            not same,
        )
    )
    for name, limit in (("claim list search", 100), ("document", 50)):
        p95 = pages[name, False]["p95_ms"]
        rows.append((f"{name} p95 at scale ≤ {limit} ms", f"{p95} ms", p95 <= limit))
    load = {r["target"]: r for r in results["load"]}
    for name, floor in (
        ("document (cached)", 0.6),
        ("claim (cached)", 0.6),
        ("document (uncached)", 0.1),
    ):
        if name in load:
            # From the rates, not the rounded ratio in the table: 9.96% is not 10%.
            ratio = load[name]["requests_per_s"] / load["healthz"]["requests_per_s"]
            rows.append((f"{name} ≥ {floor:.0%} of /healthz", f"{ratio:.2%}", ratio >= floor))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="ingestion rounds (see schedule())")
    args = parser.parse_args()
    try:
        sizes = [int(n) for n in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}")
    if min(sizes) < 1 or args.repeats < 1:
        parser.error("--sizes and --repeats must be at least 1")

    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": f"benchmarks/suite.py --sizes {args.sizes} --repeats {args.repeats}",
        "ingestion": ingestion(sizes, args.repeats),
    }
    # Pages at 1×: the seed alone; then beside the largest corpus (PostgreSQL).
    seed_only = fresh_database("postgresql")
    manage(seed_only, "demo", DEMO_PASSWORD="benchmark-only-password")
    results["pages"] = page_figures(seed_only, "seed")
    manage(seed_only, "generate_corpus", "--documents", str(max(sizes)), "--jobs", "2")
    vacuum_analyze(seed_only)
    results["pages"] += page_figures(seed_only, f"seed + {max(sizes)} documents")
    results["load"] = [] if args.skip_load else load(seed_only)
    (ROOT / "benchmarks" / "suite.json").write_text(json.dumps(results, indent=1) + "\n")
    write_markdown(results)


def write_markdown(results):
    lines = [
        "",
        "## System benchmarks",
        "",
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}",
        f"- Command: `{results['command']}` (run by `make bench`)",
        "",
        "### Ingestion (generate_corpus: import, extraction, link detection)",
        "",
        "Each size was run several times, each into a fresh database; the seconds are the",
        "median run's, and every run is listed. The second table splits the median run into",
        "tenths of its documents, in order (from the command's progress lines): once the",
        "link blocks are full, each tenth should cost about the same.",
        "PostgreSQL imports in one process and in two (`generate_corpus --jobs 2`); the",
        "targets take SQLite in one and PostgreSQL in two, as each imports a batch (SETUPS).",
        "",
        "| database | documents | answers | seconds | runs (s) | with start-up | answers/s "
        "| peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {label(r['backend'], r['processes'])} | {r['documents']} | "
            f"{r['answers']} | {r['seconds']} | "
            f"{', '.join(map(str, r['runs_seconds']))} | "
            f"{r['wall_seconds']} | {r['answers_per_s']} | {r['peak_rss_mib']} |"
            for r in results["ingestion"]
        ),
        "",
        "| database | documents | each tenth (s) | last tenth ÷ first |",
        "|---|---|---|---|",
        *(
            f"| {label(r['backend'], r['processes'])} | {r['documents']} | "
            f"{', '.join(map(str, r['tenths_seconds']))} "
            f"| {r['tenths_seconds'][-1] / r['tenths_seconds'][0]:.2f} |"
            for r in results["ingestion"]
            if len(r["tenths_seconds"]) == 10 and r["tenths_seconds"][0] > 0
        ),
        "",
        "### Pages on PostgreSQL (uncached: the page cache is cleared before each request)",
        "",
        "| page | scale | queries | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
        *(
            f"| {r['page']} | {r['scale']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} |"
            for r in results["pages"]
        ),
        "",
    ]
    lines += [
        "### Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *(
            f"| {name} | {value} | {'yes' if met else '**no**'} |"
            for name, value, met in targets(results)
        ),
        "",
    ]
    if results["load"]:
        lines += [
            "### Throughput under load (gunicorn, 3 workers; wrk -t2 -c16 -d10s)",
            "",
            "CPU ms per request: gunicorn's workers, the PostgreSQL processes serving the",
            "benchmark database, and wrk itself; all three share the machine's two cores.",
            "",
            "| target | requests/s | ratio to /healthz | non-2xx | CPU ms app | PostgreSQL | wrk |",
            "|---|---|---|---|---|---|---|",
            *(
                f"| {r['target']} | {r['requests_per_s']} | {r['ratio_to_healthz']} | "
                f"{r['non_2xx']} | {r.get('cpu_ms_app', '–')} | "
                f"{r.get('cpu_ms_postgresql', '–')} | {r.get('cpu_ms_wrk', '–')} |"
                for r in results["load"]
            ),
            "",
        ]
    write_section("results.md", "System benchmarks", lines, "# Benchmark results")


if __name__ == "__main__":
    main()
