"""The groups the tracker's users belong to, and the Django permissions each one holds."""

from django.contrib.auth.models import Group, Permission

REVIEWERS = "Reviewers"
SOURCE_ADMINS = "Source admins"

# app label "claims"; codenames as Django names them.
GROUP_PERMISSIONS = {
    REVIEWERS: [
        "review_claim",
        "view_claim",
        "change_claim",
        "view_claimlink",
        "add_claimlink",
        "change_claimlink",
        "view_citation",
        "add_citation",
        "view_note",
        "add_note",
        "view_flag",
        "add_flag",
        "change_flag",
        "view_source",
        "view_document",
        "view_answer",
        "view_statuschange",
    ],
    SOURCE_ADMINS: [
        "view_source",
        "add_source",
        "change_source",
        "view_document",
        "add_document",
        "change_document",
        "view_answer",
        "view_claim",
        "view_citation",
        "view_statuschange",
    ],
}


def ensure_groups():
    """Create the groups and give each exactly its permissions. Safe to run again."""
    groups = {}
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)
        groups[name] = group
    return groups
