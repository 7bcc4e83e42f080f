import gc
import multiprocessing
import queue
import resource
import signal
import sys
import time

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from claims.corpus import document
from claims.importer import FaqError, import_faq
from claims.management import DatabaseCommand, database_problem


class Command(DatabaseCommand):
    help = (
        "Generate realistic synthetic FAQ documents and import them through the real importer "
        "and extractor, for benchmarks and load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=0, metavar="S")
        parser.add_argument("--start", type=int, default=0, help="number of the first document")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="J",
            help="import in J processes side by side (they link one at a time)",
        )

    def handle(self, *args, documents, seed, start, jobs, **options):
        if documents < 1:
            raise CommandError("--documents must be at least 1")
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        # A long batch keeps a cache of analysed claims (claims.linking): with the default
        # thresholds the collector scanned it over and over, a sixth of a 1,000-document run.
        gc.set_threshold(100_000, 50, 100)
        numbers = range(start, start + documents)
        began = time.perf_counter()
        try:
            if jobs == 1:
                answers, claims = self._import(numbers, seed, began)
            else:
                jobs = min(jobs, documents)
                answers, claims = self._import_side_by_side(numbers, seed, jobs, began)
        except KeyboardInterrupt:
            # Each document is one transaction: the one under way is rolled back.
            raise CommandError("interrupted; documents imported so far are kept") from None
        elapsed = time.perf_counter() - began
        self.stdout.write(
            f"imported {documents} documents, {answers} answers, {claims} claims in "
            f"{elapsed:.2f} s ({answers / elapsed:.0f} answers/s)"
        )

    def _import(self, numbers, seed, began):
        answers = claims = 0
        for done, number in enumerate(numbers, 1):
            answers_, claims_ = _import_one(number, seed)
            answers += answers_
            claims += claims_
            self._progress(done, len(numbers), began)
        return answers, claims

    def _import_side_by_side(self, numbers, seed, jobs, began):
        """Import in `jobs` forked processes, each taking every jobs-th document. Extraction
        and writing a document's claims run side by side; linking waits its turn
        (claims.linking.lock_linking), so a document is linked with every document that was
        linked before it, whichever process imported it. That order can differ a little from
        the documents' numbers, and the links with it, as they would for any other order of
        imports: link detection keeps each claim's few best links among those it has seen."""
        # Connect once first: a new SQLite file is switched to write-ahead logging by its first
        # connection (settings), and two processes doing that at once could stop the batch
        # with "database is locked" (6 runs in 60 on a missing file). Then each process
        # opens its own connections: a forked copy of one would be shared.
        connections[DEFAULT_DB_ALIAS].ensure_connection()
        connections.close_all()
        context = multiprocessing.get_context("fork")
        reports = context.Queue()
        workers = [
            context.Process(target=_work, args=(numbers[k::jobs], seed, reports), daemon=True)
            for k in range(jobs)
        ]
        for worker in workers:
            worker.start()
        answers = claims = done = 0
        peaks, finished = [], 0
        try:
            while finished < jobs:
                try:
                    kind, *report = reports.get(timeout=1)
                except queue.Empty:
                    dead = [w for w in workers if w.exitcode not in (None, 0)]
                    if dead:
                        raise CommandError(
                            f"an import process stopped unexpectedly (exit code "
                            f"{dead[0].exitcode}); documents imported so far are kept"
                        ) from None
                    continue
                if kind == "error":
                    raise CommandError(f"{report[0]}; documents imported so far are kept")
                if kind == "finished":
                    finished += 1
                    peaks.append(report[0])
                    continue
                answers += report[0]
                claims += report[1]
                done += 1
                self._progress(done, len(numbers), began)
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                worker.join()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # Each process's own peak, added up: an upper bound, as the forked processes share
        # the pages they have not written since.
        self.stdout.write(
            f"peak memory of the {jobs} import processes and this one together: "
            f"{own + sum(peaks)} KiB at most"
        )
        return answers, claims

    def _progress(self, done, total, began):
        width = 30
        filled = width * done // total
        elapsed = time.perf_counter() - began
        rate = done / max(elapsed, 1e-9)
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} documents, {rate:.1f}/s"
        stream = self.stderr if sys.stderr.isatty() else None
        if stream is not None:
            stream.write(line, ending="")
            if done == total:
                stream.write("")
        elif done == total or done % max(1, total // 10) == 0:
            self.stderr.write(f"{done}/{total} documents in {elapsed:.2f} s, {rate:.1f}/s")


def _import_one(number, seed):
    slug, title, text = document(number, seed)
    try:
        result = import_faq(text, slug=slug, title=title, generated_by="synthetic corpus")
    except FaqError as exc:
        raise CommandError(f"document {number} ({slug}): {exc}") from None
    return result.answers, result.claims


def _work(numbers, seed, reports):
    """One import process: reports each document's counts, then its peak memory; or one line
    on what went wrong."""
    # Ctrl-C reaches every process of the terminal's group: the parent stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for number in numbers:
            try:
                reports.put(("imported", *_import_one(number, seed)))
            except CommandError as exc:
                reports.put(("error", str(exc)))
                return
            except DatabaseError as exc:
                reports.put(("error", f"document {number}: {database_problem(exc)}"))
                return
            except Exception as exc:  # one line, not a traceback
                reports.put(("error", f"document {number}: {exc}".splitlines()[0]))
                return
        reports.put(("finished", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    finally:
        connections.close_all()
