"""Backup and restore of everything the tracker holds, as one JSON file.

The body is deterministic: objects in a fixed model order, then by primary key, keys sorted,
many-to-many lists sorted, times in full (microseconds, UTC). Exporting a restored database
therefore gives the same file apart from `exported_at`, on SQLite and PostgreSQL alike.

What is left out, and why:
- content types and permissions: `migrate` creates them, with ids that differ between
  databases, so rows refer to them by natural key (app label, model, codename);
- sessions: logins are short-lived and signed with this server's secret key; after a restore
  everyone signs in again.
Documents keep their page-cache version and change time as they were: restoring is not a
change, and a page cached under that version and time shows what the restored rows show. Pages
are told apart by both (claims/cache.py), because changes made after a restore reuse version
numbers that the lost database had given to other changes.
"""

import datetime
import json

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

FORMAT = "claim-tracker-backup"
VERSION = 1
# Restoring writes about a thousand rows a second on PostgreSQL; a line every ten seconds or so.
PROGRESS_EVERY = 10_000


class BackupError(Exception):
    """A file or database the restore refuses. The message is one line, for a person."""


def backup_models():
    """Every model whose rows are backed up, in restore order: groups before the users that
    name them, users before the rows that name them (by username), then the claims app."""
    return [
        apps.get_model("auth", "Group"),
        apps.get_model(settings.AUTH_USER_MODEL),
        apps.get_model("authtoken", "Token"),
        apps.get_model("admin", "LogEntry"),
        *apps.get_app_config("claims").get_models(),
    ]


def export_data(progress=None):
    """The whole database as a dict ready for `dumps`. `progress(label, count)` per model."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            # One snapshot for every table, while reviewers go on writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        objects, counts = [], {}
        for model in backup_models():
            rows = serializers.serialize("python", _queryset(model), use_natural_foreign_keys=True)
            for row in rows:
                for field in model._meta.local_many_to_many:
                    row["fields"][field.name].sort()
            # Again in Python: the databases may collate text keys (a token's) differently.
            rows.sort(key=lambda row: row["pk"])
            objects.extend(rows)
            counts[str(model._meta)] = len(rows)
            if progress:
                progress(str(model._meta), len(rows))
        schema = _schema()
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "schema": schema,
        "counts": counts,
        "objects": objects,
    }


def dumps(data):
    return json.dumps(data, cls=_Encoder, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def restore(data, progress=None):
    """Load a backup into this empty database in one transaction. Returns the row count.
    `progress(label, done, total)` after each model, and every PROGRESS_EVERY rows of one."""
    objects = _checked_objects(data)
    models = backup_models()
    try:
        with transaction.atomic():
            _refuse_unless_empty(models)
            for model in models:
                label = str(model._meta)
                rows = [row for row in objects if row["model"] == label]
                for count, restored in enumerate(serializers.deserialize("python", rows), 1):
                    # A raw save: no model save() (the history's append-only guard, the
                    # claim's span check), and signals marked raw, so page versions stay.
                    restored.save(force_insert=True)
                    if progress and count % PROGRESS_EVERY == 0 and count < len(rows):
                        progress(label, count, len(rows))
                if progress:
                    progress(label, len(rows), len(rows))
            # Foreign keys are checked at commit; checking now names the broken row.
            connection.check_constraints()
            with connection.cursor() as cursor:
                # Rows came with their ids; new rows must not be given one of them.
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    except (DeserializationError, DatabaseError, ValidationError, ValueError, TypeError) as exc:
        raise BackupError("cannot restore: " + " ".join(str(exc).split())) from None
    return len(objects)


def _natural_fks(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and hasattr(field.related_model, "natural_key")
    ]


def _queryset(model):
    """All rows, with what their natural keys need fetched in bulk rather than row by row."""
    related = [
        Prefetch(
            field.name,
            queryset=field.related_model._base_manager.select_related(
                *_natural_fks(field.related_model)
            ),
        )
        for field in model._meta.local_many_to_many
    ]
    return (
        model._base_manager.select_related(*_natural_fks(model))
        .prefetch_related(*related)
        .order_by("pk")
    )


def _schema():
    """The last migration applied per app: a backup restores into the same schema only."""
    apps_backed_up = {model._meta.app_label for model in backup_models()} | {"contenttypes"}
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in apps_backed_up:
            latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


def _checked_objects(data):
    """The file's objects, once the file is a backup this code can restore, else BackupError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f'not a backup: the file has no "format": "{FORMAT}"')
    if data.get("version") != VERSION:
        raise BackupError(
            f"backup format version {data.get('version')!r} is not supported (only {VERSION})"
        )
    schema = _schema()
    if not schema:
        raise BackupError("the database has no tables yet: run `manage.py migrate` first")
    if data.get("schema") != schema:
        backup = data.get("schema") if isinstance(data.get("schema"), dict) else {}
        differences = [
            f"{app} {backup.get(app, 'none')} in the backup, {schema.get(app, 'none')} here"
            for app in sorted(set(backup) | set(schema))
            if backup.get(app) != schema.get(app)
        ] or ["no schema recorded in the backup"]
        raise BackupError(
            "the backup's migrations differ from this database's ("
            + "; ".join(differences)
            + "): restore it with the version of the tracker that made it, then migrate"
        )
    objects = data.get("objects")
    if not isinstance(objects, list):
        raise BackupError('not a backup: "objects" is not a list')
    fields = {str(model._meta): _field_names(model) for model in backup_models()}
    counts = {}
    for number, row in enumerate(objects, start=1):
        if not (isinstance(row, dict) and "pk" in row and isinstance(row.get("fields"), dict)):
            raise BackupError(f"object {number} is not a model row")
        if row.get("model") not in fields:
            raise BackupError(f"object {number}: {row.get('model')!r} is not a backed-up model")
        if set(row["fields"]) != fields[row["model"]]:
            missing = sorted(fields[row["model"]] - set(row["fields"]))
            extra = sorted(set(row["fields"]) - fields[row["model"]])
            raise BackupError(
                f"object {number} ({row['model']} {row['pk']}): fields differ from the model "
                f"(missing {missing}, unknown {extra})"
            )
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    stated = data.get("counts") if isinstance(data.get("counts"), dict) else {}
    expected = {label: n for label, n in stated.items() if n}
    if counts != expected:
        raise BackupError(f"the file holds {counts} rows but says it holds {expected}: truncated?")
    return list(objects)


def _field_names(model):
    return {
        field.name
        for field in (*model._meta.local_fields, *model._meta.local_many_to_many)
        if field.serialize
    }


def _refuse_unless_empty(models):
    held = [
        f"{model._base_manager.count()} {model._meta.label_lower}"
        for model in models
        if model._base_manager.exists()
    ]
    if held:
        raise BackupError(
            f"the database is not empty: it holds {', '.join(held)}; restore into a new "
            "database, made with `manage.py migrate`"
        )


class _Encoder(json.JSONEncoder):
    def default(self, value):
        # Full precision, always in UTC: the same instant reads the same from either database.
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(datetime.UTC)
            return value.isoformat()
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        return super().default(value)
