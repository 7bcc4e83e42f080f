"""What the tracker's commands share."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


class DatabaseCommand(BaseCommand):
    """A command whose database cannot be reached, or is not migrated, says so in one line
    like any other bad input, never with a traceback."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DatabaseError as exc:
            raise CommandError(database_problem(exc)) from None


def database_problem(exc):
    """One line on a database error: what the database said, and what to do when the cause is
    that it lacks migrations. PostgreSQL's messages run over several lines, and may quote the
    statement from a line of their own starting "LINE"."""
    message = " ".join(str(exc).split("\nLINE ")[0].split())
    if _unmigrated():
        return f"the database is not migrated: run `manage.py migrate` first ({message})"
    return f"database error: {message}"


def _unmigrated():
    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False  # not reachable at all: its own message says so


def input_file(path):
    """`path` as a Path, or one line saying why it names no file to read."""
    file = Path(path)
    if not file.exists():
        raise CommandError(f"{path}: no such file")
    if file.is_dir():
        raise CommandError(f"{path}: is a folder, not a file")
    return file
