from django.core.management.base import CommandError

from claims.importer import FaqError, reextract
from claims.management import DatabaseCommand
from claims.models import Document


class Command(DatabaseCommand):
    help = (
        "Run the current extraction engine over documents again. Review work is kept: claims "
        "are re-anchored, or kept as orphans when their words are gone."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("--all", action="store_true", help="every document")

    def handle(self, *args, slugs, all, **options):
        if all == bool(slugs):
            raise CommandError("name one or more document slugs, or give --all")
        documents = Document.objects.order_by("slug")
        if not all:
            documents = documents.filter(slug__in=slugs)
            missing = set(slugs) - set(documents.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no document with slug {', '.join(sorted(missing))}")
        total = documents.count()
        for number, document in enumerate(documents, start=1):
            try:
                result = reextract(document)
            except FaqError as exc:
                raise CommandError(f"{document.slug}: {exc}") from None
            prefix = f"[{number}/{total}] " if total > 1 else ""
            self.stdout.write(prefix + result.summary())
