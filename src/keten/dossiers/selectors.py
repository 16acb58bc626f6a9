"""User-scoped reads of families, persons and dossiers.

Everything here returns only what the actor may see. A dossier the actor may not see raises
:class:`~keten.core.errors.NotFoundError` (shown as 404), exactly as if it did not exist. Reads of
client data are written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from keten.core import audit, lookups
from keten.core.actor import Actor
from keten.core.crypto import bsn_index, is_valid_bsn, name_birth_index
from keten.core.errors import NotFoundError
from keten.core.listing import Filter, Listing, ListSpec, Page, Search, Sort, Window
from keten.core.models import AuditAction
from keten.core.smallcells import SMALL_CELL, suppress
from keten.dossiers.models import CaseTeamMember, Dossier, DossierNote, Person

# The row filters live beside the rules; other apps still import them from here.
from keten.dossiers.rules import dossier_regievoerders as dossier_regievoerders
from keten.dossiers.rules import dossiers_of_organisation_teams
from keten.dossiers.rules import dossiers_of_team as dossiers_of_team
from keten.dossiers.rules import visible_dossier_ids as visible_dossier_ids


def dossiers_visible_to(actor: Actor) -> QuerySet[Dossier]:
    """Dossiers whose case team the actor is on (or opened by break-the-glass, while it lasts).

    A system client with the ``dossiers:read`` scope sees the dossiers on whose case team its own
    organisation has an active member; a system acting for a professional sees that professional's
    case-team dossiers (no break-the-glass). The row filters are the dossiers' rules'
    (:mod:`keten.dossiers.rules`).
    """
    if actor.api_client is not None and actor.user is None:
        return dossiers_of_organisation_teams(actor.api_client)
    ids = visible_dossier_ids(actor.user)
    if not ids:
        return Dossier.objects.none()
    return Dossier.objects.filter(pk__in=ids)


@dataclass
class DossierRow:
    reference: str
    family_name: str
    status: str
    status_label: str
    coordinator: str
    updated_at: Any
    children: int
    pseudonym: str


_LIST_COLUMNS = (
    "id",
    "reference",
    "status",
    "updated_at",
    "family__name",
    "family__pseudonym",
    "coordinator__first_name",
    "coordinator__last_name",
    "coordinator__username",
)


#: The dossier list: filter on status, sort on the plain columns (the family name is encrypted, so
#: it is searched, not sorted), a name or BSN search that is POSTed, never put in a URL.
DOSSIER_LIST = ListSpec(
    sorts=(
        Sort("gewijzigd", _l("Laatst gewijzigd"), ("updated_at",)),
        Sort("nummer", _l("Dossiernummer"), ("reference",)),
        Sort("kinderen", _l("Kinderen"), ("n_children",)),
        Sort("regievoerder", _l("Regievoerder"), ("coordinator__last_name", "coordinator__first_name")),
        Sort("status", _l("Status"), ("status",)),
    ),
    default_sort="-gewijzigd",
    filters=(Filter("status", _l("Status"), Dossier.Status.choices),),
    page_size=25,
    search=Search("q", _l("Zoeken"), _l("Op gezinsnaam, dossiernummer of BSN."), max_length=100, post_only=True),
)


def dossier_list(
    *, actor: Actor, query: str = "", status: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[DossierRow], int]:
    """One slice of the actor's dossiers, newest activity first, with an optional search (see
    :func:`dossier_list_page`). The read is audited."""
    listing = DOSSIER_LIST.parse({"status": status}, search=query)
    rows, total, _window = _dossier_rows(actor, listing, offset=offset, limit=limit)
    return rows, total


def dossier_list_page(*, actor: Actor, listing: Listing) -> Page[DossierRow]:
    """One page of the actor's dossiers as ``listing`` (:data:`DOSSIER_LIST`) asks: filtered, sorted
    and sliced in SQL, a page past the end clamped to the last one. The read is audited."""
    rows, total, window = _dossier_rows(actor, listing)
    return Page.of(rows, total, window)


def _dossier_rows(
    actor: Actor, listing: Listing, *, offset: int | None = None, limit: int | None = None
) -> tuple[list[DossierRow], int, Window]:
    """The dossiers of ``listing``, their total and the page shown (``offset``/``limit`` override it).

    Names are encrypted, so a name search decrypts only the actor's own (small) set of dossiers.
    A BSN search uses the blind index; a reference search is exact. Three queries (visible ids,
    count, rows) plus the audit event, whatever the number of dossiers.
    """
    known_total: int | None = None
    query = listing.search
    if actor.api_client is None or actor.user is not None:
        ids = visible_dossier_ids(actor.user)
        qs = Dossier.objects.filter(pk__in=ids) if ids else Dossier.objects.none()
        if not listing.is_filtered:
            known_total = len(ids)  # no filter: the visible ids are the total, no COUNT needed
    else:
        qs = dossiers_visible_to(actor)
    qs = listing.filter(qs.select_related("family", "coordinator"))
    name_filter = ""
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) in (8, 9) and digits == query.replace(" ", "") and is_valid_bsn(digits):
            qs = qs.filter(family__persons__bsn_index=bsn_index(digits))
        elif query.upper().startswith("D-"):
            qs = qs.filter(reference__iexact=query)
        else:
            name_filter = query.lower()
    qs = listing.order(
        qs.annotate(n_children=Count("family__persons", filter=Q(family__persons__relation="kind")))
        # Only the columns the list shows: every encrypted column loaded is a decryption per row.
        .only(*_LIST_COLUMNS)
    )
    candidates: list[Dossier] | None = None
    if name_filter:
        candidates = [d for d in qs[:2000] if name_filter in d.family.name.lower()]
        total = len(candidates)
    else:
        total = known_total if known_total is not None else qs.count()
    window = listing.window(total)
    if offset is None or limit is None:
        offset, limit = window.offset, window.limit
    if candidates is not None:
        page = candidates[offset : offset + limit]
    else:
        page = list(qs[offset : offset + limit]) if total else []
    rows = [
        DossierRow(
            reference=d.reference,
            family_name=d.family.name,
            status=d.status,
            status_label=str(d.get_status_display()),
            coordinator=str(d.coordinator) if d.coordinator else "",
            updated_at=d.updated_at,
            children=cast(Any, d).n_children,  # annotated by the query
            pseudonym=d.family.pseudonym,
        )
        for d in page
    ]
    if rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="dossier_list",
            details={"dossiers": [r.reference for r in rows], "search": bool(query)},
            clients=[r.pseudonym for r in rows],
        )
    return rows, total, window


def dossier_get(*, actor: Actor, reference: str, audit_read: bool = True) -> Dossier:
    """One dossier the actor may see, or NotFoundError. The read is audited."""
    try:
        dossier = dossiers_visible_to(actor).select_related("family", "coordinator").get(reference=reference)
    except Dossier.DoesNotExist as exc:
        raise NotFoundError from exc
    if audit_read:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="dossier",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
        )
    return dossier


class DossierPage:
    """What the dossier pages show of the dossier itself; the apps above add their sections
    (:mod:`keten.dossiers.sections`). The persons, the case team and the notes are read when first
    used, so that a section page reads only what it shows."""

    def __init__(self, *, actor: Actor, dossier: Dossier, on_team: bool) -> None:
        self.actor = actor
        self.dossier = dossier
        self.on_team = on_team

    @cached_property
    def persons(self) -> list[Person]:
        # Birth dates are encrypted, so the order is made here: children first, oldest first.
        relation_order = {"kind": 0, "ouder": 1, "verzorger": 2, "overig": 3}
        return sorted(
            Person.objects.filter(family=self.dossier.family_id),
            key=lambda p: (relation_order.get(p.relation, 9), p.date_of_birth or date.max, p.pk),
        )

    @cached_property
    def team(self) -> list[CaseTeamMember]:
        return list(
            CaseTeamMember.objects.filter(dossier=self.dossier, ended_at__isnull=True)
            .select_related("user", "organisation")
            .order_by("added_at")
        )

    @cached_property
    def notes(self) -> list[DossierNote]:
        return list(DossierNote.objects.filter(dossier=self.dossier).select_related("author")[:NOTES_SHOWN])

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many persons (and children), case-team members and notes, for the overview."""
        d = self.dossier
        persons = Person.objects.filter(family=d.family_id).aggregate(
            persons=Count("pk"), children=Count("pk", filter=Q(relation="kind"))
        )
        return {
            "persons": int(persons["persons"] or 0),
            "children": int(persons["children"] or 0),
            "team": CaseTeamMember.objects.filter(dossier=d, ended_at__isnull=True).count(),
            "notes": DossierNote.objects.filter(dossier=d).count(),
        }

    def context(self) -> dict[str, Any]:
        return {"dossier": self.dossier, "on_team": self.on_team, "page": self}


