"""Reads of meldcode-trajecten, their timeline, the consultation inbox and the overviews.

A traject is visible to the case team of its dossier (and break-the-glass), and to a professional
who was asked for a consultation on it. Who may see what is decided in ``keten.meldcode.rules``
(the rules and the row filters beside them); these reads ask it and only shape and audit the rows.
Reading a traject is audited with the family's pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, Role, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.localcache import ProcessCache
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except, display_name
from keten.dossiers.models import Dossier, Family, Person, Relation
from keten.meldcode import afwegingskader
from keten.meldcode import rules as meldcode_rules
from keten.meldcode.models import Checklist, Consultation, Entry, EntryKind, Status, Traject


def _base() -> QuerySet[Traject]:
    return Traject.objects.select_related("dossier", "dossier__family", "child", "organisation", "started_by")


def _one(reference: str) -> Traject | None:
    """One traject with what its pages show of the dossier, family, child, organisation and starter:
    the dossier's summary, the family's address and the child's BSN and address are not read (nor
    decrypted)."""
    return (
        _base()
        .defer(
            *defer_except("dossier", Dossier, ("reference", "status")),
            *defer_except("dossier__family", Family, ("name", "pseudonym")),
            *defer_except("child", Person, ("first_name", "last_name", "date_of_birth")),
            *defer_except("organisation", Organisation, ORGANISATION_NAME),
            *defer_except("started_by", User, USER_NAMES),
        )
        .filter(reference=reference)
        .first()
    )


def _audit_read(actor: Actor, traject: Traject) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.traject",
        object_id=traject.reference,
        client_pseudonym=traject.dossier.family.pseudonym,
    )


def traject_get(*, actor: Actor, reference: str, audit_read: bool = True) -> Traject:
    """One traject the actor may see, or NotFoundError. The read is audited."""
    traject = _one(reference)
    if traject is None or actor.user is None or not allows("meldcode.view_traject", actor, traject):
        raise NotFoundError
    if audit_read:
        _audit_read(actor, traject)
    return traject


def traject_for_change(*, actor: Actor, reference: str, audit_read: bool = False) -> Traject:
    """A traject the actor may record in (on the case team); NotFoundError otherwise. With
    ``audit_read`` (a form that shows what was recorded) the read is audited."""
    traject = _one(reference)
    if traject is None or actor.user is None or not allows("meldcode.change_traject", actor, traject):
        raise NotFoundError
    if audit_read:
        _audit_read(actor, traject)
    return traject


def may_see_names(actor: Actor, traject: Traject) -> bool:
    """Names of the family are shown to the case team, and to a consultee only when asked with names."""
    return actor.user is not None and allows("meldcode.view_traject_names", actor, traject)


def timeline(traject: Traject, *, with_people: bool = True) -> list[Entry]:
    """All entries of the traject in the order they happened (one query).

    With ``with_people`` each entry carries its author and organisation (their names only, not
    whole rows); without, reading ``author`` or ``organisation`` costs a query per entry, so leave
    them out only where nothing shows who recorded what.
    """
    qs = Entry.objects.filter(traject=traject)
    if with_people:
        qs = qs.select_related("author", "organisation").defer(
            *defer_except("author", User, USER_NAMES), *defer_except("organisation", Organisation, ORGANISATION_NAME)
        )
    entries = list(qs.order_by("occurred_on", "created_at", "id"))
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    for entry in entries:
        entry.is_corrected = entry.pk in corrected  # type: ignore[attr-defined]
    return entries


#: Decrypted entries of recently shown trajecten, per traject version, in this process only.
_PAGE_ENTRIES = ProcessCache(maxsize=256)


def page_entries(traject: Traject) -> list[Entry]:
    """``timeline(traject, with_people=False)`` for the traject page, kept per traject version.

    Every entry is written together with a version bump of its traject (``services._append`` and
    ``_bump`` in one transaction), so a traject's id and version name one list of entries. The
    caller has passed the policy for this traject; the store only spares decrypting the entries
    again. Each call returns its own copies. Inside a transaction, which could still roll back a
    version, nothing is kept.
    """
    if connection.in_atomic_block:
        return timeline(traject, with_people=False)
    # The time of the last bump too: a database that hands out ids again (a test database) cannot
    # bring back an old key.
    key = ("entries", traject.pk, traject.reference, traject.version, traject.last_activity_at)
    return _PAGE_ENTRIES.get_or_set(key, lambda: timeline(traject, with_people=False))


def afweging_answers(entries: list[Entry]) -> dict[int, bool]:
    """The answers that count in the tree, replaying the afweging entries in order.

    Answering an afweging again replaces that answer and drops the answers after it (they were
    given on a path that no longer holds); a corrected afweging entry does not count at all.
    """
    answers: dict[int, bool] = {}
    for entry in entries:
        if entry.kind != EntryKind.AFWEGING or getattr(entry, "is_corrected", False):
            continue
        number = int(entry.data["number"])
        answers = {k: v for k, v in answers.items() if k < number}
        answers[number] = bool(entry.data["answer"])
    return answers


def evaluation(traject: Traject, entries: list[Entry] | None = None) -> afwegingskader.Evaluation:
    return afwegingskader.evaluate(afweging_answers(entries if entries is not None else timeline(traject)))


@dataclass(frozen=True)
class StepProgress:
    number: int
    label: str
    done: bool
    missing: list[str]


def progress(traject: Traject, entries: list[Entry]) -> list[StepProgress]:
    """Per step: whether it has entries and what is still missing (in Dutch)."""
    from django.utils.translation import gettext as _

    kinds = {e.kind for e in entries if not getattr(e, "is_corrected", False)}
    answers = afweging_answers(entries)
    ev = afwegingskader.evaluate(answers)
    step1 = bool(kinds & {EntryKind.SIGNAAL, EntryKind.OBSERVATIE, EntryKind.KINDCHECK})
    step2 = bool(kinds & {EntryKind.CONSULTATIEADVIES, EntryKind.ADVIES_VEILIG_THUIS, EntryKind.DESKUNDIGE})
    step3 = bool(kinds & {EntryKind.GESPREK, EntryKind.GEEN_GESPREK})
    weging_done = ev.outcome is not afwegingskader.Outcome.ONVOLLEDIG
    decided = EntryKind.BESLUIT in kinds
    result: list[StepProgress] = []
    labels = {
        1: _("Signalen in kaart brengen"),
        2: _("Collegiale consultatie"),
        3: _("Gesprek met de betrokkenen"),
        4: _("Wegen"),
        5: _("Beslissen"),
    }
    missing: dict[int, list[str]] = {n: [] for n in range(1, 6)}
    if not step1:
        missing[1].append(_("Leg minstens één signaal of observatie vast."))
    if not step2:
        if EntryKind.CONSULTATIEVRAAG in kinds:
            missing[2].append(_("Het advies op de consultatievraag is nog niet gegeven."))
        else:
            missing[2].append(_("Vraag een collega, de aandachtsfunctionaris of Veilig Thuis om advies."))
    if not step3:
        missing[3].append(_("Leg het gesprek vast, of waarom het niet heeft plaatsgevonden."))
    afweging_step = traject.afwegingen_step
    if not weging_done:
        missing[afweging_step].append(_("Beantwoord de afwegingen van het afwegingskader."))
    if not decided:
        missing[5].append(_("Leg het besluit vast."))
    done_flags = {
        1: step1,
        2: step2,
        3: step3,
        4: weging_done if afweging_step == 4 else bool(kinds & {EntryKind.AFWEGING}) or weging_done,
        5: decided and (weging_done or afweging_step == 4),
    }
    for n in range(1, 6):
        result.append(StepProgress(n, str(labels[n]), done_flags[n] and not missing[n], missing[n]))
    return result


def trajecten_of_dossier(*, actor: Actor, dossier: Any, persons: Iterable[Person] = ()) -> list[Traject]:
    """The dossier's trajecten, newest first, as the dossier page lists them.

    ``persons``: the family's persons the caller has loaded already; a traject's child is taken from
    them rather than read (and decrypted) again. The dossier is the one given.
    """
    if actor.user is None or not allows("dossiers.view_dossier", actor, dossier):
        raise NotFoundError
    known = {p.pk: p for p in persons}
    qs = Traject.objects.filter(dossier=dossier).order_by("-started_at")
    if not known:
        qs = qs.select_related("child")
    rows = list(qs)
    for traject in rows:
        traject.dossier = dossier
        if known and traject.child_id is not None:
            child = known.get(traject.child_id)
            if child is not None:
                traject.child = child
    return rows


def children_to_start(*, actor: Actor, dossier: Dossier) -> list[Person]:
    """The children of a dossier the actor may change, to start a traject for: the form shows their
    names, so the read is audited."""
    if actor.user is None or not allows("meldcode.start_traject", actor, dossier):
        raise NotFoundError
    children = list(Person.objects.filter(family_id=dossier.family_id, relation=Relation.KIND).order_by("pk"))
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.start_form",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
        details={"children": len(children)},
    )
    return children


def _candidate_memberships(actor: Actor) -> QuerySet[Membership]:
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    user = actor.user
    return (
        Membership.objects.filter(
            organisation_id=actor.membership.organisation_id,
            is_active=True,
            user__is_active=True,
            role__in=[Role.AANDACHTSFUNCTIONARIS, Role.PROFESSIONAL, Role.TEAMLEIDER],
        )
        .exclude(user_id=user.pk)
        .order_by("role", "user__last_name")
    )


def consultation_candidates(*, actor: Actor) -> list[Membership]:
    """Who may be asked: the aandachtsfunctionarissen and colleagues of the actor's organisation."""
    return list(
        _candidate_memberships(actor)
        .select_related("user")
        .only("id", "role", "user_id", "user__id", "user__username", "user__first_name", "user__last_name")
    )


