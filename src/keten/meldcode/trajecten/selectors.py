"""Reads of trajecten beyond one traject's page: a dossier's trajecten, the children a traject can be
started for, the aandachtsfunctionaris' overview, the API's list, and the deadlines the jobs watch.

Who may see what is decided in ``keten.meldcode.rules`` (the rules and the row filters beside them);
these reads ask it and only shape and audit the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.listing import Filter, Listing, ListSpec, Page, Sort
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Family, Person, Relation
from keten.meldcode import rules as meldcode_rules
from keten.meldcode.models import Status, Step, Traject

#: Rows per page of the API's list of trajecten.
PAGE_SIZE = 50


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


def open_trajecten_of_dossier(*, actor: Actor, dossier: Dossier) -> list[tuple[str, int, str]]:
    """The open trajecten of a dossier the actor sees (the dossier selector audited that read), as
    ``(reference, current step, status)``, oldest first: one query, for the dossier header and
    overview. No client data: the child is not named."""
    return list(
        meldcode_rules.trajecten_visible_to(actor.user)
        .filter(dossier=dossier)
        .exclude(status=Status.AFGESLOTEN)
        .order_by("started_at", "pk")
        .values_list("reference", "current_step", "status")
    )


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


def child_of_dossier(*, dossier: Dossier, pseudonym: str) -> int | None:
    """The id of the child of the dossier's family with this pseudonym (None when there is none)."""
    child = Person.objects.filter(family_id=dossier.family_id, pseudonym=pseudonym).only("pk").first()
    return child.pk if child is not None else None


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
    if not trajecten:
        return {}
    family_of: dict[int, int] = {t.pk: int(getattr(t, "family_id", 0)) for t in trajecten}
    children = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={t.child_id for t in trajecten if t.child_id}).only(
            "first_name", "last_name"
        )
    }
    families = {
        f.pk: f.name
        for f in Family.objects.filter(pk__in={family_of[t.pk] for t in trajecten if not t.child_id}).only("name")
    }
    return {t.pk: children.get(t.child_id, "") if t.child_id else families.get(family_of[t.pk], "") for t in trajecten}


@dataclass(frozen=True)
class OverviewRow:
    """One open traject in the organisation overview; ``display_name`` only where ``show_names``."""

    traject: Traject
    show_names: bool
    display_name: str
    status_label: str
    is_stalled: bool
    feedback_overdue: bool
    age_days: int
    family_pseudonym: str

    @property
    def pk(self) -> int:
        return int(self.traject.pk)

    @property
    def reference(self) -> str:
        return self.traject.reference

    @property
    def status(self) -> str:
        return self.traject.status

    @property
    def started_by(self) -> Any:
        return self.traject.started_by

    @property
    def current_step(self) -> int:
        return self.traject.current_step

    @property
    def last_activity_at(self) -> datetime:
        return self.traject.last_activity_at

    @property
    def vt_feedback_due(self) -> date | None:
        return self.traject.vt_feedback_due

    @property
    def vt_feedback_on(self) -> date | None:
        return self.traject.vt_feedback_on


@dataclass
class OverviewPage:
    """One page of the organisation overview, with the counts over all open trajecten (``total``,
    ``stalled``, ``feedback_overdue``) and ``page``: the rows and the number that match the filters."""

    rows: list[OverviewRow]
    total: int
    stalled: int
    feedback_overdue: int
    number: int
    page: Page[OverviewRow]


_OPEN_STATUSES = [(value, label) for value, label in Status.choices if value != Status.AFGESLOTEN]

#: The organisation overview: longest without activity first by default.
ORGANISATION_OVERVIEW = ListSpec(
    sorts=(
        Sort("activiteit", _l("Laatste activiteit"), ("last_activity_at",)),
        Sort("kenmerk", _l("Kenmerk"), ("reference",)),
        Sort("professional", _l("Professional"), ("started_by__last_name", "started_by__first_name")),
        Sort("stap", _l("Stap"), ("current_step",)),
        Sort("status", _l("Status"), ("status",)),
        Sort("leeftijd", _l("Leeftijd (dagen)"), ("-started_at",)),
        Sort("terugkoppeling", _l("Terugkoppeling Veilig Thuis"), ("vt_feedback_due",)),
    ),
    default_sort="activiteit",
    filters=(
        Filter("status", _l("Status"), _OPEN_STATUSES),
        Filter("stap", _l("Stap"), [(str(v), label) for v, label in Step.choices], lookup="current_step"),
    ),
    page_size=50,
)


