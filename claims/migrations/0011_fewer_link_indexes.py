"""Drop the indexes that another index already serves: claimlink.source_claim_id and
claimkey.claim_id lead claimlink_unique_pair and claimkey_unique. Index claimlink.decided_by
only where it is set. Each import writes hundreds of link rows, and every index is one more
entry to write per row."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_claimkey_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="claimlink",
            name="source_claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="links_out",
                to="claims.claim",
            ),
        ),
        migrations.AlterField(
            model_name="claimlink",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="claimlink",
            index=models.Index(
                condition=models.Q(("decided_by__isnull", False)),
                fields=["decided_by"],
                name="claimlink_decided_by_idx",
            ),
        ),
        migrations.AlterField(
            model_name="claimkey",
            name="claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="keys",
                to="claims.claim",
            ),
        ),
    ]
