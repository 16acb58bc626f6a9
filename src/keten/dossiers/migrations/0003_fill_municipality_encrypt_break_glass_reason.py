"""Give every family and person its municipality, and encrypt the reasons of earlier break-the-glass grants.

A family's municipality is the one of its wijk, else the one of the organisation of its dossier's first
case-team member (the professional who registered it), else the first municipality.
"""

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps: Any, schema_editor: Any) -> None:
    family_model = apps.get_model("dossiers", "Family")
    person_model = apps.get_model("dossiers", "Person")
    member_model = apps.get_model("dossiers", "CaseTeamMember")
    grant_model = apps.get_model("dossiers", "BreakGlassAccess")
    wijk_model = apps.get_model("accounts", "Wijk")
    municipality_model = apps.get_model("accounts", "Municipality")
    membership_model = apps.get_model("accounts", "Membership")

    unset = family_model.objects.filter(municipality__isnull=True)
    unset.filter(wijk__isnull=False).update(
        municipality_id=Subquery(wijk_model.objects.filter(pk=OuterRef("wijk_id")).values("municipality_id")[:1])
    )
    first_member = (
        member_model.objects.filter(dossier__family_id=OuterRef("pk"))
        .order_by("added_at", "id")
        .values("organisation__municipality_id")[:1]
    )
    unset.update(municipality_id=Subquery(first_member))
    if unset.exists():
        fallback = municipality_model.objects.order_by("id").values_list("id", flat=True).first()
        if fallback is None:
            raise RuntimeError("Families exist without any municipality to give them: add a municipality first.")
        unset.update(municipality_id=fallback)
    person_model.objects.update(
        municipality_id=Subquery(family_model.objects.filter(pk=OuterRef("family_id")).values("municipality_id")[:1])
    )
    for name, current in (("HistoricalFamily", family_model), ("HistoricalPerson", person_model)):
        apps.get_model("dossiers", name).objects.filter(municipality__isnull=True).update(
            municipality_id=Subquery(current.objects.filter(pk=OuterRef("id")).values("municipality_id")[:1])
        )

    for grant in grant_model.objects.filter(reason_secret__isnull=True).iterator():
        grant.reason_secret = grant.reason
        grant.organisation_id = (
            membership_model.objects.filter(user_id=grant.user_id)
            .order_by("-is_active", "id")
            .values_list("organisation_id", flat=True)
            .first()
        )
        grant.save(update_fields=["reason_secret", "organisation"])


def backwards(apps: Any, schema_editor: Any) -> None:
    grant_model = apps.get_model("dossiers", "BreakGlassAccess")
    for grant in grant_model.objects.iterator():
        grant.reason = grant.reason_secret or ""
        grant.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_municipality_review_access_requests"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
