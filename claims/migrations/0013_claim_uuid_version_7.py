"""New claims get time-ordered UUIDs (models.uuid7); claims already stored keep theirs.

The default is Python's alone: the database column does not change, so this changes only the
migration state. A plain AlterField would make SQLite copy the whole claims table to record it.
"""

from django.db import migrations, models

import claims.models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_copied_documents_without_constraints"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="uuid",
                    field=models.UUIDField(
                        default=claims.models.uuid7, editable=False, unique=True
                    ),
                ),
            ],
        ),
    ]
