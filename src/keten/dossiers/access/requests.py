"""Access requests (toegangsverzoeken): asking a dossier's regievoerder to join its case team.

Offered where a form says that a person is already known in a dossier the professional cannot see:
instead of a bare fact, a recorded request. The regievoerder (or, when the dossier has none, its
case team) is told and accepts — the requester joins the case team through ``case_team_add`` — or
declines; the requester is told the outcome. Until it is accepted the requester sees their own
request only: never the dossier's reference, family or members. Every step is audited.

Writes first (services), then reads (selectors). Who decides a request is one row filter,
:func:`keten.dossiers.rules.requests_to_decide`, beside the policy's rule
(``dossiers.decide_access_request``), which asks the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows, may_see_client_data
from keten.dossiers.models import AccessRequest, CaseRole, CaseTeamMember, Dossier
from keten.dossiers.rules import deciders, requests_to_decide
from keten.dossiers.services import _require_case_role, case_team_add
from keten.notifications.services import notification_send

LIST_PATH = "/dossiers/toegangsverzoeken/"
MOTIVATION_MIN = 10
MOTIVATION_MAX = 1000


# --- writes -----------------------------------------------------------------------------------


def access_request_create(*, actor: Actor, dossier_ids: Sequence[int], motivation: str) -> list[AccessRequest]:
    """Ask for access to the dossiers a duplicate check found (ids kept on the server, never shown).

    Only dossiers of the actor's municipality whose case team the actor is not on; an open request
    of the same actor for the same dossier is not made twice.
    """
    user = _require_case_role(actor)
    membership = actor.membership
    assert membership is not None
    motivation = motivation.strip()
    if len(motivation) < MOTIVATION_MIN:
        raise DomainError(
            _("Schrijf in minstens %(n)s tekens waarom u toegang nodig heeft.") % {"n": MOTIVATION_MIN},
            field="motivation",
        )
    if len(motivation) > MOTIVATION_MAX:
        raise DomainError(_("De motivering is maximaal %(n)s tekens.") % {"n": MOTIVATION_MAX}, field="motivation")
    on_team = CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values("dossier_id")
    municipality_id = membership.organisation.municipality_id
    dossiers = list(
        Dossier.objects.filter(pk__in=list(dossier_ids), family__municipality_id=municipality_id)
        .exclude(pk__in=on_team)
        .select_related("family")
        .order_by("id")
    )
    if not dossiers:
        raise DomainError(
            _("Dit verzoek kan niet meer worden gedaan. Vul het formulier opnieuw in om het nog eens te proberen."),
            field="token",
        )
    waiting = set(
        AccessRequest.objects.filter(
            requester=user, dossier__in=dossiers, status=AccessRequest.Status.OPEN
        ).values_list("dossier_id", flat=True)
    )
    if all(d.pk in waiting for d in dossiers):
        raise DomainError(_("U heeft hier al om toegang gevraagd. De regievoerder beslist daarover."))
    made: list[AccessRequest] = []
    with transaction.atomic():
        for dossier in dossiers:
            if dossier.pk in waiting:
                continue
            request = AccessRequest.objects.create(
                dossier=dossier, requester=user, organisation_id=membership.organisation_id, motivation=motivation
            )
            made.append(request)
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="access_request",
                object_id=str(request.pk),
                client_pseudonym=dossier.family.pseudonym,
                details={"step": "requested"},
            )
            notification_send(
                recipients=[u for u in deciders(dossier) if u.pk != user.pk],
                kind="access_request",
                title=_("Verzoek om toegang tot dossier %(ref)s") % {"ref": dossier.reference},
                body=_("%(name)s (%(organisation)s) vraagt om toegang tot het casusteam.")
                % {"name": actor.label, "organisation": membership.organisation.name},
                link=LIST_PATH,
            )
    return made


def access_request_decide(
    *, actor: Actor, request_id: int, accept: bool, case_role: str = CaseRole.HULPVERLENER
) -> AccessRequest:
    """Accept (the requester joins the case team) or decline a request. Decided once."""
    user = _require_case_role(actor)
    request = AccessRequest.objects.select_related("dossier__family", "requester").filter(pk=request_id).first()
    if request is None or not allows("dossiers.decide_access_request", user, request):
        raise NotFoundError
    new = AccessRequest.Status.ACCEPTED if accept else AccessRequest.Status.DECLINED
    if new not in AccessRequest.TRANSITIONS[request.status]:
        raise DomainError(_("Over dit verzoek is al beslist."), field="decision")
    dossier = request.dossier
    with transaction.atomic():
        changed = AccessRequest.objects.filter(pk=request.pk, status=request.status).update(
            status=new, decided_by=user, decided_at=timezone.now()
        )
        if not changed:
            raise DomainError(_("Over dit verzoek is al beslist."), field="decision")
        already = CaseTeamMember.objects.filter(dossier=dossier, user=request.requester, ended_at__isnull=True)
        if accept and not already.exists():
            case_team_add(actor=actor, dossier=dossier, user_id=request.requester_id, case_role=case_role)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="access_request",
            object_id=str(request.pk),
            client_pseudonym=dossier.family.pseudonym,
            details={"step": new, "requester": request.requester_id},
        )
        if accept:
            notification_send(
                recipients=[request.requester],
                kind="access_request_decided",
                title=_("Uw verzoek om toegang is toegekend"),
                body=_("U zit nu in het casusteam van dossier %(ref)s.") % {"ref": dossier.reference},
                link=f"/dossiers/{dossier.reference}/",
            )
        else:
            notification_send(
                recipients=[request.requester],
                kind="access_request_decided",
                title=_("Uw verzoek om toegang is afgewezen"),
                body=_("Neem bij vragen contact op met uw aandachtsfunctionaris."),
                link=LIST_PATH,
            )
    request.refresh_from_db()
    return request


# --- who decides: the row filter of the rule, in keten.dossiers.rules ----------------------------


def user_decides(user: Any, request_id: int) -> bool:
    """The policy's rule for one request: exactly the row filter :func:`requests_to_decide`."""
    return requests_to_decide(user).filter(pk=request_id).exists()


