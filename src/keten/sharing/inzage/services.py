"""Inzage and destruction requests: who may ask, the answering period, the overview PDF, the decision.

Who may ask (Jeugdwet art. 7.3.10 and 7.3.9, AVG art. 15 and 17): a young person of 12 or older about
themselves; a parent with gezag about a child younger than 16; an adult about themselves. Others are
refused with a Dutch message. (As elsewhere in Keten, a person recorded as ouder or verzorger counts
as having gezag: the dossier does not record gezag separately.)

The answering period is **one calendar month** after receipt (AVG art. 12 lid 3: "onverwijld en in
ieder geval binnen een maand"). We compute the same day of the next month (the last day of that month
when it is shorter), which is never less than the four weeks some guidance mentions; extensions
(two further months, art. 12 lid 3) are not modelled and would be noted in the answer.

Destruction: notes in a dossier concern the whole family and meldcode entries are append-only by
design, so Keten cannot safely pick "the person's data" and delete it. A decision is recorded with
its motivation; when granted, the follow-up (what is destroyed, by whom) is recorded and marked done
by hand. The audit log records only that it happened, never the destroyed content.
"""

from __future__ import annotations

import base64
import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keten.core import audit
from keten.core.actor import Actor, actor_for_user
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Person, Relation
from keten.notifications.services import notification_send
from keten.sharing.inzage.report import audit_report, collect_report, inzage_render
from keten.sharing.models import DestructionRequest, InzageExport, InzageRequest, RequesterRole

logger = logging.getLogger(__name__)

