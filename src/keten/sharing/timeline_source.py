"""Informatie delen on the dossier timeline: disclosures (verstrekkingen), consents given and
withdrawn, and requests for inzage or destruction received and answered.

Each kind is shown to whoever the sharing rules let see it of this dossier (``sharing.view_disclosures``,
``sharing.view_consents``; the requests to whoever may see the dossier, as
:func:`keten.sharing.inzage.selectors.requests_of_dossier` lists them). What is shown is what the
dossier's "Delen" section and the disclosure log show; a request's names stay on its own page,
which only the case team may open (``sharing.handle_inzage``) — others get the entry without a link.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except
from keten.dossiers.models import Dossier
from keten.dossiers.timeline import Cursor, TimelineEntry, TimelineSource, older_rows, present
from keten.sharing.models import Consent, DataCategory, DestructionRequest, Disclosure, InzageRequest

DISCLOSURES = "delen.verstrekkingen"
CONSENTS = "delen.toestemmingen"
REQUESTS = "delen.verzoeken"

_LABELS = {
    DISCLOSURES: gettext_lazy("Verstrekking"),
    CONSENTS: gettext_lazy("Toestemming"),
    REQUESTS: gettext_lazy("Inzage of vernietiging"),
}


def _disclosures(dossier: Dossier, before: Cursor | None, limit: int) -> list[TimelineEntry]:
    rows = older_rows(
        Disclosure.objects.filter(dossier=dossier)
        .select_related("recipient_organisation", "decided_by", "decided_by_organisation")
        .only(
            "pk",
            "reference",
            "shared_on",
            "categories",
            "legal_basis",
            "recipient_name",
            *(f"recipient_organisation__{f}" for f in ORGANISATION_NAME),
            *(f"decided_by__{f}" for f in USER_NAMES),
            *(f"decided_by_organisation__{f}" for f in ORGANISATION_NAME),
        ),
        event="sharing.disclosure",
        moment="shared_on",
        is_date=True,
        before=before,
        limit=limit,
    )
    categories = dict(DataCategory.choices)
    log = reverse("sharing:disclosure_log", args=[dossier.reference])
    entries = []
    for d in rows:
        recipient = d.recipient_organisation.name + (f" ({d.recipient_name})" if d.recipient_name else "")
        entries.append(
            TimelineEntry(
                kind=DISCLOSURES,
                kind_label=str(_LABELS[DISCLOSURES]),
                when=d.shared_on,
                title=_("Gedeeld met %(recipient)s") % {"recipient": recipient},
                detail=_("%(categories)s. Grondslag: %(basis)s. Kenmerk %(reference)s.")
                % {
                    "categories": ", ".join(str(categories.get(c, c)) for c in d.categories),
                    "basis": d.get_legal_basis_display(),
                    "reference": d.reference,
                },
                actor_name=str(d.decided_by),
                organisation_name=d.decided_by_organisation.name,
                url=log,
                dossier_id=dossier.pk,
                event="sharing.disclosure",
                row_id=d.pk,
            )
        )
    return entries


def _consents(dossier: Dossier, before: Cursor | None, limit: int) -> list[TimelineEntry]:
    consents = (
        Consent.objects.filter(dossier=dossier)
        .select_related("giver", "about", "recorded_by")
        .defer("purpose", "giver__bsn", "giver__address", "about__bsn", "about__address", "giver__date_of_birth")
        .defer("about__date_of_birth", *defer_except("recorded_by", User, USER_NAMES))
    )
    given = older_rows(
        consents, event="sharing.consent_given", moment="given_on", is_date=True, before=before, limit=limit
    )
    withdrawn = older_rows(
        consents.filter(withdrawn_on__isnull=False),
        event="sharing.consent_withdrawn",
        moment="withdrawn_on",
        is_date=True,
        before=before,
        limit=limit,
    )
    page = reverse("dossiers:section", args=[dossier.reference, "delen"])
    label = str(_LABELS[CONSENTS])
    entries = []
    for c in given:
        detail = _("Over %(about)s, %(form)s") % {"about": c.about.full_name, "form": c.get_form_display().lower()}
        if c.valid_until:
            detail += ", " + _("geldig tot en met %(date)s") % {"date": f"{c.valid_until:%d-%m-%Y}"}
        entries.append(
            TimelineEntry(
                kind=CONSENTS,
                kind_label=label,
                when=c.given_on,
                title=_("Toestemming gegeven door %(giver)s (%(role)s)")
                % {"giver": c.giver.full_name, "role": c.get_giver_role_display()},
                detail=detail,
                actor_name=str(c.recorded_by),
                url=page,
                dossier_id=dossier.pk,
                event="sharing.consent_given",
                row_id=c.pk,
            )
        )
    for c in withdrawn:
        assert c.withdrawn_on is not None  # filtered above
        entries.append(
            TimelineEntry(
                kind=CONSENTS,
                kind_label=label,
                when=c.withdrawn_on,
                title=_("Toestemming ingetrokken door %(giver)s") % {"giver": c.giver.full_name},
                detail=_("Over %(about)s, gegeven op %(date)s")
                % {"about": c.about.full_name, "date": f"{c.given_on:%d-%m-%Y}"},
                url=page,
                dossier_id=dossier.pk,
                event="sharing.consent_withdrawn",
                row_id=c.pk,
            )
        )
    return entries


def _requests(
    actor: Actor, dossier: Dossier, before: Cursor | None, limit: int, *, inzage: bool = True, destruction: bool = True
) -> list[TimelineEntry]:
    """Inzage requests received and answered, destruction requests received and decided: four queries
    (two when the dossier has requests of one sort only)."""
    may_open = allows("sharing.handle_inzage", actor.user, dossier)
    label = str(_LABELS[REQUESTS])
    inzage_rows = InzageRequest.objects.filter(dossier=dossier).select_related(
        "recorded_by", "recorded_by_organisation"
    )
    inzage_rows = inzage_rows.only(
        "pk",
        "requester_role",
        "received_on",
        "due_on",
        "answered_on",
        *(f"recorded_by__{f}" for f in USER_NAMES),
        *(f"recorded_by_organisation__{f}" for f in ORGANISATION_NAME),
    )
    destruction_rows = DestructionRequest.objects.filter(dossier=dossier).select_related(
        "recorded_by", "recorded_by_organisation", "decided_by"
    )
    destruction_rows = destruction_rows.defer(
        "reason",
        "follow_up",
        *defer_except("recorded_by", User, USER_NAMES),
        *defer_except("decided_by", User, USER_NAMES),
        *defer_except("recorded_by_organisation", Organisation, ORGANISATION_NAME),
    )
    entries: list[TimelineEntry] = []

    def add(event: str, row_id: int, when: object, title: str, detail: str, url_name: str, **who: str) -> None:
        entries.append(
            TimelineEntry(
                kind=REQUESTS,
                kind_label=label,
                when=when,  # type: ignore[arg-type]
                title=title,
                detail=detail,
                url=reverse(url_name, args=[row_id]) if may_open else "",
                dossier_id=dossier.pk,
                event=event,
                row_id=row_id,
                **who,
            )
        )

    if inzage:
        for r in older_rows(
            inzage_rows, event="sharing.inzage", moment="received_on", is_date=True, before=before, limit=limit
        ):
            add(
                "sharing.inzage",
                r.pk,
                r.received_on,
                _("Verzoek om inzage ontvangen"),
                _("Van: %(role)s. Beantwoorden uiterlijk %(due)s.")
                % {"role": r.get_requester_role_display(), "due": f"{r.due_on:%d-%m-%Y}"},
                "sharing_inzage:detail",
                actor_name=str(r.recorded_by),
                organisation_name=r.recorded_by_organisation.name,
            )
        answered = inzage_rows.filter(answered_on__isnull=False)
        for r in older_rows(
            answered, event="sharing.inzage_answered", moment="answered_on", is_date=True, before=before, limit=limit
        ):
            add(
                "sharing.inzage_answered",
                r.pk,
                r.answered_on,
                _("Verzoek om inzage beantwoord"),
                _("Ontvangen op %(date)s.") % {"date": f"{r.received_on:%d-%m-%Y}"},
                "sharing_inzage:detail",
            )
    if destruction:
        for d in older_rows(
            destruction_rows,
            event="sharing.destruction",
            moment="received_on",
            is_date=True,
            before=before,
            limit=limit,
        ):
            add(
                "sharing.destruction",
                d.pk,
                d.received_on,
                _("Verzoek om vernietiging ontvangen"),
                _("Van: %(role)s. Beslissen uiterlijk %(due)s.")
                % {"role": d.get_requester_role_display(), "due": f"{d.due_on:%d-%m-%Y}"},
                "sharing_inzage:destruction",
                actor_name=str(d.recorded_by),
                organisation_name=d.recorded_by_organisation.name,
            )
        decided = destruction_rows.filter(decided_on__isnull=False).exclude(decision=DestructionRequest.Decision.OPEN)
        for d in older_rows(
            decided, event="sharing.destruction_decided", moment="decided_on", is_date=True, before=before, limit=limit
        ):
            add(
                "sharing.destruction_decided",
                d.pk,
                d.decided_on,
                _("Verzoek om vernietiging beslist: %(decision)s") % {"decision": d.get_decision_display().lower()},
                _("Ontvangen op %(date)s.") % {"date": f"{d.received_on:%d-%m-%Y}"},
                "sharing_inzage:destruction",
                actor_name=str(d.decided_by) if d.decided_by else "",
            )
    return entries


def collect(
    actor: Actor, dossier: Dossier, kinds: frozenset[str], before: Cursor | None, limit: int
) -> list[TimelineEntry]:
    """The asked kinds the actor may see: one query to learn which of them the dossier has any of,
    then at most one, two and four queries for those."""
    user = actor.user
    if user is None or not allows("dossiers.view_dossier", actor, dossier):
        return []
    asked: dict[str, QuerySet[Any]] = {}
    if DISCLOSURES in kinds and allows("sharing.view_disclosures", user, dossier):
        asked[DISCLOSURES] = Disclosure.objects.filter(dossier=dossier)
    if CONSENTS in kinds and allows("sharing.view_consents", user, dossier):
        asked[CONSENTS] = Consent.objects.filter(dossier=dossier)
    if REQUESTS in kinds:
        asked["inzage"] = InzageRequest.objects.filter(dossier=dossier)
        asked["destruction"] = DestructionRequest.objects.filter(dossier=dossier)
    found: list[TimelineEntry] = []
    if not asked:
        return found
    happened = present(dossier, **asked)  # most dossiers have none of these: one query, then nothing
    if DISCLOSURES in happened:
        found += _disclosures(dossier, before, limit)
    if CONSENTS in happened:
        found += _consents(dossier, before, limit)
    if happened & {"inzage", "destruction"}:
        found += _requests(
            actor, dossier, before, limit, inzage="inzage" in happened, destruction="destruction" in happened
        )
    return found


SOURCE = TimelineSource(
    name="sharing",
    order=30,
    kinds=[(key, _LABELS[key]) for key in (DISCLOSURES, CONSENTS, REQUESTS)],
    collect=collect,
)
