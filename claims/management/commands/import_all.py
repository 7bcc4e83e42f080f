import json
import time

from django.core.management.base import CommandError

from claims.backup import BackupError, restore
from claims.management import DatabaseCommand, input_file


class Command(DatabaseCommand):
    help = "Restore a file written by export_all into an empty, migrated database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")

    def handle(self, *args, path, **options):
        started = time.monotonic()
        data = read_backup(path)
        try:
            count = restore(data, progress=self.progress)
        except BackupError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(f"restored {count} rows in {time.monotonic() - started:.1f}s")

    def progress(self, label, done, total):
        self.stdout.write(
            f"{label}: {done} restored" if done == total else f"{label}: {done}/{total}"
        )


def read_backup(path):
    file = input_file(path)
    try:
        return json.loads(file.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a backup: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}: not a backup: not JSON ({exc})") from None