MIN_REASON = 10
#: How long a finished overview PDF can be downloaded before it is cleared.
EXPORT_DAYS = 7


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day (AVG: answer within one month)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _age(person: Person, on: date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_requester(requester: Person, role: str, about: Person, on: date) -> None:
    """Refuse, with a Dutch message, anyone who may not ask about this person."""
    if role == RequesterRole.OUDER_MET_GEZAG:
        if requester.relation not in (Relation.OUDER, Relation.VERZORGER) or requester.pk == about.pk:
            raise DomainError(
                _("Alleen een ouder met gezag kan als ouder een verzoek doen over een kind."), field="requester"
            )
        age = _age(about, on)
        if age is None:
            raise DomainError(_("De geboortedatum van het kind is nodig om het verzoek te beoordelen."), field="about")
        if age >= 16:
            raise DomainError(
                _("Dit kind is %(age)d jaar. Vanaf 16 jaar doet de jongere het verzoek zelf, niet de ouder.")
                % {"age": age},
                field="requester_role",
            )
        return
    if role not in (RequesterRole.JONGERE, RequesterRole.VOLWASSENE):
        raise DomainError(_("Kies wie het verzoek doet."), field="requester_role")
    if requester.pk != about.pk:
        raise DomainError(_("Een jongere of volwassene doet alleen een verzoek over zichzelf."), field="about")
    age = _age(requester, on)
    if age is None:
        raise DomainError(_("De geboortedatum is nodig om het verzoek te beoordelen."), field="requester")
    if role == RequesterRole.JONGERE and not 12 <= age <= 17:
        if age < 12:
            raise DomainError(
                _("Een kind jonger dan 12 jaar doet dit verzoek niet zelf. Een ouder met gezag kan het doen."),
                field="requester_role",
            )
        raise DomainError(_("Deze persoon is volwassen. Kies 'Volwassene, over zichzelf'."), field="requester_role")
    if role == RequesterRole.VOLWASSENE and age < 18:
        raise DomainError(
            _("Deze persoon is %(age)d jaar en nog niet volwassen.") % {"age": age}, field="requester_role"
        )


def require_case_team(actor: Actor, dossier: Dossier) -> None:
    if actor.user is None or actor.membership is None or not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError


def _persons(dossier: Dossier, requester_id: int, about_id: int) -> tuple[Person, Person]:
    persons = {p.pk: p for p in Person.objects.filter(family_id=dossier.family_id, pk__in=[requester_id, about_id])}
    if requester_id not in persons or about_id not in persons:
        raise DomainError(_("Kies personen uit dit gezin."), field="requester")
    return persons[requester_id], persons[about_id]


def _received(received_on: date | None) -> date:
    if received_on is None or received_on > timezone.localdate():
        raise DomainError(_("Vul een datum van vandaag of eerder in."), field="received_on")
    return received_on


def _audit(actor: Actor, dossier: Dossier, action: str, what: str, pk: int, **details: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=f"sharing.{what}",
        object_id=pk,
        client_pseudonym=dossier.family.pseudonym,
        details=details,
    )


@dataclass
class RequestData:
    requester_id: int
    requester_role: str
    about_id: int
    received_on: date | None


# --- inzage ------------------------------------------------------------------------------------


def inzage_record(*, actor: Actor, dossier: Dossier, data: RequestData) -> InzageRequest:
    """A professional on the case team records a request for inzage; the due date follows from receipt."""
    require_case_team(actor, dossier)
    assert actor.user is not None
    assert actor.membership is not None
    received = _received(data.received_on)
    requester, about = _persons(dossier, data.requester_id, data.about_id)
    check_requester(requester, data.requester_role, about, received)
    with transaction.atomic():
        request = InzageRequest.objects.create(
            dossier=dossier,
            requester=requester,
            requester_role=data.requester_role,
            about=about,
            received_on=received,
            due_on=one_month_after(received),
            recorded_by=actor.user,
            recorded_by_organisation=actor.membership.organisation,
        )
        _audit(actor, dossier, AuditAction.CREATE, "inzage", request.pk, role=data.requester_role)
    return request


def inzage_answer(*, actor: Actor, request: InzageRequest, answered_on: date | None, note: str = "") -> InzageRequest:
    """Record that the request was answered (the copy handed over or sent)."""
    require_case_team(actor, request.dossier)
    if request.answered_on is not None:
        raise DomainError(_("Dit verzoek is al beantwoord."))
    if answered_on is None or answered_on > timezone.localdate() or answered_on < request.received_on:
        raise DomainError(_("Vul een datum in tussen de ontvangst van het verzoek en vandaag."), field="answered_on")
    with transaction.atomic():
        request.answered_on = answered_on
        request.answer_note = note.strip() or None
        request.save(update_fields=["answered_on", "answer_note"])
        _audit(
            actor,
            request.dossier,
            AuditAction.UPDATE,
            "inzage",
            request.pk,
            answered=True,
            late=answered_on > request.due_on,
        )
    return request


# --- the overview PDF, built in the background --------------------------------------------------
#
# Five years of notes and meldcode entries make an overview of dozens of pages, which takes WeasyPrint
# longer than a page request should (see docs/benchmarks.md). The professional asks for it, a task
# builds it, a notification says when it is ready, and only they can download it for EXPORT_DAYS.


def inzage_export_request(*, actor: Actor, request: InzageRequest) -> InzageExport:
    """Queue the overview PDF of ``request`` for the actor. A second click while one is pending returns that one."""
    require_case_team(actor, request.dossier)
    assert actor.user is not None
    pending = (
        InzageExport.objects.filter(
            request=request,
            requested_by=actor.user,
            status__in=[InzageExport.Status.QUEUED, InzageExport.Status.RUNNING],
            # One stuck behind a stopped worker does not block a new one for ever.
            created_at__gte=timezone.now() - timedelta(hours=1),
        )
        .defer("content")
        .first()
    )
    if pending is not None:
        return pending
    with transaction.atomic():
        export = InzageExport.objects.create(
            request=request, requested_by=actor.user, expires_at=timezone.now() + timedelta(days=EXPORT_DAYS)
        )
        _audit(actor, request.dossier, AuditAction.CREATE, "inzage_export", export.pk, inzage=request.pk)
        transaction.on_commit(lambda: build_inzage_export.enqueue(export.pk))
    return export


def _notify(export: InzageExport, ready: bool) -> None:
    reference = export.request.dossier.reference
    if ready:
        title = _("Het inzageoverzicht voor dossier %(ref)s is klaar") % {"ref": reference}
        body = _("U kunt het downloaden tot %(until)s.") % {
            "until": timezone.localtime(export.expires_at).strftime("%d-%m-%Y %H:%M")
        }
    else:
        title = _("Het inzageoverzicht voor dossier %(ref)s kon niet worden gemaakt") % {"ref": reference}
        body = _("Probeer het opnieuw. Lukt het weer niet, neem dan contact op met de functioneel beheerder.")
    notification_send(
        recipients=[export.requested_by],
        kind="sharing.inzage_export",
        title=title,
        body=body,
        link=reverse("sharing_inzage:export", args=[export.pk]),
    )


def inzage_export_build(export_id: int) -> InzageExport | None:
    """Build a queued overview PDF (the task's work). Checks the requester's access again; idempotent."""
    with transaction.atomic():
        export = (
            InzageExport.objects.select_for_update(of=("self",))
            .select_related("request__dossier__family", "request__requester", "request__about", "requested_by")
            .defer("content")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != InzageExport.Status.QUEUED:
            return export
        export.status = InzageExport.Status.RUNNING
        export.started_at = timezone.now()
        export.save(update_fields=["status", "started_at"])
    actor = actor_for_user(export.requested_by)
    try:
        require_case_team(actor, export.request.dossier)
        report = collect_report(export.request)
        pdf, pages = inzage_render(report)
    except Exception:
        logger.exception("inzage export %s failed", export_id)
        with transaction.atomic():
            export.status = InzageExport.Status.FAILED
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "finished_at"])
            _notify(export, ready=False)
        return export
    with transaction.atomic():
        export.content = base64.b64encode(pdf).decode("ascii")
        export.status = InzageExport.Status.READY
        export.finished_at = timezone.now()
        export.pages = pages
        export.size = len(pdf)
        export.save(update_fields=["content", "status", "finished_at", "pages", "size"])
        audit_report(actor, report, export=export.pk, pages=pages)
        _notify(export, ready=True)
    return export


