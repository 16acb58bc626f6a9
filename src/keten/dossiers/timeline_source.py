"""The dossier's own events on its timeline: notes, case-team changes and status changes.

Status changes come from the dossier's recorded versions (django-simple-history): the version that
created the dossier, and each version whose status differs from the version before it (found in
the same query with a subquery, so the number of versions does not matter).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except
from keten.dossiers.models import CaseTeamMember, Dossier, DossierNote
from keten.dossiers.timeline import Cursor, TimelineEntry, TimelineSource, older_rows, present, shorten

NOTES = "notities"
TEAM = "casusteam"
STATUS = "dossierstatus"


def _people(prefix: str = "") -> list[str]:
    return [
        *defer_except(f"{prefix}user", User, USER_NAMES),
        *defer_except(f"{prefix}organisation", Organisation, ORGANISATION_NAME),
    ]


def collect(
    actor: Actor, dossier: Dossier, kinds: frozenset[str], before: Cursor | None, limit: int
) -> list[TimelineEntry]:
    """Notes (1 query), case-team additions and endings (2), status changes (1) — as the dossier page
    shows them to whoever may see the dossier. One query first learns which of notes, endings and
    recorded versions the dossier has any of; the queries of those it has none of are left out."""
    if actor.user is None or not allows("dossiers.view_dossier", actor, dossier):
        return []

    def section(slug: str) -> str:
        return reverse("dossiers:section", args=[dossier.reference, slug])

    found: list[TimelineEntry] = []
    probe: dict[str, QuerySet[Any]] = {}
    if NOTES in kinds:
        probe["notes"] = DossierNote.objects.filter(dossier=dossier)
    if TEAM in kinds:
        probe["ended"] = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=False)
    if STATUS in kinds:
        probe["versions"] = Dossier.history.model.objects.filter(id=dossier.pk)
    happened = present(dossier, **probe)
    if "notes" in happened:
        notes = older_rows(
            DossierNote.objects.filter(dossier=dossier)
            .select_related("author")
            .defer(*defer_except("author", User, USER_NAMES)),
            event="dossiers.note",
            moment="created_at",
            before=before,
            limit=limit,
        )
        found += [
            TimelineEntry(
                kind=NOTES,
                kind_label=_("Notitie"),
                when=n.created_at,
                title=_("Notitie toegevoegd"),
                detail=shorten(n.text),
                actor_name=str(n.author),
                url=section("notities"),
                dossier_id=dossier.pk,
                event="dossiers.note",
                row_id=n.pk,
            )
            for n in notes
        ]
    if TEAM in kinds:
        members = CaseTeamMember.objects.filter(dossier=dossier).select_related("user", "organisation", "added_by")
        members = members.defer(*_people(), *defer_except("added_by", User, USER_NAMES))
        added = older_rows(members, event="dossiers.team_added", moment="added_at", before=before, limit=limit)
        ended = (
            older_rows(
                members.filter(ended_at__isnull=False),
                event="dossiers.team_ended",
                moment="ended_at",
                before=before,
                limit=limit,
            )
            if "ended" in happened
            else []
        )
        for m in added:
            found.append(
                TimelineEntry(
                    kind=TEAM,
                    kind_label=_("Casusteam"),
                    when=m.added_at,
                    title=_("%(name)s toegevoegd aan het casusteam") % {"name": m.user},
                    detail=_("%(role)s, %(org)s") % {"role": m.get_case_role_display(), "org": m.organisation.name},
                    actor_name=str(m.added_by) if m.added_by else "",
                    url=section("casusteam"),
                    dossier_id=dossier.pk,
                    event="dossiers.team_added",
                    row_id=m.pk,
                )
            )
        for m in ended:
            assert m.ended_at is not None  # filtered above
            found.append(
                TimelineEntry(
                    kind=TEAM,
                    kind_label=_("Casusteam"),
                    when=m.ended_at,
                    title=_("%(name)s uit het casusteam") % {"name": m.user},
                    detail=_("%(role)s, %(org)s") % {"role": m.get_case_role_display(), "org": m.organisation.name},
                    url=section("casusteam"),
                    dossier_id=dossier.pk,
                    event="dossiers.team_ended",
                    row_id=m.pk,
                )
            )
    if "versions" in happened:
        found += _status_changes(dossier, reverse("dossiers:detail", args=[dossier.reference]), before, limit)
    return found


def _status_changes(dossier: Dossier, page: str, before: Cursor | None, limit: int) -> list[TimelineEntry]:
    versions = Dossier.history.model.objects
    previous = (
        versions.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    changes = (
        versions.filter(id=dossier.pk)
        .annotate(previous_status=Subquery(previous))
        .filter(Q(history_type="+") | (Q(previous_status__isnull=False) & ~Q(previous_status=F("status"))))
        .select_related("history_user")
        .only("history_id", "history_date", "history_type", "status", *(f"history_user__{f}" for f in USER_NAMES))
    )
    rows = older_rows(
        changes, event="dossiers.status", moment="history_date", row_id="history_id", before=before, limit=limit
    )
    labels = dict(Dossier.Status.choices)
    entries = []
    for row in rows:
        if row.history_type == "+":
            title = _("Dossier aangemaakt")
        elif row.status == Dossier.Status.CLOSED:
            title = _("Dossier gesloten")
        else:
            title = _("Dossier heropend")
        entries.append(
            TimelineEntry(
                kind=STATUS,
                kind_label=_("Dossierstatus"),
                when=row.history_date,
                title=title,
                detail=_("Status: %(status)s") % {"status": labels.get(row.status, row.status)},
                actor_name=str(row.history_user) if row.history_user else "",
                url=page,
                dossier_id=dossier.pk,
                event="dossiers.status",
                row_id=row.history_id,
            )
        )
    return entries


SOURCE = TimelineSource(
    name="dossiers",
    order=0,
    kinds=[
        (NOTES, gettext_lazy("Notities")),
        (TEAM, gettext_lazy("Casusteam")),
        (STATUS, gettext_lazy("Dossierstatus")),
    ],
    collect=collect,
)