#: How many of the newest notes the Notities section shows.
NOTES_SHOWN = 50


def on_case_team(*, actor: Actor, dossier: Dossier) -> bool:
    """Whether the actor is an active member of the dossier's case team (one query)."""
    if actor.user_id is None:
        return False
    return CaseTeamMember.objects.filter(dossier=dossier, user_id=actor.user_id, ended_at__isnull=True).exists()


def dossier_page(*, actor: Actor, reference: str, audit_read: bool = True) -> DossierPage:
    """A dossier the actor may see (audited, unless the page audits its read itself), for its
    workspace pages; what a section shows is read when the section uses it."""
    dossier = dossier_get(actor=actor, reference=reference, audit_read=audit_read)
    return DossierPage(actor=actor, dossier=dossier, on_team=on_case_team(actor=actor, dossier=dossier))


def dossier_detail(*, actor: Actor, reference: str) -> DossierPage:
    """The dossier for the API's detail: its persons and team are read when used, one query each."""
    return dossier_page(actor=actor, reference=reference)


def person_get(*, actor: Actor, pseudonym: str) -> Person:
    """One person in a dossier the actor may see, or NotFoundError (audited)."""
    visible = dossiers_visible_to(actor)
    try:
        person = Person.objects.select_related("family", "family__dossier").get(
            pseudonym=pseudonym, family__dossier__in=visible
        )
    except Person.DoesNotExist as exc:
        raise NotFoundError from exc
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="person",
        object_id=person.pseudonym,
        client_pseudonym=person.family.pseudonym,
    )
    return person