def consultation_candidate_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """:func:`consultation_candidates` as form choices: (user id, "name (role)"), read as plain rows."""
    roles = dict(Role.choices)
    return [
        (user_id, f"{display_name(first, last, username)} ({roles.get(role, role)})")
        for user_id, first, last, username, role in _candidate_memberships(actor).values_list(
            "user_id", "user__first_name", "user__last_name", "user__username", "role"
        )
    ]


def _inbox(actor: Actor) -> QuerySet[Consultation]:
    if actor.user is None:
        raise NotFoundError
    return (
        meldcode_rules.consultation_inbox(actor.user)
        .select_related("traject", "traject__organisation", "requested_by")
        # The family each request is about, for the audit event (no client field is read).
        .annotate(family_pseudonym=F("traject__dossier__family__pseudonym"))
        .order_by("-requested_at")
    )


def _audit_inbox(actor: Actor, rows: list[Consultation], **details: Any) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.consultation_inbox",
        details={"trajecten": sorted({c.traject.reference for c in rows}), **details},
        clients=[c.family_pseudonym for c in rows],  # type: ignore[attr-defined]
    )


def consultation_inbox(*, actor: Actor, include_answered: bool = False) -> list[Consultation]:
    """Consultation requests addressed to the actor (newest first). Audited with the families they are about."""
    qs = _inbox(actor)
    if not include_answered:
        qs = qs.filter(state=Consultation.State.OPEN)
    rows = list(qs[:200])
    _audit_inbox(actor, rows)
    return rows


