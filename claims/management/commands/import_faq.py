import datetime
import os
import sys

from django.conf import settings
from django.core.management.base import CommandError

from claims.importer import FaqError, import_faq
from claims.management import DatabaseCommand, input_file


class Command(DatabaseCommand):
    help = "Import a numbered FAQ text file as a document, with its claims."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the FAQ file, or - for standard input")
        parser.add_argument("--slug", required=True, help="the document's address, e.g. ok-ice")
        parser.add_argument("--title", default="")
        parser.add_argument("--source-url", default="")
        parser.add_argument("--generated-by", default="", help="the site or model that wrote it")
        parser.add_argument(
            "--retrieved-on", default="", help="date the text was fetched, YYYY-MM-DD"
        )

    def handle(self, *args, path, slug, title, source_url, generated_by, retrieved_on, **options):
        data = read_limited(path, settings.CLAIMS_MAX_IMPORT_BYTES)
        try:
            retrieved = datetime.date.fromisoformat(retrieved_on) if retrieved_on else None
        except ValueError:
            raise CommandError(
                f"--retrieved-on {retrieved_on!r} is not a YYYY-MM-DD date"
            ) from None
        try:
            result = import_faq(
                data,
                slug=slug,
                title=title,
                source_url=source_url,
                generated_by=generated_by,
                retrieved_on=retrieved,
            )
        except FaqError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(result.summary())


def read_limited(path, limit):
    """The file's bytes. Reads at most one byte past the limit, and refuses a file over it."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise CommandError(f"-: input is over the import limit of {limit:,} bytes")
        return data
    file = input_file(path)
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        # Only limit + 1 bytes were read: name the file's real size (a pipe has none).
        told = f"{size:,} bytes" if size > limit else "over the limit"
        raise CommandError(f"{path}: file is {told}; the import limit is {limit:,} bytes")
    return data