def actor_municipality_id(actor: Actor) -> int | None:
    """The municipality the actor works in: of their organisation (or of a system's organisation)."""
    if actor.membership is not None:
        return int(actor.membership.organisation.municipality_id)
    if actor.api_client is not None:
        return int(actor.api_client.organisation.municipality_id)
    return None


@dataclass
class DuplicateReport:
    """Likely duplicates of a person about to be recorded, within the actor's municipality."""

    visible: list[Person]
    hidden_count: int
    #: The dossiers of the hidden matches: never shown, only offered for an access request.
    hidden_dossier_ids: list[int] = field(default_factory=list)
    #: Whether a match has the same BSN (a second person with that BSN is refused).
    bsn_taken: bool = False

    @property
    def found(self) -> bool:
        return bool(self.visible) or self.hidden_count > 0


def person_duplicates(
    *,
    actor: Actor,
    bsn: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: Any = None,
    exclude: Person | None = None,
) -> DuplicateReport:
    """Persons of the actor's municipality with the same BSN, or the same name and date of birth.

    Matches in dossiers the actor may see are listed (and their read audited). A match elsewhere is
    an existence *hit*: the actor learns that the person is known, not where. Hits are audited with
    the family pseudonym and limited per user (``keten.core.lookups``); over the limit the look-up
    is refused with :class:`~keten.core.errors.RateLimitedError`, found or not. A person known only
    in another municipality does not exist here.
    """
    bsn_key = bsn_index(bsn) if bsn and is_valid_bsn(bsn) else ""
    cond = Q()
    if bsn_key:
        cond |= Q(bsn_index=bsn_key)
    if first_name and last_name and date_of_birth:
        cond |= Q(name_birth_index=name_birth_index(first_name, last_name, date_of_birth))
    municipality_id = actor_municipality_id(actor)
    if not cond or municipality_id is None:
        return DuplicateReport([], 0)
    lookups.ensure_allowed(actor, object_type="person_lookup", field="bsn" if bsn_key else None)
    candidates = Person.objects.filter(cond, municipality_id=municipality_id)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    matches = list(candidates.select_related("family", "family__dossier"))
    visible_ids = (
        set(
            dossiers_visible_to(actor)
            .filter(family__persons__in=[p.pk for p in matches])
            .values_list("family_id", flat=True)
        )
        if matches
        else set()
    )
    visible = [p for p in matches if p.family_id in visible_ids]
    hidden = [p for p in matches if p.family_id not in visible_ids]
    bsn_taken = bool(bsn_key) and any(p.bsn_index == bsn_key for p in matches)
    if hidden:
        by_bsn = bool(bsn_key) and any(p.bsn_index == bsn_key for p in hidden)
        lookups.record_hit(
            actor,
            object_type="person_lookup",
            pseudonyms=[p.family.pseudonym for p in hidden],
            field="bsn" if bsn_key else None,
            details={"field": "bsn" if by_bsn else "name_birth"},
        )
    for person in visible:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="person_duplicate",
            object_id=person.pseudonym,
            client_pseudonym=person.family.pseudonym,
        )
    hidden_dossiers = sorted({p.family.dossier.pk for p in hidden if hasattr(p.family, "dossier")})
    return DuplicateReport(visible, len(hidden), hidden_dossiers, bsn_taken)


def case_team_candidates(*, actor: Actor, dossier: Dossier) -> QuerySet[Any]:
    """Professionals who can be added to a case team: active users in a case role."""
    from keten.accounts.models import CASE_ROLES, User

    current = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True).values("user_id")
    return (
        User.objects.filter(is_active=True, memberships__is_active=True, memberships__role__in=CASE_ROLES)
        .exclude(pk__in=current)
        .prefetch_related(Prefetch("memberships"))
        .distinct()
        .order_by("last_name", "first_name")
    )


