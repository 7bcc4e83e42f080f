import os
import time
from pathlib import Path

from django.core.management.base import CommandError

from claims.backup import dumps, export_data
from claims.management import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Write everything (documents, claims, review work and history, sources, users, groups, "
        "tokens) to one JSON file that import_all restores."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")

    def handle(self, *args, path, **options):
        started = time.monotonic()
        data = export_data(progress=lambda label, count: self.stdout.write(f"{label}: {count}"))
        text = dumps(data).encode()
        write_privately(Path(path), text)
        self.stdout.write(
            f"wrote {path}: {len(data['objects'])} rows, {len(text)} bytes, "
            f"in {time.monotonic() - started:.1f}s"
        )


def write_privately(path, content):
    """Write the file readable by its owner only (it holds password hashes and API tokens),
    through a temporary file, so a failed run never leaves half a backup in its place."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"{path}: cannot write ({exc.strerror})") from None
