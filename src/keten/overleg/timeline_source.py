"""The overleg's part of the dossier timeline: the case's registrations, its agenda and discussions,
and the agreements made and closed.

Only the registrations whose content the actor may see (registrant, chair, casusregisseur, attendee
of a meeting with the case on its agenda — :func:`keten.overleg.registrations.selectors.registrations_visible_to`)
and what hangs off them: being on the case team does not show a case's overleg. Each entry links
to the registration or the agreement, pages the actor may open for the same reason.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except
from keten.dossiers.models import Dossier
from keten.dossiers.timeline import Cursor, TimelineEntry, TimelineSource, newest_below, older_rows, shorten
from keten.overleg.models import (
    AgendaEvent,
    AgreementVersion,
    CaseRegistration,
    DiscussionEntry,
    RegistrationStatus,
)
from keten.overleg.registrations.selectors import registrations_visible_to

REGISTRATIONS = "overleg.aanmeldingen"
DISCUSSIONS = "overleg.besprekingen"
AGREEMENTS = "overleg.afspraken"

_LABELS = {
    REGISTRATIONS: gettext_lazy("Overleg: aanmelding"),
    DISCUSSIONS: gettext_lazy("Overleg: bespreking"),
    AGREEMENTS: gettext_lazy("Overleg: afspraak"),
}

_AGREEMENT_TITLES = {
    AgreementVersion.Kind.CREATED: gettext_lazy("Afspraak gemaakt"),
    AgreementVersion.Kind.DONE: gettext_lazy("Afspraak uitgevoerd"),
    AgreementVersion.Kind.CANCELLED: gettext_lazy("Afspraak vervallen"),
    AgreementVersion.Kind.REOPENED: gettext_lazy("Afspraak heropend"),
}


def _visible(actor: Actor, dossier: Dossier) -> list[CaseRegistration]:
    """The dossier's registrations the actor may see (a case has a few), with what their entries
    show: one query, after which each query of the source names their ids instead of repeating
    the visibility rule."""
    return list(
        registrations_visible_to(actor)
        .filter(dossier=dossier)
        .select_related(None)
        .select_related("overleg_type", "registered_by", "organisation", "decided_by")
        .only(
            "pk",
            "registered_at",
            "decided_at",
            "closed_at",
            "status",
            "overleg_type__name",
            *(f"registered_by__{f}" for f in USER_NAMES),
            *(f"organisation__{f}" for f in ORGANISATION_NAME),
            *(f"decided_by__{f}" for f in USER_NAMES),
        )
    )


def _user_names(path: str) -> list[str]:
    return defer_except(path, User, USER_NAMES)


def _registration_url(pk: int) -> str:
    return reverse("overleg:registration", args=[pk])


def _registrations(
    dossier: Dossier, cases: list[CaseRegistration], before: Cursor | None, limit: int
) -> list[TimelineEntry]:
    """Registered, decided and closed, from the cases read already: no query."""
    label = str(_LABELS[REGISTRATIONS])
    found: list[TimelineEntry] = []
    for r in cases:
        found.append(
            TimelineEntry(
                kind=REGISTRATIONS,
                kind_label=label,
                when=r.registered_at,
                title=_("Aangemeld voor %(overleg)s") % {"overleg": r.overleg_type.name},
                detail=_("Status: %(status)s") % {"status": r.get_status_display()},
                actor_name=str(r.registered_by),
                organisation_name=r.organisation.name,
                url=_registration_url(r.pk),
                dossier_id=dossier.pk,
                event="overleg.registered",
                row_id=r.pk,
            )
        )
        if r.decided_at is not None:
            declined = r.status == RegistrationStatus.AFGEWEZEN
            found.append(
                TimelineEntry(
                    kind=REGISTRATIONS,
                    kind_label=label,
                    when=r.decided_at,
                    title=(_("Aanmelding afgewezen door de voorzitter") if declined else _("Aanmelding toegelaten")),
                    detail=str(r.overleg_type.name),
                    actor_name=str(r.decided_by) if r.decided_by else "",
                    url=_registration_url(r.pk),
                    dossier_id=dossier.pk,
                    event="overleg.decided",
                    row_id=r.pk,
                )
            )
        if r.closed_at is not None and r.status == RegistrationStatus.AFGESLOTEN:
            found.append(
                TimelineEntry(
                    kind=REGISTRATIONS,
                    kind_label=label,
                    when=r.closed_at,
                    title=_("Casus afgesloten in het overleg"),
                    detail=str(r.overleg_type.name),
                    url=_registration_url(r.pk),
                    dossier_id=dossier.pk,
                    event="overleg.closed",
                    row_id=r.pk,
                )
            )
    return newest_below(found, before, limit)


def _discussions(dossier: Dossier, cases: list[int], before: Cursor | None, limit: int) -> list[TimelineEntry]:
    """Put on or taken off an agenda, and the discussion records: two queries."""
    label = str(_LABELS[DISCUSSIONS])
    found: list[TimelineEntry] = []
    agenda = older_rows(
        AgendaEvent.objects.filter(
            item__registration_id__in=cases, kind__in=[AgendaEvent.Kind.ADDED, AgendaEvent.Kind.REMOVED]
        )
        .select_related("actor", "item__meeting__overleg_type")
        .only(
            "pk",
            "kind",
            "created_at",
            "item__registration_id",
            "item__meeting__starts_at",
            "item__meeting__overleg_type__name",
            *(f"actor__{f}" for f in USER_NAMES),
        ),
        event="overleg.agenda",
        moment="created_at",
        before=before,
        limit=limit,
    )
    for e in agenda:
        meeting = e.item.meeting
        what = {"overleg": meeting.overleg_type.name, "date": meeting.starts_at}
        title = (
            _("Geagendeerd voor %(overleg)s") % what
            if e.kind == AgendaEvent.Kind.ADDED
            else _("Van de agenda van %(overleg)s gehaald") % what
        )
        found.append(
            TimelineEntry(
                kind=DISCUSSIONS,
                kind_label=label,
                when=e.created_at,
                title=title,
                detail=_("Bijeenkomst van %(date)s")
                % {"date": f"{timezone.localtime(meeting.starts_at):%d-%m-%Y %H:%M}"},
                actor_name=str(e.actor) if e.actor else "",
                url=_registration_url(e.item.registration_id),
                dossier_id=dossier.pk,
                event="overleg.agenda",
                row_id=e.pk,
            )
        )
    records = older_rows(
        DiscussionEntry.objects.filter(agenda_item__registration_id__in=cases)
        .select_related("author", "organisation", "agenda_item__meeting__overleg_type")
        .defer(
            *_user_names("author"),
            *defer_except("organisation", Organisation, ORGANISATION_NAME),
            "summary",
            "mensen",
            "feiten",
            "weging",
            "volgende_stappen",
        ),
        event="overleg.discussion",
        moment="created_at",
        before=before,
        limit=limit,
    )
    for d in records:
        meeting = d.agenda_item.meeting
        title = (_("Verslag gecorrigeerd (%(overleg)s)") if d.corrects_id else _("Besproken in %(overleg)s")) % {
            "overleg": meeting.overleg_type.name
        }
        detail = (
            _("Besluiten: %(decisions)s") % {"decisions": shorten(d.decisions, 140)}
            if d.decisions
            else _("Verslag vastgelegd")
        )
        found.append(
            TimelineEntry(
                kind=DISCUSSIONS,
                kind_label=label,
                when=d.created_at,
                title=title,
                detail=detail,
                actor_name=str(d.author),
                organisation_name=d.organisation.name,
                url=_registration_url(d.agenda_item.registration_id),
                dossier_id=dossier.pk,
                event="overleg.discussion",
                row_id=d.pk,
            )
        )
    return found


def _agreements(dossier: Dossier, cases: list[int], before: Cursor | None, limit: int) -> list[TimelineEntry]:
    """Agreements made, done, cancelled or reopened (not each edit): one query."""
    rows = older_rows(
        AgreementVersion.objects.filter(agreement__registration_id__in=cases, kind__in=list(_AGREEMENT_TITLES))
        .select_related("changed_by", "agreement")
        .defer(*_user_names("changed_by"), "values", "agreement__result"),
        event="overleg.agreement",
        moment="changed_at",
        before=before,
        limit=limit,
    )
    label = str(_LABELS[AGREEMENTS])
    return [
        TimelineEntry(
            kind=AGREEMENTS,
            kind_label=label,
            when=v.changed_at,
            title=str(_AGREEMENT_TITLES[v.kind]),
            detail=_("%(what)s (uiterlijk %(due)s)")
            % {"what": shorten(v.agreement.what, 120), "due": f"{v.agreement.due_on:%d-%m-%Y}"},
            actor_name=str(v.changed_by),
            url=reverse("overleg:agreement", args=[v.agreement_id]),
            dossier_id=dossier.pk,
            event="overleg.agreement",
            row_id=v.pk,
        )
        for v in rows
    ]


def collect(
    actor: Actor, dossier: Dossier, kinds: frozenset[str], before: Cursor | None, limit: int
) -> list[TimelineEntry]:
    """The asked kinds of the dossier's visible cases: one query for the cases (their registration,
    decision and closing), then at most two and one queries (none when the actor sees no case of
    the dossier)."""
    if actor.user is None:
        return []
    registrations = _visible(actor, dossier)
    if not registrations:
        return []
    cases = [r.pk for r in registrations]
    found: list[TimelineEntry] = []
    if REGISTRATIONS in kinds:
        found += _registrations(dossier, registrations, before, limit)
    if DISCUSSIONS in kinds:
        found += _discussions(dossier, cases, before, limit)
    if AGREEMENTS in kinds:
        found += _agreements(dossier, cases, before, limit)
    return found


SOURCE = TimelineSource(
    name="overleg",
    order=20,
    kinds=[(key, _LABELS[key]) for key in (REGISTRATIONS, DISCUSSIONS, AGREEMENTS)],
    collect=collect,
)
