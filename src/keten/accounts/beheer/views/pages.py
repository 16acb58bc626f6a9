"""What the beheer pages share: the form page, the confirmation page, and a secret shown once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from keten.core.pages import Outcome, confirmed

SECRET_SESSION_KEY = "keten_beheer_secret"  # noqa: S105 (a session key, not a secret)
USER_LIST_LIMIT = 200
#: The confirmation page (``keten/confirm.html``) with the beheer breadcrumb.
CONFIRM_TEMPLATE = "accounts/beheer/confirm.html"


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
    outcome: Outcome[Any] | None = None,
) -> HttpResponse:
    """The form again: 200 on GET; on POST 422, or 409 with the message above the form when someone
    else changed the record meanwhile."""
    status = 200
    if request.method == "POST":
        status = outcome.status if outcome is not None and not outcome.ok else 422
        if outcome is not None and outcome.conflict:
            form.add_error(None, outcome.error)
    context = {"form": form, "title": title, "submit_label": submit, "back_url": back, "intro": intro}
    return render(request, "accounts/beheer/form.html", context, status=status)


def confirm_page(
    request: HttpRequest,
    *,
    run: Callable[[], Any],
    success: Callable[[], str],
    back: str,
    title: str,
    text: str,
    submit: str,
    danger: bool = False,
) -> HttpResponse:
    """GET asks "are you sure?"; POST runs the service and returns to ``back`` with its message."""
    return confirmed(
        request,
        run=run,
        success=success,
        back=back,
        title=title,
        text=text,
        submit=submit,
        danger=danger,
        template=CONFIRM_TEMPLATE,
    )


def keep_secret(request: HttpRequest, kind: str, pk: int, value: str) -> None:
    request.session[SECRET_SESSION_KEY] = {"kind": kind, "pk": pk, "value": value}


def pop_secret(request: HttpRequest, kind: str, pk: int) -> str | None:
    secret = request.session.get(SECRET_SESSION_KEY)
    if not secret or secret.get("kind") != kind or secret.get("pk") != pk:
        return None
    del request.session[SECRET_SESSION_KEY]
    return str(secret["value"])


def no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response
