"""Pages of one case at a meeting (an agenda item): the discussion record, the agreements made there, and
the chair taking the case off a planned meeting's agenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keten.core.access import may, requires
from keten.core.pages import or_404, submit
from keten.overleg.agreements import services as agreement_services
from keten.overleg.agreements.forms import AgreementForm, owner_choices
from keten.overleg.agreements.selectors import owner_candidates
from keten.overleg.discussions import services
from keten.overleg.discussions.forms import DiscussionForm
from keten.overleg.meetings import services as meeting_services
from keten.overleg.meetings.forms import RemoveFromAgendaForm
from keten.overleg.meetings.selectors import agenda_item_get
from keten.overleg.models import AgendaItem, AgendaState, AgreementStatus, MeetingStatus, RegistrationStatus
from keten.overleg.pages import CASES, acting
from keten.overleg.registrations.forms import CasusregisseurForm
from keten.overleg.registrations.selectors import registration_detail
from keten.overleg.selectors import case_people


def _owners(item: AgendaItem) -> list[Any]:
    return owner_choices(*owner_candidates(item=item))


def _item_page(
    request: HttpRequest,
    pk: int,
    *,
    discussion_form: DiscussionForm | None = None,
    agreement_form: AgreementForm | None = None,
    remove_form: RemoveFromAgendaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = acting(request)
    # The read of the case is audited once, by registration_detail.
    item = or_404(agenda_item_get, actor=actor, pk=pk, audit_read=False)
    detail = or_404(registration_detail, actor=actor, pk=item.registration_id)
    registration = detail.registration
    meeting = item.meeting
    owners = _owners(item)
    people = case_people(
        meeting_ids=[meeting.pk],
        user_ids=[registration.registered_by_id, registration.casusregisseur_id, meeting.overleg_type.chair_id],
    )
    may_record = meeting.status != MeetingStatus.CANCELLED and item.state == "on_agenda"
    return render(
        request,
        "overleg/item.html",
        {
            "item": item,
            "meeting": meeting,
            "detail": detail,
            "registration": registration,
            "entries": [e for e in detail.discussion if e.agenda_item_id == item.pk],
            "earlier": [e for e in detail.discussion if e.agenda_item_id != item.pk],
            "open_agreements": [a for a in detail.agreements if a.status == AgreementStatus.OPEN],
            "closed_agreements": [a for a in detail.agreements if a.status != AgreementStatus.OPEN],
            "may_record": may_record,
            "may_agree": may_record and registration.status == RegistrationStatus.TOEGELATEN,
            "discussion_form": discussion_form or DiscussionForm(prefix="d"),
            "agreement_form": agreement_form or AgreementForm(prefix="a", owners=owners),
            "regisseur_form": CasusregisseurForm(
                prefix="regie",
                initial={"version": registration.version, "casusregisseur": registration.casusregisseur_id},
                people=people,
            )
            if registration.status == RegistrationStatus.TOEGELATEN
            else None,
            "remove_form": (remove_form or RemoveFromAgendaForm(prefix="rm"))
            if item.state == AgendaState.ON_AGENDA
            and meeting.status == MeetingStatus.PLANNED
            and may(request, "overleg.manage_meeting", meeting)
            else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@requires(CASES)
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, pk)


@requires(CASES)
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair takes a case off a planned meeting's agenda, with a reason (the history stays)."""
    actor = acting(request)
    item = or_404(agenda_item_get, actor=actor, pk=pk, permission="overleg.manage_meeting", audit_read=False)
    form = RemoveFromAgendaForm(request.POST, prefix="rm")
    outcome = submit(form, lambda d: meeting_services.agenda_item_remove(actor=actor, item=item, reason=d["reason"]))
    if outcome.ok:
        messages.success(request, _("De casus is van de agenda gehaald."))
        return redirect("overleg:meeting", pk=item.meeting_id)
    return _item_page(request, pk, remove_form=form, status=422)


@requires(CASES)
@require_POST
def item_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    item = or_404(agenda_item_get, actor=actor, pk=pk, audit_read=False)
    form = DiscussionForm(request.POST, prefix="d")
    outcome = submit(form, lambda _d: services.discussion_record(actor=actor, item=item, data=form.data_object()))
    if outcome.ok:
        messages.success(request, _("Het verslag van de bespreking is vastgelegd."))
        return redirect("overleg:item", pk=pk)
    return _item_page(request, pk, discussion_form=form, status=422)


@requires(CASES)
@require_POST
def item_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    item = or_404(agenda_item_get, actor=actor, pk=pk, audit_read=False)
    form = AgreementForm(request.POST, prefix="a", owners=_owners(item))

    def create(data: dict[str, Any]) -> Any:
        owner_user_id, owner_organisation_id = form.owner_ids()
        return agreement_services.agreement_create(
            actor=actor,
            item=item,
            what=data["what"],
            due_on=data.get("due_on"),
            owner_user_id=owner_user_id,
            owner_organisation_id=owner_organisation_id,
        )

    outcome = submit(form, create)
    if outcome.ok:
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect("overleg:item", pk=pk)
    return _item_page(request, pk, agreement_form=form, status=422)
