"""Pages of agreements: "my agreements" (overdue ones flagged, and those of the overleggen the actor
chairs), one agreement with its history, changing it and closing it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from keten.core.access import check, requires
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.listing import list_context
from keten.core.pages import or_404, submit, version_of
from keten.core.paths import pk_path
from keten.overleg.agreements import selectors, services
from keten.overleg.agreements.forms import AgreementCloseForm, AgreementUpdateForm, owner_choices
from keten.overleg.models import Agreement, AgreementStatus, AgreementVersion
from keten.overleg.pages import CASES, acting, conflict_message

#: Agreements per page of "Mijn afspraken", and overdue ones of chaired overleggen shown below them.
AGREEMENTS_PAGE_SIZE = 25
CHAIRED_OVERDUE_SHOWN = 25

#: Names of the changed fields in an agreement's history, in Dutch.
FIELD_LABELS = {
    "what": _l("afspraak"),
    "due_on": _l("datum"),
    "owner": _l("wie"),
    "status": _l("status"),
    "result": _l("resultaat"),
}


@dataclass(frozen=True)
class VersionLine:
    """One change in an agreement's history, with the names of the fields it changed in Dutch."""

    version: AgreementVersion
    field_labels: list[str]


@requires(CASES)
@require_GET
def my_agreements(request: HttpRequest) -> HttpResponse:
    """Open agreements of the actor (as a person or through the organisation), overdue ones flagged."""
    actor = acting(request)
    today = timezone.localdate()
    listing = replace(selectors.MY_AGREEMENTS, page_size=AGREEMENTS_PAGE_SIZE).parse(request.GET)
    found = selectors.my_agreements_page(actor=actor, listing=listing, today=today)
    chaired = selectors.overdue_agreement_lines(actor=actor, today=today, limit=CHAIRED_OVERDUE_SHOWN, others_only=True)
    agreement_path = pk_path("overleg:agreement")
    for line in (*found.rows, *chaired):
        line.url = agreement_path(line.pk)
    htmx = getattr(request, "htmx", False)
    return render(
        request,
        "overleg/_my_agreement_rows.html" if htmx else "overleg/my_agreements.html",
        {
            "agreements": found.rows,
            "total": found.total,
            "listing": list_context(listing, found.page, url=reverse("overleg:my_agreements"), target_id="afspraken"),
            "overdue_count": found.overdue,
            "chaired_overdue": chaired,
            "chaired_shown": CHAIRED_OVERDUE_SHOWN,
            "today": today,
        },
    )


def agreement_owners(agreement: Agreement) -> list[Any]:
    """The owner choices of an agreement's change form."""
    return owner_choices(*selectors.agreement_owner_candidates(agreement))


def _owner_value(agreement: Agreement) -> str:
    if agreement.owner_user_id:
        return f"u{agreement.owner_user_id}"
    return f"o{agreement.owner_organisation_id}" if agreement.owner_organisation_id else ""


def _agreement_page(
    request: HttpRequest,
    pk: int,
    *,
    update_form: AgreementUpdateForm | None = None,
    close_form: AgreementCloseForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = acting(request)
    agreement = or_404(selectors.agreement_get, actor=actor, pk=pk)
    versions = [
        VersionLine(v, [str(FIELD_LABELS.get(f, f)) for f in v.fields]) for v in selectors.agreement_versions(agreement)
    ]
    is_open = agreement.status == AgreementStatus.OPEN
    if update_form is not None and error:
        # After a conflict the form keeps what the person typed, against the version now stored.
        data = dict(update_form.data.items())
        data[update_form.add_prefix("version")] = str(agreement.version)
        update_form = AgreementUpdateForm(data, prefix="u", owners=agreement_owners(agreement))
        update_form.is_valid()
    if close_form is not None and error:
        data = dict(close_form.data.items())
        data[close_form.add_prefix("version")] = str(agreement.version)
        close_form = AgreementCloseForm(data, prefix="c")
        close_form.is_valid()
    return render(
        request,
        "overleg/agreement.html",
        {
            "agreement": agreement,
            "registration": agreement.registration,
            "versions": versions,
            "is_open": is_open,
            "overdue": is_open and agreement.due_on < timezone.localdate(),
            "update_form": (
                update_form
                or AgreementUpdateForm(
                    prefix="u",
                    initial={
                        "what": agreement.what,
                        "owner": _owner_value(agreement),
                        "due_on": agreement.due_on,
                        "version": agreement.version,
                    },
                    owners=agreement_owners(agreement),
                )
            )
            if is_open
            else None,
            "close_form": (close_form or AgreementCloseForm(prefix="c", initial={"version": agreement.version}))
            if is_open
            else None,
            "error": error,
        },
        status=status,
    )


@requires(CASES)
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, pk)


def _update(actor: Actor, agreement: Agreement, form: AgreementUpdateForm) -> Agreement:
    owner_user_id, owner_organisation_id = form.owner_ids()
    if owner_user_id is None and owner_organisation_id is None:
        raise DomainError(_("Kies wie de afspraak uitvoert: een persoon of een organisatie."), field="owner")
    return services.agreement_update(
        actor=actor,
        agreement=agreement,
        expected_version=version_of(form),
        what=form.cleaned_data["what"],
        due_on=form.cleaned_data.get("due_on"),
        owner_user_id=owner_user_id,
        owner_organisation_id=owner_organisation_id,
    )


@requires(CASES)
@require_POST
def agreement_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    agreement = or_404(selectors.agreement_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.change_agreement", agreement)
    form = AgreementUpdateForm(request.POST, prefix="u", owners=agreement_owners(agreement))
    outcome = submit(form, lambda _d: _update(actor, agreement, form))
    if outcome.ok:
        messages.success(request, _("De afspraak is gewijzigd."))
        return redirect("overleg:agreement", pk=pk)
    return _agreement_page(request, pk, update_form=form, error=conflict_message(outcome), status=outcome.status)


@requires(CASES)
@require_POST
def agreement_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    agreement = or_404(selectors.agreement_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.change_agreement", agreement)
    form = AgreementCloseForm(request.POST, prefix="c")
    outcome = submit(
        form,
        lambda d: services.agreement_close(
            actor=actor, agreement=agreement, expected_version=version_of(form), result=d["result"], status=d["status"]
        ),
    )
    if outcome.ok:
        messages.success(request, _("De afspraak is afgerond."))
        return redirect("overleg:agreement", pk=pk)
    return _agreement_page(request, pk, close_form=form, error=conflict_message(outcome), status=outcome.status)
