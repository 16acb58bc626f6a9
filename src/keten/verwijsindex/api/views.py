"""Verwijsindex API for source systems: register and withdraw signals, read them, hear of matches.

The same services, policy and audit as the pages. Every view states its ``policy`` and is checked by
:class:`~keten.core.access.PolicyPermission`; a system token reaches a permission only through the
``system_scope`` registrations of ``keten.verwijsindex.rules``: it acts for its organisation and needs
the ``verwijsindex:write`` scope to register or withdraw and ``verwijsindex:read`` to read (its
signals, the feed, its webhooks). Webhooks are for system tokens only.
A registration is in the name of a professional: the system names them in the ``Keten-Professional``
header (user id or e-mail; an active case-role member of its organisation, checked by
:mod:`keten.accounts.acting`). The body fields ``professional`` and ``professional_email`` are kept for
existing clients (deprecated; one professional per row of a bulk call) and go through the same
check. A verified session of a professional with a case role registers in their own name. Whatever
the caller may not see answers 404, also a token without the scope.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.api.acting import PROFESSIONAL_PARAMETER, api_actor
from keten.core.access import PolicyPermission
from keten.core.actor import Actor, actor_from_request
from keten.core.api.errors import error_body, field_errors
from keten.core.errors import DomainError, NotFoundError
from keten.verwijsindex import selectors, services, webhooks
from keten.verwijsindex.api import serializers as s
from keten.verwijsindex.models import SignalStatus
from keten.verwijsindex.rules import READ_SCOPE, WRITE_SCOPE

WRITE = str(WRITE_SCOPE)
READ = str(READ_SCOPE)
#: The gates of the API (which signal: ``verwijsindex.view_signal`` / ``change_signal``).
VIEW = "verwijsindex.view_signals"
FEED = "verwijsindex.view_feed"
REGISTER = "verwijsindex.register"
WEBHOOKS = "verwijsindex.manage_webhooks"
TAGS = ["verwijsindex"]
PAGE_SIZE = 100
MAX_PK = 2**63 - 1
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="System tokens: the same key again returns the first result instead of a second signal. "
    "In a bulk call each row without its own key gets `<key>-<index>`.",
)
_ERROR = OpenApiResponse(description="Uniform error: status, code, detail (Dutch), errors per field, request_id.")
_CONFIRM = OpenApiResponse(
    description="confirm_identity: without a BSN a young person with the same name and date of birth is known. "
    "The body has `candidates` (how many); send again with confirm_same_youth or confirm_new_youth."
)
AUTH_TEXT = (
    " A system token needs the `{scope}` scope and acts for its own organisation; a verified session acts for "
    "the professional. Every call is audited."
)


def _actor(request: Request) -> Actor:
    """The caller: a session's professional, or a system acting for its organisation (the policy
    answered already whether it may use the endpoint)."""
    return actor_from_request(request)


def _registering_actor(request: Request) -> Actor:
    """Who registers: a session's professional, or a system (acting for the professional in the
    ``Keten-Professional`` header, if it names one; otherwise each row names its professional)."""
    return api_actor(request, scope=WRITE, professional="optional")


def _pk(value: Any) -> int:
    pk = int(value)
    if not 0 < pk <= MAX_PK:
        raise NotFoundError
    return pk


def _signal_data(row: selectors.SignalWithMatches) -> dict[str, Any]:
    signal = row.signal
    return {
        "id": signal.pk,
        "status": signal.status,
        "registered_on": signal.registered_on,
        "active_until": signal.active_until,
        "ended_on": signal.ended_on,
        "end_reason": signal.end_reason,
        "organisation": {"id": signal.organisation_id, "name": signal.organisation.name},
        "professional": {
            "id": signal.professional_id,
            "name": signal.professional.get_full_name() or signal.professional.get_username(),
        },
        "contact_phone": signal.contact_phone,
        "contact_email": signal.contact_email,
        "idempotency_key": signal.idempotency_key,
        "matches": [
            {
                "id": match.pk,
                "kind": match.kind,
                "status": match.status,
                "coordinator_signal": match.coordinator_id,
                "contact_due": match.contact_due,
            }
            for match in row.matches
        ],
    }


def _registration(actor: Actor, data: dict[str, Any], key: str, professional_id: int | None) -> services.Registration:
    return services.Registration(
        identity=services.Identity(
            date_of_birth=data["date_of_birth"],
            bsn=data.get("bsn", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            parent_bsns=list(data.get("parent_bsns", [])),
        ),
        risk_categories=list(data["risk_categories"]),
        criteria_confirmed=data["criteria_confirmed"],
        parents_informed_on=data.get("parents_informed_on"),
        youth_informed_on=data.get("youth_informed_on"),
        notice_postponed=data.get("notice_postponed", False),
        postpone_motivation=data.get("postpone_motivation", ""),
        contact_phone=data.get("contact_phone", ""),
        contact_email=data.get("contact_email", ""),
        confirm_new_youth=data.get("confirm_new_youth", False),
        confirm_same_youth=data.get("confirm_same_youth", False),
        professional_id=professional_id,
        idempotency_key=key if actor.api_client is not None else "",
    )


def _register(actor: Actor, data: dict[str, Any], key: str) -> services.RegistrationResult:
    """One registration (its own transaction); concurrent duplicates answer like sequential ones."""
    professional = services.professionals_named(actor=actor, names=[_named(data)])[0]
    if isinstance(professional, DomainError):
        raise professional
    return services.signal_register_idempotent(actor=actor, data=_registration(actor, data, key, professional))


def _created_payload(result: services.RegistrationResult) -> dict[str, Any]:
    return {
        **_signal_data(selectors.signal_written(signal=result.signal)),
        "created": result.created,
        "history": result.history,
    }


def _header_key(request: Request) -> str:
    key = str(request.headers.get("Idempotency-Key", "")).strip()
    if len(key) > 80:
        raise DomainError(_("De Idempotency-Key is te lang (hoogstens 80 tekens)."), field="Idempotency-Key")
    return key


class VerwijsindexAPIView(APIView):
    permission_classes = [PolicyPermission]
    #: Each view states its own; without one, every request is refused.
    policy: str | dict[str, str] = ""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.IdentityConfirmationError):
            body = error_body(exc.status_code, exc.code, exc.message, {"identity": [exc.message]})
            body["candidates"] = len(exc.candidates)  # how many, never who
            return Response(body, status=exc.status_code)
        return super().handle_exception(exc)


class SignalListView(VerwijsindexAPIView):
    policy = {"GET": VIEW, "POST": REGISTER}

    @extend_schema(
        operation_id="verwijsindex_signals_list",
        tags=TAGS,
        description="Your signals (a system token: your organisation's) with the live matches they are in. "
        "No identity of the young person is returned." + AUTH_TEXT.format(scope=f"{READ}` or `{WRITE}"),
        parameters=[
            OpenApiParameter("status", str, enum=[*SignalStatus.values, ""]),
            OpenApiParameter("page", int),
        ],
        responses={200: s.ViSignalPageSerializer, 404: _ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        try:
            page = min(max(1, int(request.query_params.get("page", 1))), 10_000)
        except (TypeError, ValueError):
            page = 1
        found = selectors.signals_page(actor=actor, status=str(request.query_params.get("status", "")), page=page)
        return Response({"count": found.count, "page": found.page, "results": [_signal_data(r) for r in found.rows]})

    @extend_schema(
        operation_id="verwijsindex_signals_create",
        tags=TAGS,
        description="Register that a professional is involved with a young person; matching happens at once "
        "and the live matches are in the answer (201; 200 when the idempotency key was used before)."
        + AUTH_TEXT.format(scope=WRITE),
        request=s.ViSignalCreateSerializer,
        parameters=[IDEMPOTENCY_HEADER, PROFESSIONAL_PARAMETER],
        responses={
            201: s.ViSignalCreatedSerializer,
            200: s.ViSignalCreatedSerializer,
            400: _ERROR,
            403: _ERROR,
            404: _ERROR,
            409: _CONFIRM,
        },
    )
    def post(self, request: Request) -> Response:
        actor = _registering_actor(request)
        serializer = s.ViSignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = str(data.get("idempotency_key") or "").strip() or _header_key(request)
        result = _register(actor, data, key)
        return Response(
            _created_payload(result), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


class SignalBulkView(VerwijsindexAPIView):
    policy = REGISTER

    @extend_schema(
        operation_id="verwijsindex_signals_bulk",
        tags=TAGS,
        description="Register up to 1,000 signals. Each row gets its own result (created, existing or error "
        "with the errors per field); good rows are kept, a bad row changes nothing." + AUTH_TEXT.format(scope=WRITE),
        request=s.ViBulkSignalSerializer,
        parameters=[IDEMPOTENCY_HEADER, PROFESSIONAL_PARAMETER],
        responses={200: s.ViBulkResultSerializer, 400: _ERROR, 404: _ERROR},
    )
    def post(self, request: Request) -> Response:
        actor = _registering_actor(request)
        outer = s.ViBulkSignalSerializer(data=request.data)
        outer.is_valid(raise_exception=True)
        with services.gc_paused():
            return self._register_rows(actor, request, outer.validated_data["signals"])

    def _register_rows(self, actor: Actor, request: Request, signals: list[dict[str, Any]]) -> Response:
        header_key = _header_key(request)
        results: list[dict[str, Any] | None] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        # One serializer validates every row (its fields are built once, not per row).
        validator = s.ViSignalCreateSerializer()
        for index, row in enumerate(signals):
            try:
                data = validator.run_validation(row)
            except ValidationError as exc:
                results.append(_row_result(index, "error", code="invalid", errors=field_errors(exc.detail)))
            else:
                results.append(None)
                valid.append((index, data))
        professionals = services.professionals_named(actor=actor, names=[_named(data) for _i, data in valid])
        positions: list[int] = []
        registrations: list[services.Registration] = []
        for (index, data), professional in zip(valid, professionals, strict=True):
            if isinstance(professional, DomainError):
                results[index] = _error_result(index, professional)
                continue
            key = str(data.get("idempotency_key") or "").strip() or (f"{header_key}-{index}" if header_key else "")
            positions.append(index)
            registrations.append(_registration(actor, data, key, professional))
        outcomes = services.signals_register_bulk(actor=actor, registrations=registrations) if registrations else []
        for index, outcome in zip(positions, outcomes, strict=True):
            if outcome.error is not None:
                results[index] = _error_result(index, outcome.error)
            else:
                assert outcome.signal is not None
                results[index] = _row_result(
                    index, outcome.status, signal=outcome.signal.pk, matches=[m.pk for m in outcome.matches]
                )
        rows = [r for r in results if r is not None]
        counts = {k: sum(1 for r in rows if r["status"] == k) for k in ("created", "existing", "error")}
        return Response(
            {
                "created": counts["created"],
                "existing": counts["existing"],
                "failed": counts["error"],
                "results": rows,
            }
        )


def _row_result(
    index: int,
    status: str,
    *,
    signal: int | None = None,
    matches: list[int] | None = None,
    code: str = "",
    errors: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "index": index,
        "signal": signal,
        "matches": matches or [],
        "code": code,
        "errors": errors or {},
        "status": status,
    }


def _error_result(index: int, exc: DomainError) -> dict[str, Any]:
    if isinstance(exc, services.IdentityConfirmationError):
        errors = {"identity": [exc.message], "candidates": [str(len(exc.candidates))]}
    else:
        errors = {exc.field or "non_field_errors": [exc.message]}
    return _row_result(index, "error", code=exc.code, errors=errors)


def _named(data: dict[str, Any]) -> tuple[str, str] | None:
    """The professional a row names in the deprecated body fields (``professional``: user id,
    ``professional_email``), checked by :func:`~keten.verwijsindex.services.professionals_named`."""
    if data.get("professional") is not None:
        return "professional", str(data["professional"])
    if data.get("professional_email"):
        return "professional_email", str(data["professional_email"])
    return None


class SignalDetailView(VerwijsindexAPIView):
    policy = {"GET": VIEW, "DELETE": REGISTER}

    @extend_schema(
        operation_id="verwijsindex_signals_retrieve",
        tags=TAGS,
        description="One of your (organisation's) signals and its live matches."
        + AUTH_TEXT.format(scope=f"{READ}` or `{WRITE}"),
        responses={200: s.ViSignalSerializer, 404: _ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        row = selectors.signal_read(actor=actor, signal_id=_pk(pk))
        return Response(_signal_data(row))

    @extend_schema(
        operation_id="verwijsindex_signals_withdraw",
        tags=TAGS,
        description="Withdraw an active signal of your organisation (a professional: their own). It moves to "
        "the archive and its matches without another pair end." + AUTH_TEXT.format(scope=WRITE),
        responses={200: s.ViSignalSerializer, 404: _ERROR},
    )
    def delete(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        found = selectors.signal_answered_for(actor=actor, signal_id=_pk(pk), permission="verwijsindex.change_signal")
        signal = services.signal_withdraw(actor=actor, signal_id=found.pk)
        return Response(_signal_data(selectors.signal_written(signal=signal)))


class FeedView(VerwijsindexAPIView):
    policy = FEED

    @extend_schema(
        operation_id="verwijsindex_feed",
        tags=TAGS,
        description="Match events of your organisation (new match, professional added, match ended) after the "
        "cursor, oldest first: ids, kind, status and the professionals' names, organisations and contact "
        "details — never the young person's identity. Poll with `after` = `next_cursor`. An event is listed "
        f"once it is {webhooks.FEED_SETTLE_SECONDS} seconds old. A session sees the events of its own matches."
        + AUTH_TEXT.format(scope=READ),
        parameters=[
            OpenApiParameter("after", int, description="The last event id seen (0 for the start)"),
            OpenApiParameter("limit", int, description=f"At most {webhooks.FEED_MAX_LIMIT} (default 100)"),
        ],
        responses={200: s.ViFeedPageSerializer, 400: _ERROR, 404: _ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        values: dict[str, int] = {}
        for name, default in (("after", 0), ("limit", 100)):
            try:
                values[name] = int(request.query_params.get(name, default))
            except (TypeError, ValueError) as exc:
                raise DomainError(_("Vul een geheel getal in."), field=name) from exc
            if not 0 <= values[name] <= MAX_PK:
                raise DomainError(_("Vul een getal van 0 of meer in."), field=name)
        page = webhooks.feed_page(actor=actor, after=values["after"], limit=values["limit"])
        return Response(
            {
                "next_cursor": page.next_cursor,
                "has_more": page.has_more,
                "results": [webhooks.event_body(e) for e in page.events],
            }
        )


class WebhookListView(VerwijsindexAPIView):
    policy = WEBHOOKS

    @extend_schema(
        operation_id="verwijsindex_webhooks_list",
        tags=TAGS,
        description="Your active webhooks. System tokens with `verwijsindex:read` only.",
        responses={200: s.ViWebhookSerializer(many=True), 404: _ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        subs = webhooks.subscriptions_list(actor=actor)
        return Response(s.ViWebhookSerializer(subs, many=True).data)

    @extend_schema(
        operation_id="verwijsindex_webhooks_create",
        tags=TAGS,
        description="Register a public https address (every address its name resolves to must be public; checked "
        "again before every call, which goes to the checked address and never follows a redirect) that receives "
        "your organisation's match events as a POST with "
        "the event as JSON (as in the feed), headers X-Keten-Event, X-Keten-Delivery, X-Keten-Timestamp and "
        "X-Keten-Signature: `sha256=` + hex HMAC-SHA256 with your secret of `<timestamp>.<body>`. Answer 2xx "
        "within the timeout; otherwise it is retried with increasing waits. System tokens only.",
        request=s.ViWebhookCreateSerializer,
        responses={201: s.ViWebhookSerializer, 400: _ERROR, 404: _ERROR},
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        serializer = s.ViWebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sub = webhooks.subscription_create(
            actor=actor, url=serializer.validated_data["url"], secret=serializer.validated_data["secret"]
        )
        return Response(s.ViWebhookSerializer(sub).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(VerwijsindexAPIView):
    policy = WEBHOOKS

    @extend_schema(
        operation_id="verwijsindex_webhooks_delete",
        tags=TAGS,
        description="Stop a webhook; deliveries still pending are given up.",
        responses={204: OpenApiResponse(description="Stopped."), 404: _ERROR},
    )
    def delete(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        webhooks.subscription_delete(actor=actor, subscription_id=_pk(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveriesView(VerwijsindexAPIView):
    policy = WEBHOOKS

    @extend_schema(
        operation_id="verwijsindex_webhooks_deliveries",
        tags=TAGS,
        description="The delivery log of one of your webhooks (newest first): status, attempts, and per "
        "attempt the HTTP status code and duration of your answer, or without an answer one generic error: "
        "'niet bereikbaar', 'ongeldig antwoord' or 'time-out'.",
        responses={200: s.ViWebhookDeliverySerializer(many=True), 404: _ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        rows = webhooks.deliveries_list(actor=actor, subscription_id=_pk(pk))
        return Response(s.ViWebhookDeliverySerializer(rows, many=True).data)
