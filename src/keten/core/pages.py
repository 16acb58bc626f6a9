"""The shape every page that changes something shares: load → validate → call the service → show.

A view loads what it acts on through a selector (:func:`or_404`), binds its form, and hands the
service call to :func:`submit` (with a form) or :func:`attempt` (a button without fields). Both
turn the errors of the service layer into what the page shows, in one way:

- :class:`~keten.core.errors.NotFoundError` becomes ``Http404`` (a thing the actor may not see does
  not exist for them);
- :class:`~keten.core.errors.ConflictError` (someone changed it meanwhile) gives status 409 with the
  message above the form;
- any other :class:`~keten.core.errors.DomainError` is shown next to the field it names, or above
  the form, with status 422;
- an invalid form gives 422 without calling the service.

The view then redirects on success (POST-redirect-GET) or re-renders the page with
``outcome.status`` and ``outcome.error``. :func:`confirmed` is the one confirmation page: GET asks,
POST runs the service and returns to where the user came from with a message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keten.core import audit
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.forms import KetenForm, apply_domain_error
from keten.core.memo import reading

T = TypeVar("T")

#: The template of :func:`confirmed`; a page may pass its own that extends it.
CONFIRM_TEMPLATE = "keten/confirm.html"


def or_404(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a selector; what it does not find (or the actor may not see) answers 404."""
    try:
        return fn(**kwargs)
    except NotFoundError as exc:
        raise Http404 from exc


def data_of(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so a form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def version_of(form: forms.Form, field: str = "version") -> int | None:
    """The row version an edit form was opened with (its hidden ``version`` field), if any."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return None
    value = form.cleaned_data.get(field)
    return int(value) if value is not None else None


def posted_version(request: HttpRequest, field: str = "version") -> int | None:
    """The row version a button-only form posted (digits only; anything else counts as absent)."""
    value = request.POST.get(field, "")
    return int(value) if value.isdigit() else None


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What came of a page's action: the service's result, or why it was refused."""

    ok: bool
    value: T | None = None
    status: int = 200
    error: str = ""

    @property
    def conflict(self) -> bool:
        return self.status == 409


def _refused(exc: DomainError, form: forms.Form | None) -> Outcome[Any]:
    status = 409 if isinstance(exc, ConflictError) else 422
    if form is not None and not isinstance(exc, ConflictError):
        apply_domain_error(form, exc)
    return Outcome(ok=False, status=status, error=exc.message)


def submit(form: forms.Form, call: Callable[[dict[str, Any]], T]) -> Outcome[T]:
    """Validate ``form``; when valid, call the service with its cleaned data and map its errors.

    A conflict (409) leaves the form as it was, so what the user typed is shown again with the
    message; another refusal (422) is put on the form next to the field it names.
    """
    if not form.is_valid():
        return Outcome(ok=False, status=422)
    try:
        value = call(form.cleaned_data)
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _refused(exc, form)
    return Outcome(ok=True, value=value)


def attempt(call: Callable[[], T]) -> Outcome[T]:
    """Call a service for a button without fields and map its errors (the message in ``error``)."""
    try:
        value = call()
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _refused(exc, None)
    return Outcome(ok=True, value=value)


class ConfirmForm(KetenForm):
    """A confirmation without fields: the button is the answer."""


def confirmed(
    request: HttpRequest,
    *,
    run: Callable[[], Any],
    success: Callable[[], str] | str,
    back: str,
    title: str,
    text: str,
    submit: str,
    form: forms.Form | None = None,
    danger: bool = False,
    template: str = CONFIRM_TEMPLATE,
    extra: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """GET asks "are you sure?"; POST runs the service and returns to ``back`` with its message.

    A refusal is shown as an error message on the page it returns to; nothing is written then.
    """
    if request.method == "POST":
        outcome = attempt(run)
        if outcome.ok:
            messages.success(request, success() if callable(success) else success)
        else:
            messages.error(request, outcome.error)
        return redirect(back)
    context = {
        "form": form or ConfirmForm(),
        "title": title,
        "text": text,
        "submit_label": submit,
        "back_url": back,
        "danger": danger,
        **(extra or {}),
    }
    return render(request, template, context)


def read_only_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that reads through several selectors and changes nothing: on GET and HEAD its audit
    events are written in one append (:func:`keten.core.audit.batched`) and the policy's answers
    about the user are asked once (:func:`keten.core.memo.reading`). Put it below ``@requires``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with audit.batched(), reading():
            return view(request, *args, **kwargs)

    return wrapped
