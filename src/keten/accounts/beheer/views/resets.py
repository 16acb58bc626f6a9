"""Beheer pages for resetting an account: the reset itself, and the four-eyes requests.

A reset never shows a password or a link to the beheerder: the link goes by e-mail to the address on
the account (``keten.accounts.login.setup_links``). The rules are in ``keten.accounts.services.resets`` and the
policy (``accounts.manage_account``, ``accounts.view_reset_request``, ``accounts.decide_reset`` in
``keten.accounts.rules``), asked through ``keten.core.access``; anything outside the beheerder's
scope answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts import selectors
from keten.accounts.beheer.forms import AccountResetForm, ResetDeclineForm
from keten.accounts.models import ResetRequest, User
from keten.accounts.services import resets
from keten.core.access import check, may, requires
from keten.core.actor import actor_from_request
from keten.core.pages import ConfirmForm, attempt, data_of, submit


def _reset_done_message(request: HttpRequest, person: User, outcome: object) -> None:
    if isinstance(outcome, ResetRequest):
        messages.success(
            request,
            _(
                "Het herstelverzoek is ingediend. %(name)s kan cliëntgegevens zien (of is functioneel beheerder); "
                "daarom moet een andere functioneel beheerder het eerst goedkeuren."
            )
            % {"name": person},
        )
    else:
        messages.success(
            request,
            _(
                "Het account van %(name)s is hersteld. Een instellink (24 uur geldig) is gestuurd naar %(email)s; "
                "daarmee kiest de medewerker zelf een nieuw wachtwoord en een nieuwe app."
            )
            % {"name": person, "email": person.email},
        )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    person = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", person)
    back = reverse("accounts:beheer_user", args=[person.pk])
    form = AccountResetForm(data_of(request))
    if request.method == "POST":
        outcome = submit(form, lambda data: resets.account_reset(actor=actor, user=person, reason=data["reason"]))
        if outcome.ok:
            _reset_done_message(request, person, outcome.value)
            return redirect(back)
    context = {
        "form": form,
        "person": person,
        "back_url": back,
        "four_eyes": resets.needs_four_eyes(person),
        "is_self": person.pk == request.user.pk,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/beheer/user_reset.html", context, status=status)


@requires("accounts.manage")
@require_GET
def reset_request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    requests = selectors.reset_requests_for_beheer(actor=actor)
    return render(request, "accounts/beheer/reset_request_list.html", {"reset_requests": requests})


def _request_page(
    request: HttpRequest,
    reset_request: ResetRequest,
    *,
    decline_form: ResetDeclineForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = actor_from_request(request)
    person = reset_request.user
    context = {
        "reset_request": reset_request,
        "person": person,
        "email_changes": selectors.email_changes_for_beheer(actor=actor, user=person),
        "email_changed_since": person.email.lower() != reset_request.email.lower(),
        "may_decide": may(request, "accounts.decide_reset", reset_request),
        "is_requester": reset_request.requested_by_id == request.user.pk,
        "approve_form": ConfirmForm(),
        "decline_form": decline_form or ResetDeclineForm(),
        "error": error,
        "memberships": selectors.user_memberships_for_beheer(actor=actor, user=person),
    }
    return render(request, "accounts/beheer/reset_request_detail.html", context, status=status)


@requires("accounts.manage")
@require_GET
def reset_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reset_request = selectors.reset_request_for_beheer(actor=actor_from_request(request), pk=pk)
    check(request, "accounts.view_reset_request", reset_request)
    return _request_page(request, reset_request)


@requires("accounts.manage")
@require_POST
def reset_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    reset_request = selectors.reset_request_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.view_reset_request", reset_request)
    outcome = attempt(lambda: resets.reset_request_approve(actor=actor, reset_request=reset_request))
    if not outcome.ok:
        reset_request.refresh_from_db()
        return _request_page(request, reset_request, error=outcome.error, status=422)
    messages.success(
        request,
        _("U heeft het verzoek goedgekeurd. Een instellink is gestuurd naar %(email)s.")
        % {"email": reset_request.email},
    )
    return redirect("accounts:beheer_reset_requests")


@requires("accounts.manage")
@require_POST
def reset_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    reset_request = selectors.reset_request_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.view_reset_request", reset_request)
    form = ResetDeclineForm(request.POST)
    if not form.is_valid():
        return _request_page(request, reset_request, decline_form=form, status=422)
    reason = form.cleaned_data["reason"]
    outcome = attempt(lambda: resets.reset_request_decline(actor=actor, reset_request=reset_request, reason=reason))
    if not outcome.ok:
        reset_request.refresh_from_db()
        return _request_page(request, reset_request, decline_form=form, error=outcome.error, status=422)
    messages.success(request, _("Het verzoek is afgewezen. Er is niets aan het account veranderd."))
    return redirect("accounts:beheer_reset_requests")
