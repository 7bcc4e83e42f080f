"""Inserting many plain rows at once, without building a model instance for each.

`bulk_create` builds an instance per row, then prepares every value through its field and,
on PostgreSQL, dumps each column as an array. For the claims, keys and links an import
writes (about 300 rows per document once the corpus is large) that took longer than the rules
that found the links. Here the caller gives plain values (ids, text, numbers) in the order of
`fields`: PostgreSQL takes them by COPY, other databases by INSERTs of many rows each.
"""

from enum import Enum

from django.db import connection, models
from django.db.models.constants import OnConflict
from django.utils import timezone

# Fields whose plain Python values the database driver takes as they are. Any other field
# (a date, a UUID) has its values prepared by the field, as bulk_create would.
_PLAIN = (
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.FloatField,
    models.BooleanField,
)


# The most parameters one PostgreSQL statement takes (its protocol counts them in 16 bits).
MAX_PARAMS = 65_535


def insert(model, fields, rows, *, ignore_conflicts=False):
    """Insert `rows`, tuples of values for `fields` (attribute names: "claim_id") of `model`.

    Every other field gets its default, worked out once for the whole call: rows inserted
    together are created at the same moment. `ignore_conflicts` skips rows that would break
    a unique constraint, as bulk_create's does."""
    meta = model._meta
    given = [meta.get_field(_field_name(meta, name)) for name in fields]
    rest = [
        f
        for f in meta.concrete_fields
        if f not in given and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    defaults = tuple(f.get_db_prep_save(_default(f), connection) for f in rest)
    prepare = [None if _is_plain(f) else f for f in given]
    if any(prepare):
        rows = (_prepared(row, prepare) for row in rows)
    if defaults:
        rows = (tuple(row) + defaults for row in rows)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in given + rest)
    # Errors as Django's (IntegrityError...), whichever cursor runs the statement.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # COPY does not log through Django's cursor; it is one statement per call.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        statement = connection.ops.insert_statement(on_conflict=on_conflict)
        suffix = connection.ops.on_conflict_suffix_sql(given, on_conflict, None, None)
        # As many rows a statement as the database takes parameters. SQLite runs an
        # executemany's statement once per row, and each run opens and closes a statement
        # transaction: a link row cost 70,200 instructions that way, 49,000 in rows of 76.
        width = len(given) + len(rest)
        size = max(1, (connection.features.max_query_params or MAX_PARAMS) // width)
        # Written in the driver's own placeholders and run on its cursor (so, like COPY, not
        # logged by Django). Django's cursor rewrites every %s of a statement into SQLite's ?
        # with a regular expression, on each run: for statements of a thousand parameters
        # that cost more than batching saved.
        mark = "?" if connection.Database.paramstyle == "qmark" else "%s"
        row_sql = f"({', '.join([mark] * width)})"
        rows = list(rows)
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.cursor.execute(
                f"{statement} {table} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"{suffix}",
                [value for row in batch for value in row],
            )


def _default(field):
    if field.unique and field.has_default():
        # One default for every row would break the constraint (a UUID, say).
        raise ValueError(f"give {field.attname} in each row: it is unique")
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    value = field.get_default()
    # A choice's plain value: a driver may write an enum member by its name.
    return value.value if isinstance(value, Enum) else value


def _field_name(meta, attname):
    """The field called `attname` ("claim_id" names the field "claim")."""
    for field in meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise ValueError(f"{meta.label} has no field {attname!r}")


def _is_plain(field):
    if field.is_relation:
        return _is_plain(field.target_field)
    return isinstance(field, _PLAIN)


def _prepared(row, prepare):
    return tuple(
        value if field is None else field.get_db_prep_save(value, connection)
        for value, field in zip(row, prepare, strict=True)
    )
