import gc
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from claims.corpus import document
from claims.importer import FaqError, import_faq


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic FAQ documents and import them through the real importer "
        "and extractor, for benchmarks and load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=0, metavar="S")
        parser.add_argument("--start", type=int, default=0, help="number of the first document")

    def handle(self, *args, documents, seed, start, **options):
        if documents < 1:
            raise CommandError("--documents must be at least 1")
        # A long batch keeps a cache of analysed claims (claims.linking): with the default
        # thresholds the collector scanned it over and over, a sixth of a 1,000-document run.
        gc.set_threshold(100_000, 50, 100)
        began = time.perf_counter()
        answers = claims = 0
        for number in range(start, start + documents):
            slug, title, text = document(number, seed)
            try:
                result = import_faq(text, slug=slug, title=title, generated_by="synthetic corpus")
            except FaqError as exc:
                raise CommandError(f"document {number} ({slug}): {exc}") from None
            answers += result.answers
            claims += result.claims
            self._progress(number - start + 1, documents, began)
        elapsed = time.perf_counter() - began
        self.stdout.write(
            f"imported {documents} documents, {answers} answers, {claims} claims in "
            f"{elapsed:.2f} s ({answers / elapsed:.0f} answers/s)"
        )

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
