"""Checklists per municipality: ``municipality`` empty is the national version from ``meldcode/data``.

Versions published by a person before are no longer national: a version published by the
functioneel beheerder of a gemeente organisation becomes a version of that municipality; any other
(published by the beheerder of another organisation) is withdrawn — it stays for the trajecten that
use it, but no new traject picks it — and kept under the municipality of its publisher's organisation
where there is one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def assign_municipalities(apps, schema_editor):
    Checklist = apps.get_model("meldcode", "Checklist")
    Membership = apps.get_model("accounts", "Membership")
    for checklist in Checklist.objects.filter(created_by__isnull=False):
        memberships = list(
            Membership.objects.filter(user_id=checklist.created_by_id)
            .select_related("organisation")
            .order_by("-is_active", "pk")
        )
        gemeente = next(
            (m for m in memberships if m.role == "functioneel_beheerder" and m.organisation.type == "gemeente"),
            None,
        )
        if gemeente is not None:
            checklist.municipality_id = gemeente.organisation.municipality_id
        else:
            if memberships:
                checklist.municipality_id = memberships[0].organisation.municipality_id
            checklist.published_at = None
        checklist.save(update_fields=["municipality", "published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_privacy_officer"),
        ("meldcode", "0002_default_checklists"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="checklist",
            name="checklist_unique_version",
        ),
        migrations.AddField(
            model_name="checklist",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                help_text="Leeg: de landelijke versie.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.municipality",
                verbose_name="gemeente",
            ),
        ),
        migrations.RunPython(assign_municipalities, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="checklist",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)),
                fields=("kind", "organisation_type", "version"),
                name="checklist_unique_national_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="checklist",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", False)),
                fields=("municipality", "kind", "organisation_type", "version"),
                name="checklist_unique_municipal_version",
            ),
        ),
    ]
