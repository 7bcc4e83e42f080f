"""Choice checks written as OR-ed equalities instead of IN lists (models.choices_constraint).

They accept exactly the same values. SQLite ran an IN list of three or more values by building
a temporary B-tree for every row an import inserted. On SQLite each operation copies its
table once.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_claim_uuid_version_7"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="citation",
            name="citation_stance_valid",
        ),
        migrations.RemoveConstraint(
            model_name="claim",
            name="claim_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="claim",
            name="claim_status_valid",
        ),
        migrations.RemoveConstraint(
            model_name="claimlink",
            name="claimlink_relation_valid",
        ),
        migrations.RemoveConstraint(
            model_name="claimlink",
            name="claimlink_origin_valid",
        ),
        migrations.RemoveConstraint(
            model_name="claimlink",
            name="claimlink_state_valid",
        ),
        migrations.RemoveConstraint(
            model_name="flag",
            name="flag_reason_valid",
        ),
        migrations.RemoveConstraint(
            model_name="source",
            name="source_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="statuschange",
            name="statuschange_old_status_valid",
        ),
        migrations.RemoveConstraint(
            model_name="statuschange",
            name="statuschange_new_status_valid",
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("stance", "supports"),
                    ("stance", "refutes"),
                    ("stance", "context"),
                    _connector="OR",
                ),
                name="citation_stance_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "fact"),
                    ("kind", "advice"),
                    ("kind", "hedge"),
                    ("kind", "opinion"),
                    ("kind", "prediction"),
                    ("kind", "meta"),
                    _connector="OR",
                ),
                name="claim_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "unverified"),
                    ("status", "in_review"),
                    ("status", "supported"),
                    ("status", "partly_supported"),
                    ("status", "refuted"),
                    ("status", "unsupported"),
                    ("status", "outdated"),
                    _connector="OR",
                ),
                name="claim_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimlink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("relation", "contradicts"), ("relation", "same_as"), _connector="OR"
                ),
                name="claimlink_relation_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimlink",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin", "detected"), ("origin", "reviewer"), _connector="OR"),
                name="claimlink_origin_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimlink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("state", "suggested"),
                    ("state", "confirmed"),
                    ("state", "rejected"),
                    _connector="OR",
                ),
                name="claimlink_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reason", "needs_source"),
                    ("reason", "possibly_false"),
                    ("reason", "contradiction"),
                    ("reason", "extraction_error"),
                    ("reason", "other"),
                    _connector="OR",
                ),
                name="flag_reason_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "statute"),
                    ("kind", "bill"),
                    ("kind", "regulation"),
                    ("kind", "court_record"),
                    ("kind", "government_page"),
                    ("kind", "news"),
                    ("kind", "report"),
                    ("kind", "dataset"),
                    ("kind", "other"),
                    _connector="OR",
                ),
                name="source_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="statuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("old_status", "unverified"),
                    ("old_status", "in_review"),
                    ("old_status", "supported"),
                    ("old_status", "partly_supported"),
                    ("old_status", "refuted"),
                    ("old_status", "unsupported"),
                    ("old_status", "outdated"),
                    _connector="OR",
                ),
                name="statuschange_old_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="statuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("new_status", "unverified"),
                    ("new_status", "in_review"),
                    ("new_status", "supported"),
                    ("new_status", "partly_supported"),
                    ("new_status", "refuted"),
                    ("new_status", "unsupported"),
                    ("new_status", "outdated"),
                    _connector="OR",
                ),
                name="statuschange_new_status_valid",
            ),
        ),
    ]
