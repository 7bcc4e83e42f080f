"""Copy each claim key's document onto the key (see ClaimKey.document), so that a re-import
drops a document's old keys by one indexed lookup."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_documents(apps, schema_editor):
    ClaimKey = apps.get_model("claims", "ClaimKey")
    Claim = apps.get_model("claims", "Claim")
    ClaimKey.objects.update(
        document=Subquery(Claim.objects.filter(pk=OuterRef("claim")).values("answer__document")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_contradiction_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimkey",
            name="document",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="claimkey",
            name="document",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
    ]
