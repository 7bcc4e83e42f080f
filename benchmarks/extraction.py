"""Speed of the extraction engine alone (no database), on one core.

    make bench            # or: .venv/bin/python benchmarks/extraction.py

Measures answers/s for extract() over the seed's answers, and link detection time as the
number of claims grows, to show that blocking keeps it far from quadratic. Writes
benchmarks/results.md and benchmarks/results.json.
"""

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import faq  # noqa: E402
from claims.extraction import extract, jurisdiction  # noqa: E402
from claims.extraction.links import analyse, detect, feature_text  # noqa: E402

SEED = ROOT / "fixtures" / "oklahoma-ice-benefits-faq.txt"
PLACES = ["Oklahoma", "Kansas", "Texas", "Ohio", "Iowa", "Utah", "Maine", "Idaho", "Nevada"]
TARGET_ANSWERS_PER_S = 500


def seed_answers():
    text = faq.decode(SEED.read_bytes(), limit=10_000_000)
    return faq.parse(text), text


def extraction_speed(answers, place, rounds=25):
    extract(answers[0].text, question=answers[0].question, place=place)  # warm the caches
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            for answer in answers:
                extract(answer.text, question=answer.question, place=place)
        elapsed = time.perf_counter() - start
        best = max(best, rounds * len(answers) / elapsed)
    return best


def link_scaling(answers):
    """Link detection over 1, 4, 16 and 64 copies of the seed, each about another state."""
    rows = []
    for copies in (1, 4, 16, 64):
        items = []
        for copy in range(copies):
            place = PLACES[copy % len(PLACES)] + ("" if copy < len(PLACES) else f" {copy}")
            for answer in answers:
                text = answer.text.replace("Oklahoma", place)
                for n, span in enumerate(extract(text, question=answer.question, place=place)):
                    if span.checkworthy:
                        features = feature_text(span.rule, span.text, span.quote)
                        claim_id, group = (copy, answer.number, n), (copy, answer.number)
                        items.append(analyse(claim_id, group, features, place))
        start = time.perf_counter()
        links = detect(items)
        elapsed = time.perf_counter() - start
        rows.append(
            {
                "documents": copies,
                "claims": len(items),
                "links": len(links),
                "seconds": round(elapsed, 4),
            }
        )
    return rows


def main():
    answers, text = seed_answers()
    place = jurisdiction(*(a.question for a in answers), text)
    speed = extraction_speed(answers, place)
    scaling = link_scaling(answers)
    growth = scaling[-1]["seconds"] / max(scaling[0]["seconds"], 1e-9)
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "command": "make bench (benchmarks/extraction.py)",
        "extraction_answers_per_s": round(speed),
        "extraction_target": TARGET_ANSWERS_PER_S,
        "link_detection": scaling,
        "link_detection_growth_for_64x_documents": round(growth, 1),
    }
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}",
        f"- Command: `{results['command']}`",
        "",
        "## Extraction engine alone (one core, no database)",
        "",
        f"{results['extraction_answers_per_s']} answers/s over the seed's 20 answers "
        f"(best of 5 runs of 25 rounds; target ≥ {TARGET_ANSWERS_PER_S}).",
        "",
        "## Link detection with blocking",
        "",
        "Copies of the seed, each about a different state, so that blocks stay per state.",
        "",
        "| documents | check-worthy claims | links | seconds |",
        "|---|---|---|---|",
        *(f"| {r['documents']} | {r['claims']} | {r['links']} | {r['seconds']} |" for r in scaling),
        "",
        f"64× the documents took {results['link_detection_growth_for_64x_documents']}× the time "
        "(all-pairs comparison would take about 4,096×).",
        "",
    ]
    (ROOT / "benchmarks" / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))
    if speed < TARGET_ANSWERS_PER_S:
        # Reported, not fatal: the system benchmarks that follow should still run.
        print(f"below target: {speed:.0f} < {TARGET_ANSWERS_PER_S} answers/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