def organisation_overview_page(
    *, actor: Actor, page: int = 1, page_size: int = 50, listing: Listing | None = None
) -> OverviewPage:
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
    if listing is None:
        listing = replace(ORGANISATION_OVERVIEW, page_size=page_size).parse({"pagina": str(page)})
    open_here = meldcode_rules.organisation_trajecten(user).exclude(status=Status.AFGESLOTEN)
    counts = open_here.aggregate(
        total=Count("pk"),
        matching=Count("pk", filter=listing.condition()),
        stalled=Count("pk", filter=Q(status=Status.OPEN, last_activity_at__lt=threshold)),
        overdue=Count("pk", filter=Q(vt_feedback_due__lt=today, vt_feedback_on__isnull=True)),
    )
    window = listing.window(counts["matching"])
    number = window.number
    # Only the plain columns the overview shows: encrypted client fields are decrypted on load, so the
    # names are fetched in a second step, and only for the trajecten whose names may be shown.
    loaded: list[Traject] = list(
        listing.filter(open_here)
        .select_related("started_by")
        .only(*_OVERVIEW_FIELDS)
        .annotate(
            show_names=ExpressionWrapper(meldcode_rules.names_on_overview_q(user), output_field=BooleanField()),
            family_id=F("dossier__family_id"),
            family_pseudonym=F("dossier__family__pseudonym"),
        )
        .order_by(*listing.ordering())[window.offset : window.offset + window.limit]
    )
    names = _names([t for t in loaded if getattr(t, "show_names", False)])
    now = timezone.now()
    labels = {value: str(label) for value, label in Status.choices}
    rows = [
        OverviewRow(
            traject=traject,
            show_names=bool(getattr(traject, "show_names", False)),
            display_name=names.get(traject.pk, ""),
            status_label=labels.get(traject.status, traject.status),
            is_stalled=traject.status == Status.OPEN and traject.last_activity_at < threshold,
            feedback_overdue=bool(
                traject.vt_feedback_due and not traject.vt_feedback_on and traject.vt_feedback_due < today
            ),
            age_days=(now - traject.started_at).days,
            family_pseudonym=str(getattr(traject, "family_pseudonym", "")),
        )
        for traject in loaded
    ]
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.organisation_overview",
        details={
            "count": counts["total"],
            "page": number,
            **({"filters": listing.values, "matching": counts["matching"]} if listing.values else {}),
        },
        # The families whose names the page shows.
        clients=[r.family_pseudonym for r in rows if r.show_names],
    )
    return OverviewPage(
        rows=rows,
        total=counts["total"],
        stalled=counts["stalled"],
        feedback_overdue=counts["overdue"],
        number=number,
        page=Page.of(rows, counts["matching"], window),
    )


def organisation_attention(*, actor: Actor) -> dict[str, int]:
    """For the aandachtsfunctionaris: how many open trajecten their organisation has, how many stand
    still and at how many the feedback of Veilig Thuis is late (as :func:`organisation_overview_page`
    counts them). One aggregate query, counts only."""
    if actor.user is None or actor.membership is None or not allows("meldcode.view_organisation_trajecten", actor):
        raise NotFoundError
    today = timezone.localdate()
    open_here = meldcode_rules.organisation_trajecten(actor.user).exclude(status=Status.AFGESLOTEN)
    return open_here.aggregate(
        total=Count("pk"),
        stalled=Count("pk", filter=Q(status=Status.OPEN, last_activity_at__lt=stall_threshold())),
        overdue=Count("pk", filter=Q(vt_feedback_due__lt=today, vt_feedback_on__isnull=True)),
    )


def organisation_overview(*, actor: Actor, limit: int = 500) -> list[OverviewRow]:
    """The first ``limit`` rows of :func:`organisation_overview_page` (audited the same way)."""
    return organisation_overview_page(actor=actor, page_size=limit).rows


def feedback_overdue(today: date | None = None) -> QuerySet[Traject]:
    today = today or timezone.localdate()
    return Traject.objects.filter(
        vt_feedback_due__lt=today, vt_feedback_on__isnull=True, melding_on__isnull=False
    ).exclude(status=Status.AFGESLOTEN)


def trajecten_visible_to(actor: Actor) -> QuerySet[Traject]:
    """Trajecten in dossiers the actor may see (case team or break-the-glass) or was consulted on.

    A system acting for a professional: only the trajecten of that professional's case teams. The
    rule and its row filter are in ``keten.meldcode.rules``."""
    if actor.user is None or not allows("meldcode.view_trajecten", actor):
        raise NotFoundError
    return meldcode_rules.trajecten_visible_to(actor.user)


def traject_page(*, actor: Actor, status: str = "", page: int = 1) -> tuple[list[Traject], int]:
    """One page of the actor's trajecten, latest activity first (two queries plus the audit event)."""
    qs = trajecten_visible_to(actor)
    if status in Status.values:
        qs = qs.filter(status=status)
    total = qs.count()
    offset = (max(page, 1) - 1) * PAGE_SIZE
    rows: list[Traject] = list(
        qs.select_related("dossier", "organisation")
        # The family of each traject, for the audit event (no client field is read).
        .annotate(family_pseudonym=F("dossier__family__pseudonym"))
        .order_by("-last_activity_at", "-pk")[offset : offset + PAGE_SIZE]
    )
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.traject_list",
        details={"count": len(rows), "page": page, "status": status, "trajecten": [t.reference for t in rows]},
        clients=[getattr(t, "family_pseudonym", "") for t in rows],
    )
    return rows, total
