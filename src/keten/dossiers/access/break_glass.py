"""Break the glass (noodtoegang): opening a dossier outside the case team, who is told, and the review.

Writes first (services), then the reads of the review queue (selectors). Who may review a grant is
one row filter, :func:`keten.dossiers.rules.reviewable_grants`, beside the policy's rule
(``dossiers.review_break_glass_grant``), which asks the same filter.

- Only dossiers of the actor's own municipality can be opened; any other reference is answered
  exactly as a reference that does not exist.
- Whoever left the case team less than :data:`RECENT_REMOVAL_DAYS` ago is refused and told to ask the
  regievoerder.
- The reason is stored encrypted on the grant and shown only in the review queue; the audit event
  names the grant.
- The dossier's regievoerder and the aandachtsfunctionarissen of every organisation on the case team
  are told (never the actor); when there is nobody to tell, the privacy officers of the gemeente.
- Every grant waits in the review queue until an aandachtsfunctionaris (of an organisation on the
  case team or of the actor's organisation) or the municipality's privacy officer judges it; reviews
  are appended, never edited. Unreviewed grants older than :data:`REVIEW_WORKING_DAYS` Dutch working
  days are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import OrganisationType, Role, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.workdays import add_working_days
from keten.dossiers.models import BreakGlassAccess, BreakGlassReview, CaseTeamMember, Dossier
from keten.dossiers.rules import dossier_regievoerders, reviewable_grants
from keten.dossiers.services import _require_case_role
from keten.notifications.services import notification_send

#: Days after leaving a case team during which break-the-glass into that dossier is refused.
RECENT_REMOVAL_DAYS = 30
#: Dutch working days within which a grant should be reviewed before it is flagged.
REVIEW_WORKING_DAYS = 5
QUEUE_PATH = "/dossiers/noodtoegang/beoordelen/"
QUEUE_SIZE = 100


# --- writes -----------------------------------------------------------------------------------


def _refuse(actor: Actor, *, object_id: str, result: str, client_pseudonym: str = "") -> None:
    """Audit a refused attempt in its own transaction (it stays although the request fails)."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            object_type="dossier",
            object_id=object_id[:64],
            client_pseudonym=client_pseudonym,
            details={"result": result},
        )


def _recently_removed(user: User, dossier: Dossier) -> bool:
    since = timezone.now() - timedelta(days=RECENT_REMOVAL_DAYS)
    return CaseTeamMember.objects.filter(dossier=dossier, user=user, ended_at__gte=since).exists()


def _privacy_officers(municipality_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.PRIVACY_OFFICER,
            memberships__organisation__type=OrganisationType.GEMEENTE,
            memberships__organisation__municipality_id=municipality_id,
        ).distinct()
    )


def _tell(actor: Actor, user: User, dossier: Dossier) -> None:
    """The regievoerder and the officers of the case team's organisations; else the privacy officers."""
    regievoerders = [u for u in dossier_regievoerders(dossier) if u.pk != user.pk]
    team_organisations = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True).values("organisation_id")
    officers = list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=team_organisations,
            memberships__role=Role.AANDACHTSFUNCTIONARIS,
            memberships__is_active=True,
        )
        .exclude(pk=user.pk)
        .exclude(pk__in=[u.pk for u in regievoerders])
        .distinct()
    )
    if not regievoerders and not officers:
        officers = [u for u in _privacy_officers(dossier.family.municipality_id) if u.pk != user.pk]
    names = {"name": actor.label, "ref": dossier.reference}
    title = _("Noodtoegang gebruikt door %(name)s") % names
    if regievoerders:
        notification_send(
            recipients=regievoerders,
            kind="break_glass",
            title=title,
            body=_("%(name)s heeft met noodtoegang uw dossier %(ref)s geopend.") % names,
            link=f"/dossiers/{dossier.reference}/",
        )
    if officers:
        notification_send(
            recipients=officers,
            kind="break_glass",
            title=title,
            body=_(
                "%(name)s heeft met noodtoegang dossier %(ref)s geopend. Beoordeel of dat terecht was in "
                "'Noodtoegang beoordelen'."
            )
            % names,
            link=QUEUE_PATH,
        )