def dossiers_of_municipality(municipality_id: int) -> QuerySet[Dossier]:
    """Dossiers of families of a municipality: living in one of its wijken, or — wijk unknown —
    with an organisation of the municipality on the case team (now or before)."""
    on_team = CaseTeamMember.objects.filter(dossier_id=OuterRef("pk"), organisation__municipality_id=municipality_id)
    return Dossier.objects.filter(
        Q(family__wijk__municipality_id=municipality_id) | (Q(family__wijk__isnull=True) & Exists(on_team))
    )


def dossier_aggregates(*, actor: Actor) -> dict[str, Any]:
    """Figures of the actor's own municipality: counts only, never a name, BSN or note.

    Small cells are hidden, and so are their complements (:mod:`keten.core.smallcells`): the open
    dossiers per wijk add up to the open total (with a row "Wijk onbekend" when families without a
    wijk exist), and so, nearly always, do the open dossiers per organisation type on the case team.
    """
    from keten.accounts.models import OrganisationType, Wijk
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("core.view_aggregates", actor.user):
        return {}
    municipality_id = actor.membership.organisation.municipality_id
    dossiers = dossiers_of_municipality(municipality_id)
    by_status = dict(dossiers.values_list("status").annotate(n=Count("id")).order_by())
    open_ids = dossiers.filter(status=Dossier.Status.OPEN).values("pk")
    by_wijk_raw = dict(
        Dossier.objects.filter(pk__in=open_ids).values_list("family__wijk_id").annotate(n=Count("id")).order_by()
    )
    wijken: list[tuple[int | None, str]] = list(
        Wijk.objects.filter(municipality_id=municipality_id).order_by("name").values_list("id", "name")
    )
    if by_wijk_raw.get(None):
        wijken.append((None, str(_("Wijk onbekend"))))
    org_raw = dict(
        CaseTeamMember.objects.filter(ended_at__isnull=True, dossier_id__in=open_ids)
        .values_list("organisation__type")
        .annotate(n=Count("dossier_id", distinct=True))
        .order_by()
    )
    labels = dict(OrganisationType.choices)
    types = sorted(t for t in org_raw if t in labels)

    counts: dict[tuple[str, Any], int] = {
        ("total", "open"): by_status.get(Dossier.Status.OPEN, 0),
        ("total", "closed"): by_status.get(Dossier.Status.CLOSED, 0),
    }
    counts.update({("wijk", wid): by_wijk_raw.get(wid, 0) for wid, _name in wijken})
    counts.update({("type", t): org_raw[t] for t in types})
    shown = suppress(
        counts,
        [
            [*(("wijk", wid) for wid, _name in wijken), ("total", "open")],
            [*(("type", t) for t in types), ("total", "open")],
        ],
    )
    return {
        "open": shown[("total", "open")],
        "closed": shown[("total", "closed")],
        "by_wijk": [{"wijk": name, "open": shown[("wijk", wid)]} for wid, name in wijken],
        "by_org_type": [{"type": str(labels[t]), "dossiers": shown[("type", t)]} for t in types],
        "small_cell": SMALL_CELL,
    }


def team_workload(*, actor: Actor) -> list[dict[str, Any]]:
    """For a teamleider: open dossiers per member of their team. Counts only, no case content."""
    from keten.accounts.models import Membership
    from keten.core.policy import allows

    membership = actor.membership
    if actor.user is None or membership is None or not allows("core.view_team_workload", actor.user):
        return []
    team_filter = Q(team_id=membership.team_id) if membership.team_id else Q(organisation_id=membership.organisation_id)
    members = list(
        Membership.objects.filter(team_filter, is_active=True).select_related("user").order_by("user__last_name")
    )
    counts = dict(
        CaseTeamMember.objects.filter(
            user_id__in=[m.user_id for m in members], ended_at__isnull=True, dossier__status=Dossier.Status.OPEN
        )
        .values_list("user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"name": str(m.user), "role": m.get_role_display(), "open_dossiers": counts.get(m.user_id, 0)} for m in members
    ]


def family_names(*, actor: Actor, references: list[str]) -> dict[str, str]:
    """The family's name per dossier reference, for the dossiers among ``references`` the actor may
    see (the others are left out). One query whatever the number, and one audit event naming the
    families shown (for a page that lists items of several dossiers, e.g. the start page's deadlines)."""
    wanted = sorted(set(references))
    if not wanted:
        return {}
    rows = list(
        dossiers_visible_to(actor)
        .filter(reference__in=wanted)
        .values_list("reference", "family__name", "family__pseudonym")
    )
    if rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="dossier_names",
            details={"dossiers": [reference for reference, _name, _pseudonym in rows]},
            clients=[pseudonym for _reference, _name, pseudonym in rows],
        )
    return {reference: name for reference, name, _pseudonym in rows}