@dataclass
class Inbox:
    open: list[Consultation]
    answered: list[Consultation]


def consultation_inbox_page(*, actor: Actor, answered: int = 50) -> Inbox:
    """The inbox page: open requests to the actor and the latest answered ones (two queries and one
    audit event naming the families of both lists)."""
    qs = _inbox(actor)
    page = Inbox(
        open=list(qs.filter(state=Consultation.State.OPEN)[:200]),
        answered=list(qs.exclude(state=Consultation.State.OPEN)[:answered]),
    )
    _audit_inbox(actor, page.open + page.answered, open=len(page.open), answered=len(page.answered))
    return page


def consultations_open(*, user: Any) -> QuerySet[Consultation]:
    """The consultation requests that wait for an answer from ``user`` (counted in the main menu)."""
    return meldcode_rules.consultations_to(user).filter(state=Consultation.State.OPEN)


def consultation_get(*, actor: Actor, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(pk=consultation_id)
        .select_related("traject", "traject__dossier", "traject__dossier__family", "requested_by", "requested_to")
        .first()
    )
    if consultation is None or actor.user is None or not allows("meldcode.view_consultation", actor, consultation):
        raise NotFoundError
    return consultation


def stall_threshold(now: Any = None) -> Any:
    now = now or timezone.now()
    return now - timedelta(days=settings.KETEN_MELDCODE_STALL_DAYS)


_OVERVIEW_FIELDS = (
    "reference",
    "dossier_id",
    "child_id",
    "organisation_id",
    "status",
    "current_step",
    "started_at",
    "last_activity_at",
    "melding_on",
    "vt_feedback_due",
    "vt_feedback_on",
    "started_by__first_name",
    "started_by__last_name",
    "started_by__username",
)


def _names(trajecten: list[Traject]) -> dict[int, str]:
    """The child's or the family's name per traject, in two queries whatever the number of trajecten."""
    from keten.dossiers.models import Family, Person

    if not trajecten:
        return {}
    children = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={t.child_id for t in trajecten if t.child_id}).only(
            "first_name", "last_name"
        )
    }
    families = {
        f.pk: f.name
        for f in Family.objects.filter(pk__in={t.family_id for t in trajecten if not t.child_id}).only("name")  # type: ignore[attr-defined]
    }
    return {
        t.pk: children.get(t.child_id, "") if t.child_id else families.get(t.family_id, "")  # type: ignore[attr-defined]
        for t in trajecten
    }


@dataclass
class OverviewPage:
    """One page of the organisation overview, with the counts over all open trajecten."""

    rows: list[Traject]
    total: int
    stalled: int
    feedback_overdue: int
    number: int