def break_glass(*, actor: Actor, reference: str, reason: str) -> Dossier:
    """Open a dossier of the own municipality outside the case team, for a limited time, with a reason.

    The grant (with its encrypted reason) is audited and told at once; a refused attempt is audited
    too. Another municipality's dossier is answered as a reference that does not exist.
    """
    user = _require_case_role(actor)
    reason = reason.strip()
    if len(reason) < 10:
        raise DomainError(
            _("Geef een reden van minstens 10 tekens: waarom moet u dit dossier nu inzien?"), field="reason"
        )
    if len(reason) > 2000:
        raise DomainError(_("De reden is maximaal 2000 tekens."), field="reason")
    membership = actor.membership
    assert membership is not None
    typed = reference.strip()
    dossier = (
        Dossier.objects.select_related("family")
        .filter(reference__iexact=typed, family__municipality_id=membership.organisation.municipality_id)
        .first()
    )
    if dossier is None:
        _refuse(actor, object_id=typed, result="not_found")
        raise NotFoundError(_("Er is geen dossier met dit nummer."))
    if _recently_removed(user, dossier):
        _refuse(
            actor,
            object_id=dossier.reference,
            result="refused_recently_removed",
            client_pseudonym=dossier.family.pseudonym,
        )
        raise DomainError(
            _(
                "U bent minder dan %(days)s dagen geleden uit het casusteam van dit dossier gegaan. Noodtoegang "
                "is daarom niet mogelijk: vraag de regievoerder om u weer aan het casusteam toe te voegen."
            )
            % {"days": RECENT_REMOVAL_DAYS},
            field="reference",
        )
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassAccess.objects.create(
            dossier=dossier,
            user=user,
            organisation_id=membership.organisation_id,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(seconds=settings.KETEN_BREAK_GLASS_SECONDS),
        )
        audit.record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            object_type="dossier",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
            details={"grant": grant.pk},
        )
        _tell(actor, user, dossier)
    return dossier


def break_glass_review_add(*, actor: Actor, grant_id: int, justified: bool, note: str) -> BreakGlassReview:
    """Record whether a break-the-glass grant was justified, with a note. A new row every time."""
    user = actor.user
    membership = actor.membership
    if user is None or membership is None:
        raise NotFoundError
    grant = BreakGlassAccess.objects.select_related("dossier__family").filter(pk=grant_id).first()
    if grant is None or not allows("dossiers.review_break_glass_grant", user, grant):
        raise NotFoundError
    note = note.strip()
    if not note:
        raise DomainError(_("Licht uw oordeel toe."), field="note")
    if len(note) > 2000:
        raise DomainError(_("De toelichting is maximaal 2000 tekens."), field="note")
    with transaction.atomic():
        review = BreakGlassReview.objects.create(
            grant=grant,
            reviewer=user,
            organisation_id=membership.organisation_id,
            role=membership.role,
            justified=justified,
            note=note,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="break_glass_review",
            object_id=str(grant.pk),
            client_pseudonym=grant.dossier.family.pseudonym,
            details={"review": review.pk, "justified": justified},
        )
    return review


# --- who may review: the row filter of the rule, in keten.dossiers.rules ------------------------


def user_may_review(user: Any, grant_id: int) -> bool:
    """The policy's rule for one grant: exactly the row filter :func:`reviewable_grants`."""
    return reviewable_grants(user).filter(pk=grant_id).exists()


# --- the review queue -------------------------------------------------------------------------


def review_due(granted_at: datetime) -> date:
    """The last day on which a grant is reviewed in time."""
    return add_working_days(timezone.localdate(granted_at), REVIEW_WORKING_DAYS)


def is_overdue(granted_at: datetime, *, today: date | None = None) -> bool:
    """Unreviewed after more than :data:`REVIEW_WORKING_DAYS` Dutch working days."""
    return (today or timezone.localdate()) > review_due(granted_at)


@dataclass
class QueueRow:
    grant_id: int
    professional: str
    organisation: str
    granted_at: datetime
    reference: str
    reason: str
    reviews: list[BreakGlassReview]
    due: date
    overdue: bool


def review_queue(*, actor: Actor, unreviewed_only: bool = True) -> list[QueueRow]:
    """The grants the actor may review, newest first, with their reasons and reviews. Audited."""
    if actor.user is None or not allows("dossiers.review_break_glass", actor.user):
        return []
    grants = reviewable_grants(actor.user)
    if unreviewed_only:
        grants = grants.filter(reviews__isnull=True)
    page = list(
        grants.select_related("user", "organisation", "dossier__family")
        .prefetch_related("reviews__reviewer", "reviews__organisation")
        .order_by("-granted_at", "-id")[:QUEUE_SIZE]
    )
    today = timezone.localdate()
    rows = [
        QueueRow(
            grant_id=grant.pk,
            professional=str(grant.user),
            organisation=grant.organisation.name if grant.organisation else "",
            granted_at=grant.granted_at,
            reference=grant.dossier.reference,
            reason=grant.reason,
            reviews=list(grant.reviews.all()),
            due=review_due(grant.granted_at),
            overdue=not grant.reviews.all() and is_overdue(grant.granted_at, today=today),
        )
        for grant in page
    ]
    if rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="break_glass_queue",
            details={"grants": [r.grant_id for r in rows], "unreviewed_only": unreviewed_only},
            clients=[g.dossier.family.pseudonym for g in page],
        )
    return rows