# --- reads ------------------------------------------------------------------------------------


@dataclass
class RequestRow:
    pk: int
    status: str
    status_label: str
    created_at: datetime
    motivation: str
    decided_at: datetime | None
    #: Shown to the requester only once accepted; always to the regievoerder.
    reference: str = ""
    requester: str = ""
    organisation: str = ""
    pseudonym: str = ""


def access_request_lists(*, actor: Actor) -> dict[str, list[RequestRow]]:
    """The requests the actor decides on, and the actor's own requests. Audited when it shows a dossier."""
    user = actor.user
    if user is None or not may_see_client_data(user):
        return {"to_decide": [], "mine": []}
    to_decide = [
        RequestRow(
            pk=r.pk,
            status=r.status,
            status_label=str(r.get_status_display()),
            created_at=r.created_at,
            motivation=r.motivation,
            decided_at=r.decided_at,
            reference=r.dossier.reference,
            requester=str(r.requester),
            organisation=r.organisation.name,
            pseudonym=r.dossier.family.pseudonym,
        )
        for r in requests_to_decide(user).select_related("dossier__family", "requester", "organisation")[:200]
    ]
    mine = []
    for r in AccessRequest.objects.filter(requester=user).select_related("dossier__family")[:200]:
        accepted = r.status == AccessRequest.Status.ACCEPTED
        mine.append(
            RequestRow(
                pk=r.pk,
                status=r.status,
                status_label=str(r.get_status_display()),
                created_at=r.created_at,
                motivation=r.motivation,
                decided_at=r.decided_at,
                reference=r.dossier.reference if accepted else "",
                pseudonym=r.dossier.family.pseudonym if accepted else "",
            )
        )
    shown = [row.pseudonym for row in [*to_decide, *mine] if row.pseudonym]
    if shown:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="access_requests",
            details={"requests": [row.pk for row in [*to_decide, *mine] if row.pseudonym]},
            clients=shown,
        )
    return {"to_decide": to_decide, "mine": mine}


def open_requests_to_decide_count(*, actor: Actor) -> int:
    """How many open requests wait for the actor's decision: :func:`requests_to_decide` (open ones)
    in one query, whatever the number of dossiers — the start page's count. No client data."""
    user = actor.user
    if user is None or not may_see_client_data(user):
        return 0
    active = CaseTeamMember.objects.filter(
        dossier_id=OuterRef("dossier_id"), ended_at__isnull=True, user__is_active=True
    )
    me = active.filter(user_id=user.pk)
    coordinator_on_team = active.filter(user_id=OuterRef("dossier__coordinator_id"))
    # Who decides (keten.dossiers.rules.deciders): the coordinator while on the case team; else the
    # members in the case role regievoerder; else the whole case team.
    decides = Exists(me) & (
        (Exists(coordinator_on_team) & Q(dossier__coordinator_id=user.pk))
        | (
            ~Exists(coordinator_on_team)
            & (
                Exists(me.filter(case_role=CaseRole.REGIEVOERDER))
                | ~Exists(active.filter(case_role=CaseRole.REGIEVOERDER))
            )
        )
    )
    return AccessRequest.objects.filter(decides, status=AccessRequest.Status.OPEN).count()
