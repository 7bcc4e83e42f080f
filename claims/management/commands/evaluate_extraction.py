import json
from pathlib import Path

from django.core.management.base import CommandError

from claims.evaluation import score, summary
from claims.exports import document_export
from claims.management import DatabaseCommand
from claims.models import Document


class Command(DatabaseCommand):
    help = (
        "Score a document's claims and links against a gold annotation: recall, precision, "
        "noise, contradiction recall and contradiction precision."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("gold", help="the gold annotation, a JSON file")

    def handle(self, *args, slug, gold, **options):
        document = Document.objects.filter(slug=slug).first()
        if document is None:
            raise CommandError(f"no document with slug {slug!r}")
        try:
            annotation = json.loads(Path(gold).read_text(encoding="utf-8"))
            annotation["claims"]
        except FileNotFoundError:
            raise CommandError(f"{gold}: no such file") from None
        except (ValueError, KeyError, TypeError):
            raise CommandError(
                f"{gold}: not a gold annotation (JSON with a 'claims' list)"
            ) from None
        metrics = score(document_export(document), annotation)
        for problem in metrics["problems"][:20]:
            self.stdout.write(f"problem: {problem}")
        if metrics["missed"]:
            self.stdout.write("missed claims: " + ", ".join(metrics["missed"]))
        missed = ", ".join(metrics["missed_contradictions"]) or "none"
        self.stdout.write(f"missed contradictions: {missed}")
        self.stdout.write(summary(metrics))