@task()
def build_inzage_export(export_id: int) -> str:
    """The job :func:`inzage_export_request` enqueues: build one queued overview PDF; returns its status."""
    export = inzage_export_build(export_id)
    return export.status if export is not None else "onbekend"


def inzage_exports_purge(*, now: datetime | None = None) -> int:
    """Clear the content of overview PDFs whose download period is over; logs the count."""
    now = now or timezone.now()
    count = InzageExport.objects.filter(expires_at__lte=now, content__isnull=False).update(content=None)
    if count:
        audit.record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="sharing.inzage_exports",
            user_label="inzageoverzicht-verloopt",
            details={"cleared": count},
        )
    return count


# --- destruction -------------------------------------------------------------------------------


def destruction_record(*, actor: Actor, dossier: Dossier, data: RequestData) -> DestructionRequest:
    """Record a request to destroy data (same people may ask as for inzage)."""
    require_case_team(actor, dossier)
    assert actor.user is not None
    assert actor.membership is not None
    received = _received(data.received_on)
    requester, about = _persons(dossier, data.requester_id, data.about_id)
    check_requester(requester, data.requester_role, about, received)
    with transaction.atomic():
        request = DestructionRequest.objects.create(
            dossier=dossier,
            requester=requester,
            requester_role=data.requester_role,
            about=about,
            received_on=received,
            due_on=one_month_after(received),
            recorded_by=actor.user,
            recorded_by_organisation=actor.membership.organisation,
        )
        _audit(actor, dossier, AuditAction.CREATE, "destruction", request.pk, role=data.requester_role)
    return request


def destruction_decide(
    *, actor: Actor, request: DestructionRequest, decision: str, decided_on: date | None, reason: str, follow_up: str
) -> DestructionRequest:
    """Grant or refuse. A refusal needs its reason (a legal duty to keep, another's important interest);
    a grant needs the follow-up: what is destroyed, where and by whom."""
    require_case_team(actor, request.dossier)
    if request.decision != DestructionRequest.Decision.OPEN:
        raise DomainError(_("Over dit verzoek is al beslist."))
    if decision not in (DestructionRequest.Decision.GRANTED, DestructionRequest.Decision.REFUSED):
        raise DomainError(_("Kies of het verzoek wordt toegewezen of afgewezen."), field="decision")
    if decided_on is None or decided_on > timezone.localdate() or decided_on < request.received_on:
        raise DomainError(_("Vul een datum in tussen de ontvangst van het verzoek en vandaag."), field="decided_on")
    if len(reason.strip()) < MIN_REASON:
        raise DomainError(_("Motiveer de beslissing."), field="reason")
    if decision == DestructionRequest.Decision.GRANTED and len(follow_up.strip()) < MIN_REASON:
        raise DomainError(
            _("Beschrijf wat er vernietigd wordt en wie dat doet. Keten verwijdert notities niet zelf."),
            field="follow_up",
        )
    with transaction.atomic():
        request.decision = decision
        request.decided_on = decided_on
        request.decided_by = actor.user
        request.reason = reason.strip()
        request.follow_up = follow_up.strip() or None
        request.save(update_fields=["decision", "decided_on", "decided_by", "reason", "follow_up"])
        _audit(actor, request.dossier, AuditAction.UPDATE, "destruction", request.pk, decision=decision)
    return request


def destruction_carried_out(
    *, actor: Actor, request: DestructionRequest, carried_out_on: date | None
) -> DestructionRequest:
    """Mark a granted request as carried out. The log keeps only the fact and the date."""
    require_case_team(actor, request.dossier)
    if request.decision != DestructionRequest.Decision.GRANTED:
        raise DomainError(_("Alleen een toegewezen verzoek kan worden uitgevoerd."))
    if request.carried_out_on is not None:
        raise DomainError(_("Dit verzoek is al uitgevoerd."))
    if (
        carried_out_on is None
        or carried_out_on > timezone.localdate()
        or (request.decided_on is not None and carried_out_on < request.decided_on)
    ):
        raise DomainError(_("Vul een datum in tussen de beslissing en vandaag."), field="carried_out_on")
    with transaction.atomic():
        request.carried_out_on = carried_out_on
        request.save(update_fields=["carried_out_on"])
        _audit(actor, request.dossier, AuditAction.DELETE, "destruction", request.pk, carried_out=True)
    return request
