import json

from django.core.management.base import CommandError

from claims.exports import document_csv, document_export
from claims.management import DatabaseCommand
from claims.models import Document


class Command(DatabaseCommand):
    help = "Print a document's answers, claims and links as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, slug, format, **options):
        document = Document.objects.filter(slug=slug).first()
        if document is None:
            known = ", ".join(Document.objects.values_list("slug", flat=True)[:10]) or "none"
            raise CommandError(f"no document with slug {slug!r} (known: {known})")
        if format == "json":
            self.stdout.write(json.dumps(document_export(document), ensure_ascii=False, indent=1))
        else:
            document_csv(document, self.stdout)
