"""Copy each link's two documents onto the link (see ClaimLink.source_document), and index
claim keys by key then claim, for the latest claims sharing a key (linking.BLOCK_LIMIT), and
index Claim.merged_into only where it is set."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_documents(apps, schema_editor):
    ClaimLink = apps.get_model("claims", "ClaimLink")
    Claim = apps.get_model("claims", "Claim")

    def document_of(side):
        return Subquery(Claim.objects.filter(pk=OuterRef(side)).values("answer__document")[:1])

    ClaimLink.objects.update(
        source_document=document_of("source_claim"), target_document=document_of("target_claim")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_page_cache"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimlink",
            name="source_document",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.AddField(
            model_name="claimlink",
            name="target_document",
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
            model_name="claimlink",
            name="source_document",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.RemoveIndex(model_name="claimkey", name="claimkey_key_idx"),
        migrations.AddIndex(
            model_name="claimkey",
            index=models.Index(fields=["key", "claim"], name="claimkey_key_claim_idx"),
        ),
        migrations.AlterField(
            model_name="claimlink",
            name="target_document",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="claims.document",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Set when a reviewer merged this claim into another; it keeps its history.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_claims",
                to="claims.claim",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="claim_merged_into_idx",
            ),
        ),
    ]
