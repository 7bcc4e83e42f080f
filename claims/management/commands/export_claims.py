import csv
import json

from django.core.management.base import BaseCommand, CommandError

from claims.exports import document_export
from claims.models import Document

CSV_COLUMNS = [
    "answer",
    "question",
    "id",
    "start",
    "end",
    "quote",
    "text",
    "checkworthy",
    "kind",
    "status",
]


class Command(BaseCommand):
    help = "Print a document's answers, claims and links as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, slug, format, **options):
        document = Document.objects.filter(slug=slug).first()
        if document is None:
            known = ", ".join(Document.objects.values_list("slug", flat=True)[:10]) or "none"
            raise CommandError(f"no document with slug {slug!r} (known: {known})")
        data = document_export(document)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for answer in data["answers"]:
            for claim in answer["claims"]:
                writer.writerow(
                    {"answer": answer["number"], "question": answer["question"], **claim}
                )
