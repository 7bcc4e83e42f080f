"""Drop the database foreign keys on the document ids copied onto links and blocking keys
(models.COPIED_DOCUMENT). The claim keys of the same rows already hold them to existing
documents; PostgreSQL checked each copy again at every import's commit."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_fewer_link_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claimkey",
            name="document",
            field=models.ForeignKey(
                db_constraint=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.AlterField(
            model_name="claimlink",
            name="source_document",
            field=models.ForeignKey(
                db_constraint=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.AlterField(
            model_name="claimlink",
            name="target_document",
            field=models.ForeignKey(
                db_constraint=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
    ]