def organisation_overview_page(*, actor: Actor, page: int = 1, page_size: int = 50) -> OverviewPage:
    """Open trajecten of the aandachtsfunctionaris' organisation, longest without activity first.

    The counts (open, stalled, Veilig Thuis feedback overdue) cover all of them in one aggregate
    query; only the rows of the requested page (clamped to the last page) are loaded, with step,
    age and deadlines. ``show_names`` is set per row: only where the actor is on the case team or
    was consulted with names, and then ``display_name`` holds the child's (or family's) name. Five
    queries whatever the number of trajecten; no encrypted client field is loaded for the others.
    The read is audited.
    """
    if actor.user is None or actor.membership is None or not allows("meldcode.view_organisation_trajecten", actor):
        raise NotFoundError
    user = actor.user
    threshold = stall_threshold()
    today = timezone.localdate()
    open_here = meldcode_rules.organisation_trajecten(user).exclude(status=Status.AFGESLOTEN)
    counts = open_here.aggregate(
        total=Count("pk"),
        stalled=Count("pk", filter=Q(status=Status.OPEN, last_activity_at__lt=threshold)),
        overdue=Count("pk", filter=Q(vt_feedback_due__lt=today, vt_feedback_on__isnull=True)),
    )
    pages = max(1, -(-counts["total"] // page_size))
    number = min(max(1, page), pages)
    # Only the plain columns the overview shows: encrypted client fields are decrypted on load, so the
    # names are fetched in a second step, and only for the trajecten whose names may be shown.
    offset = (number - 1) * page_size
    rows: list[Traject] = list(
        open_here.select_related("started_by")
        .only(*_OVERVIEW_FIELDS)
        .annotate(
            show_names=ExpressionWrapper(meldcode_rules.names_on_overview_q(user), output_field=BooleanField()),
            family_id=F("dossier__family_id"),
            family_pseudonym=F("dossier__family__pseudonym"),
        )
        .order_by("last_activity_at", "pk")[offset : offset + page_size]
    )
    names = _names([t for t in rows if t.show_names])  # type: ignore[attr-defined]
    now = timezone.now()
    for traject in rows:
        traject.show_names = bool(traject.show_names)  # type: ignore[attr-defined]
        traject.display_name = names.get(traject.pk, "")  # type: ignore[attr-defined]
        traject.is_stalled = traject.status == Status.OPEN and traject.last_activity_at < threshold  # type: ignore[attr-defined]
        traject.feedback_overdue = bool(  # type: ignore[attr-defined]
            traject.vt_feedback_due and not traject.vt_feedback_on and traject.vt_feedback_due < today
        )
        traject.age_days = (now - traject.started_at).days  # type: ignore[attr-defined]
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.organisation_overview",
        details={"count": counts["total"], "page": number},
        # The families whose names the page shows.
        clients=[t.family_pseudonym for t in rows if t.show_names],  # type: ignore[attr-defined]
    )
    return OverviewPage(
        rows=rows,
        total=counts["total"],
        stalled=counts["stalled"],
        feedback_overdue=counts["overdue"],
        number=number,
    )


def organisation_overview(*, actor: Actor, limit: int = 500) -> list[Traject]:
    """The first ``limit`` rows of :func:`organisation_overview_page` (audited the same way)."""
    return organisation_overview_page(actor=actor, page_size=limit).rows


def checklists_current(organisation_type: str, municipality_id: int | None = None) -> list[Checklist]:
    """The newest published version of each kind of checklist for an organisation type in a municipality.

    Per kind, a version of the municipality (published by its gemeente's functioneel beheerder) wins
    over the national one; within each, a version for the specific type wins over the general one
    (organisation_type ""), and then the highest version. Without a municipality: national versions only.
    """
    own = Q(municipality__isnull=True)
    if municipality_id is not None:
        own |= Q(municipality_id=municipality_id)
    rows = (
        Checklist.objects.filter(published_at__isnull=False)
        .filter(own)
        .filter(Q(organisation_type="") | Q(organisation_type=organisation_type))
    )

    def rank(checklist: Checklist) -> tuple[bool, bool, int]:
        return (checklist.municipality_id is not None, checklist.organisation_type != "", checklist.version)

    best: dict[str, Checklist] = {}
    for checklist in rows:
        current = best.get(checklist.kind)
        if current is None or rank(checklist) > rank(current):
            best[checklist.kind] = checklist
    return [best[k] for k in sorted(best)]


def feedback_overdue(today: date | None = None) -> QuerySet[Traject]:
    today = today or timezone.localdate()
    return Traject.objects.filter(
        vt_feedback_due__lt=today, vt_feedback_on__isnull=True, melding_on__isnull=False
    ).exclude(status=Status.AFGESLOTEN)
