"""Reads of agreements: the actor's own ("my agreements"), the overdue ones of the overleggen the actor
chairs, and one agreement with its history.

"My agreements" runs a fixed number of queries however many agreements there are; every list read
is audited with the cases it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.listing import Filter, Listing, ListSpec, Page, Sort
from keten.core.policy import allows, may_see_client_data
from keten.core.queries import display_name
from keten.overleg.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
)
from keten.overleg.rules import (
    agreement_owner_q,
    agreement_visibility_q,
)
from keten.overleg.selectors import (
    acting_user,
    audit_case_reads,
    audit_list_ids,
    audit_list_read,
    case_people,
    overleg_organisations,
    shorten,
)


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "registration",
        "registration__overleg_type",
        "registration__dossier__family",
        "owner_user",
        "owner_organisation",
        "agenda_item__meeting",
    )


#: What an agreements list shows (and audits): the agreement, its overleg and meeting, the owner's
#: name, the family's name, pseudonym and dossier — not the case's encrypted reason, goal and closing notes, whose
#: decryption would cost more than the rest of the list together.
_LIST_FIELDS = (
    "id",
    "registration",
    "agenda_item",
    "owner_user",
    "owner_organisation",
    "what",
    "due_on",
    "status",
    "result",
    "closed_at",
    "created_at",
    "version",
    "registration__overleg_type",
    "registration__overleg_type__name",
    "registration__status",
    "registration__dossier",
    "registration__dossier__family",
    "registration__dossier__family__pseudonym",
    "registration__dossier__family__name",
    "registration__dossier__reference",
    "agenda_item__meeting",
    "agenda_item__meeting__starts_at",
    "agenda_item__meeting__status",
    "owner_user__first_name",
    "owner_user__last_name",
    "owner_user__username",
    "owner_organisation__name",
)


def _agreement_list() -> QuerySet[Agreement]:
    return _agreements().only(*_LIST_FIELDS)


def _agreement_rows(qs: QuerySet[Agreement], limit: int, offset: int = 0) -> list[Agreement]:
    """The ids first (through the owner/status/due-date indexes), then those rows with their overleg,
    meeting, owner and family by primary key: the joins touch only the rows shown, however many
    agreements two years of meetings leave behind."""
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    by_id = {a.pk: a for a in _agreement_list().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids]


@dataclass(slots=True)
class AgreementListLine:
    """An agreement as the "my agreements" lists show it: names and dates, no case texts."""

    pk: int
    what: str
    family_name: str
    overleg: str
    owner: str
    due_on: dt.date
    status: str
    #: For the audit trail only.
    registration_id: int
    pseudonym: str
    #: Filled in by the view.
    url: str = ""

    @property
    def what_short(self) -> str:
        return shorten(self.what)

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN

    @property
    def status_display(self) -> str:
        return str(AgreementStatus(self.status).label)


def _agreement_lines(qs: QuerySet[Agreement], limit: int, offset: int = 0) -> list[AgreementListLine]:
    """As :func:`_agreement_rows` (ids first, then the rows shown by primary key), as plain lines."""
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    by_id = {
        row[0]: AgreementListLine(
            pk=row[0],
            what=row[1],
            family_name=row[9],
            overleg=row[11],
            owner=display_name(row[5], row[6], row[7]) if row[4] else (row[8] or ""),
            due_on=row[2],
            status=row[3],
            registration_id=row[12],
            pseudonym=row[10],
        )
        for row in Agreement.objects.filter(pk__in=ids).values_list(
            "id",
            "what",
            "due_on",
            "status",
            "owner_user_id",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
            "owner_organisation__name",
            "registration__dossier__family__name",
            "registration__dossier__family__pseudonym",
            "registration__overleg_type__name",
            "registration_id",
        )
    }
    return [by_id[pk] for pk in ids]


def _owner_q(actor: Actor) -> Q:
    """The agreements the actor owns (:func:`keten.overleg.rules.agreement_owner_q`)."""
    return agreement_owner_q(actor.user)


def my_agreements(*, actor: Actor, include_closed: bool = False, limit: int = 200) -> list[Agreement]:
    """Agreements the actor owns, as a person or through their organisation, across all meetings.

    Open ones first by due date. Two queries plus the audit insert, however many there are.
    """
    user = acting_user(actor)
    if not may_see_client_data(user):
        return []
    qs = _agreement_list().filter(_owner_q(actor))
    if not include_closed:
        qs = qs.filter(status=AgreementStatus.OPEN)
    rows = _agreement_rows(qs.order_by("status", "due_on", "id"), limit)
    audit_list_read(actor, "my_agreements", [a.registration for a in rows])
    return rows


@dataclass
class AgreementsPage:
    """One page of the actor's open agreements, with counts over all of them (``total``, ``overdue``)
    and ``page``: the rows and the number that match the filters."""

    rows: list[AgreementListLine]
    total: int
    overdue: int
    number: int
    page: Page[AgreementListLine]


def _due_q(value: str) -> Q:
    today = timezone.localdate()
    if value == "verlopen":
        return Q(due_on__lt=today)
    return Q(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7))


#: "My agreements": earliest due first by default; filtered on when they are due and who owns them.
MY_AGREEMENTS = ListSpec(
    sorts=(
        Sort("datum", _l("Uiterlijk"), ("due_on",)),
        Sort("wie", _l("Wie"), ("owner_user__last_name", "owner_user__first_name", "owner_organisation__name")),
    ),
    default_sort="datum",
    filters=(
        Filter("termijn", _l("Termijn"), (("verlopen", _l("Verlopen")), ("week", _l("Binnen 7 dagen"))), q=_due_q),
        Filter(
            "wie",
            _l("Wie"),
            (("persoon", _l("Aan mij")), ("organisatie", _l("Aan mijn organisatie"))),
            q=lambda value: Q(owner_user__isnull=value != "persoon"),
        ),
    ),
    page_size=25,
)


def my_agreements_page(
    *,
    actor: Actor,
    page: int = 1,
    page_size: int = 25,
    today: dt.date | None = None,
    listing: Listing | None = None,
) -> AgreementsPage:
    """The actor's open agreements (as a person or through their organisation), earliest due first
    unless ``listing`` (:data:`MY_AGREEMENTS`) asks otherwise, one page at a time (clamped to the last
    page), with the number of open and of overdue ones and of those that match the filters.

    Three queries plus the audit insert, whatever the number of agreements; the audit event names the
    cases of the rows shown.
    """
    if listing is None:
        listing = replace(MY_AGREEMENTS, page_size=page_size).parse({"pagina": str(page)})
    user = acting_user(actor)
    if not may_see_client_data(user):
        return AgreementsPage(rows=[], total=0, overdue=0, number=1, page=Page.of([], 0, listing.window(0)))
    today = today or timezone.localdate()
    qs = Agreement.objects.filter(_owner_q(actor), status=AgreementStatus.OPEN)
    counts = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        matching=Count("pk", filter=listing.condition()),
    )
    window = listing.window(counts["matching"])
    rows = _agreement_lines(listing.order(listing.filter(qs)), window.limit, window.offset)
    audit_list_ids(actor, "my_agreements", {a.registration_id: a.pseudonym for a in rows}, page=window.number)
    return AgreementsPage(
        rows=rows,
        total=counts["total"],
        overdue=counts["overdue"],
        number=window.number,
        page=Page.of(rows, counts["matching"], window),
    )


def _overdue(actor: Actor, today: dt.date | None, others_only: bool) -> QuerySet[Agreement]:
    user = acting_user(actor)
    today = today or timezone.localdate()
    chaired = Q(registration__overleg_type__chair=user)
    scope = chaired & ~_owner_q(actor) if others_only else _owner_q(actor) | chaired
    return (
        Agreement.objects.filter(scope).filter(status=AgreementStatus.OPEN, due_on__lt=today).order_by("due_on", "id")
    )


def overdue_agreements(
    *, actor: Actor, today: dt.date | None = None, limit: int = 200, others_only: bool = False
) -> list[Agreement]:
    """Open agreements past their due date that the actor owns, or of the overleg types the actor chairs.

    ``others_only``: only those of overleg types the actor chairs that the actor does not own.
    """
    if not may_see_client_data(acting_user(actor)):
        return []
    rows = _agreement_rows(_overdue(actor, today, others_only), limit)
    audit_list_read(actor, "overdue_agreements", [a.registration for a in rows])
    return rows


def overdue_agreement_lines(
    *, actor: Actor, today: dt.date | None = None, limit: int = 200, others_only: bool = False
) -> list[AgreementListLine]:
    """:func:`overdue_agreements` as plain lines, for the "my agreements" page."""
    if not may_see_client_data(acting_user(actor)):
        return []
    rows = _agreement_lines(_overdue(actor, today, others_only), limit)
    audit_list_ids(actor, "overdue_agreements", {a.registration_id: a.pseudonym for a in rows})
    return rows


def agreement_get(*, actor: Actor, pk: int, audit_read: bool = True) -> Agreement:
    """One agreement the actor may see (owner, or sees its case), or NotFoundError. Audited."""
    user = acting_user(actor)
    agreement = _agreements().filter(pk=pk).first()
    if agreement is None or not allows("overleg.view_agreement", user, agreement):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "agreement", [agreement.registration], agreement=agreement.pk)
    return agreement


def agreement_versions(agreement: Agreement) -> list[AgreementVersion]:
    """The history of an agreement (from :func:`agreement_get`), oldest first."""
    return list(agreement.versions.select_related("changed_by").order_by("version"))


def agreements_visible_to(actor: Actor) -> QuerySet[Agreement]:
    """Agreements the actor owns or whose case the actor may see (for lists and the API)."""
    if actor.user is None or actor.membership is None or not may_see_client_data(actor.user):
        return Agreement.objects.none()
    return _agreements().filter(agreement_visibility_q(actor.user))


def owner_candidates(*, item: AgendaItem, agreement: Agreement | None = None) -> tuple[list[User], list[Organisation]]:
    """Who may own an agreement made on this agenda item: the people on the meeting's list with a case
    role, its chair, the case's registrant and casusregisseur, and the overleg's organisations (plus
    the agreement's current owner)."""
    meeting = item.meeting
    registration = item.registration
    people = case_people(
        meeting_ids=[meeting.pk],
        user_ids=[
            meeting.overleg_type.chair_id,
            registration.registered_by_id,
            registration.casusregisseur_id,
            agreement.owner_user_id if agreement else None,
        ],
    )
    organisations = overleg_organisations(meeting.overleg_type, agreement.owner_organisation_id if agreement else None)
    return people, organisations


def agreement_owner_candidates(agreement: Agreement) -> tuple[list[User], list[Organisation]]:
    """Who may own this agreement: as :func:`owner_candidates` of its agenda item, or (without one) the
    chair, the current owner and the overleg's organisations."""
    if agreement.agenda_item is not None:
        return owner_candidates(item=agreement.agenda_item, agreement=agreement)
    registration = agreement.registration
    people = case_people(user_ids=[agreement.owner_user_id, registration.overleg_type.chair_id])
    return people, overleg_organisations(registration.overleg_type, agreement.owner_organisation_id)
