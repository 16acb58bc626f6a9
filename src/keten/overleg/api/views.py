"""Overleg API: overleg types, registrations, meetings and agreements, through the same selectors,
services, policy and audit as the pages. Only a browser session that passed two-factor login
(every registration, decision and agreement is in a person's name): no overleg permission is opened
to partner systems (``keten.overleg.rules``). Every view states its ``policy`` and is checked by
:class:`~keten.core.access.PolicyPermission`; which case, meeting or agreement is asked of the object
rules once it is loaded, before the input is validated. A case, meeting or agreement the caller may
not see answers 404; bad input the uniform JSON error with a Dutch message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.api.authentication import VerifiedSessionAuthentication
from keten.core.access import PolicyPermission, check
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import DomainError
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.agreements import services as agreement_services
from keten.overleg.api import serializers as s
from keten.overleg.meetings import selectors as meeting_selectors
from keten.overleg.models import CaseRegistration, RegistrationStatus
from keten.overleg.registrations import selectors as registration_selectors
from keten.overleg.registrations import services as registration_services
from keten.overleg.types import selectors as type_selectors

TAGS = ["overleg"]
SESSION_ONLY = " Needs a browser session that passed two-factor login."


#: The gates of the API (see ``keten.overleg.rules``): acting in a role (set-up data, calendar data
#: and the own lists), and a case role for everything that shows or records a case.
USE = "overleg.use"
CASES = "overleg.work_on_cases"


class OverlegAPIView(APIView):
    authentication_classes = [VerifiedSessionAuthentication]
    permission_classes = [PolicyPermission]
    #: Each view states its own; without one, every request is refused.
    policy: str | dict[str, str] = ""

    def get_authenticate_header(self, request: Request) -> str:
        return "Session"


def _actor(request: Request) -> Actor:
    """The acting professional; the view's ``policy`` was asked already (a role)."""
    return actor_from_request(request)


# --- overleg types ----------------------------------------------------------------------------


class OverlegTypeListView(OverlegAPIView):
    policy = USE

    @extend_schema(
        operation_id="overleg_types_list",
        tags=TAGS,
        description="The overleg types of your municipality with members, chair, recurrence, process steps "
        "and privacy basis (no client data)." + SESSION_ONLY,
        responses=s.OverlegTypeSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        rows = type_selectors.overleg_types_for(actor=actor).prefetch_related("members", "steps")
        return Response(s.OverlegTypeSerializer(rows, many=True).data)


# --- registrations ----------------------------------------------------------------------------


class RegistrationListView(OverlegAPIView):
    policy = {"GET": USE, "POST": CASES}

    @extend_schema(
        operation_id="overleg_registrations_list",
        tags=TAGS,
        description="Cases you may see: your own registrations, the cases of the overleg you chair, and the "
        "cases on the agendas of meetings you attend. Newest first, at most 200." + SESSION_ONLY,
        parameters=[
            OpenApiParameter("status", str, enum=list(RegistrationStatus.values), required=False),
            OpenApiParameter("overleg_type", int, required=False),
        ],
        responses=s.OverlegRegistrationListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        type_id = request.query_params.get("overleg_type", "")
        rows = registration_selectors.registration_list(
            actor=actor,
            status=request.query_params.get("status", ""),
            overleg_type_id=int(type_id) if type_id.isdigit() else None,
        )
        return Response(s.OverlegRegistrationListSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="overleg_registrations_create",
        tags=TAGS,
        description="Register a case for an overleg from a dossier whose case team you are on (optionally from "
        "a verwijsindex match you take part in). The chair is notified." + SESSION_ONLY,
        request=s.OverlegRegistrationCreateSerializer,
        responses={201: s.OverlegRegistrationSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        serializer = s.OverlegRegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        overleg_type = type_selectors.overleg_type_get(actor=actor, pk=data["overleg_type"])
        dossier = registration_selectors.dossier_for_registration(actor=actor, reference=data["dossier"])
        registration = registration_services.registration_create(
            actor=actor,
            overleg_type=overleg_type,
            dossier=dossier,
            data=registration_services.RegistrationData(
                reason=data["reason"],
                goal=data["goal"],
                process_step_id=data.get("process_step"),
                criteria=data.get("criteria", ""),
                invited_organisation_ids=data.get("partners", []),
                family_informed=data["family_informed"],
                family_not_informed_reason=data.get("family_not_informed_reason", ""),
                match_id=data.get("match"),
            ),
        )
        return Response(s.OverlegRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationDetailView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_registrations_retrieve",
        tags=TAGS,
        description="One case with reason, goal and decisions. Each read is audited." + SESSION_ONLY,
        responses=s.OverlegRegistrationSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        registration = registration_selectors.registration_get(actor=actor, pk=pk)
        return Response(s.OverlegRegistrationSerializer(registration).data)


def _triage_target(actor: Actor, pk: int) -> CaseRegistration:
    return registration_selectors.registration_for_triage(actor=actor, pk=pk, audit_read=False)


class RegistrationAdmitView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_registrations_admit",
        tags=TAGS,
        description="The chair admits the case onto an upcoming meeting's agenda; the registering professional "
        "is notified. A cancelled or past meeting is refused; a stale version answers 409." + SESSION_ONLY,
        request=s.OverlegAdmitSerializer,
        responses=s.OverlegRegistrationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        registration = _triage_target(actor, pk)
        serializer = s.OverlegAdmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = meeting_selectors.meeting_of_overleg(pk=data["meeting"], overleg_type_id=registration.overleg_type_id)
        if meeting is None:
            raise DomainError(_("Kies een bijeenkomst van dit overleg."), field="meeting")
        registration = registration_services.registration_admit(
            actor=actor,
            registration=registration,
            meeting=meeting,
            casusregisseur_id=data.get("casusregisseur"),
            expected_version=data["version"],
        )
        return Response(s.OverlegRegistrationSerializer(registration).data)


class RegistrationDeclineView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_registrations_decline",
        tags=TAGS,
        description="The chair declines the case with a reason; the registering professional is notified."
        + SESSION_ONLY,
        request=s.OverlegDeclineSerializer,
        responses=s.OverlegRegistrationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        registration = _triage_target(actor, pk)
        serializer = s.OverlegDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = registration_services.registration_decline(
            actor=actor,
            registration=registration,
            reason=serializer.validated_data["reason"],
            expected_version=serializer.validated_data["version"],
        )
        return Response(s.OverlegRegistrationSerializer(registration).data)


class RegistrationCloseView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_registrations_close",
        tags=TAGS,
        description="The case leaves the overleg, with the reason and who stays in contact with the family "
        "(chair or casusregisseur)." + SESSION_ONLY,
        request=s.OverlegCloseRegistrationSerializer,
        responses=s.OverlegRegistrationSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        registration = registration_selectors.registration_get(actor=actor, pk=pk, audit_read=False)
        check(request, "overleg.close_registration", registration)
        serializer = s.OverlegCloseRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration = registration_services.registration_close(
            actor=actor,
            registration=registration,
            reason=data["reason"],
            follow_up=data["follow_up"],
            follow_up_organisation_id=data.get("follow_up_organisation"),
            expected_version=data["version"],
        )
        return Response(s.OverlegRegistrationSerializer(registration).data)


# --- meetings ---------------------------------------------------------------------------------


class MeetingListView(OverlegAPIView):
    policy = USE

    @extend_schema(
        operation_id="overleg_meetings_list",
        tags=TAGS,
        description="Meetings you may see (chair, on the attendance list, or member organisation), from "
        "`from` (default today) for `days` days (default 28, at most 366). Calendar data only." + SESSION_ONLY,
        parameters=[
            OpenApiParameter("overleg_type", int, required=False),
            OpenApiParameter("from", dt.date, required=False),
            OpenApiParameter("days", int, required=False),
        ],
        responses=s.OverlegMeetingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        try:
            start_day = dt.date.fromisoformat(request.query_params.get("from", "") or timezone.localdate().isoformat())
            days = min(max(int(request.query_params.get("days", "28")), 1), 366)
        except ValueError as exc:
            raise DomainError(_("Geef een datum als JJJJ-MM-DD en een aantal dagen."), field="from") from exc
        start = dt.datetime.combine(start_day, dt.time.min, tzinfo=timezone.get_current_timezone())
        overleg_type = None
        type_id = request.query_params.get("overleg_type", "")
        if type_id.isdigit():
            overleg_type = type_selectors.overleg_type_get(actor=actor, pk=int(type_id))
        rows = meeting_selectors.meetings_for(
            actor=actor, overleg_type=overleg_type, start=start, end=start + dt.timedelta(days=days)
        )[:500]
        return Response(s.OverlegMeetingSerializer(rows, many=True).data)


class MeetingDetailView(OverlegAPIView):
    policy = USE

    @extend_schema(
        operation_id="overleg_meetings_retrieve",
        tags=TAGS,
        description="A meeting with its attendance list and, for each case you may see, the goal, the open "
        "agreements and the discussion records. Each case shown is audited." + SESSION_ONLY,
        responses=s.OverlegMeetingPageSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        page = meeting_selectors.meeting_page(actor=actor, pk=pk)
        return Response(s.OverlegMeetingPageSerializer(page).data)


# --- agreements -------------------------------------------------------------------------------


class AgreementListView(OverlegAPIView):
    policy = {"GET": USE, "POST": CASES}

    @extend_schema(
        operation_id="overleg_agreements_list",
        tags=TAGS,
        description="Your agreements across all meetings (as a person or through your organisation), open ones "
        "by due date. `overdue=1`: open agreements past their date that you own or of the overleg you chair; "
        "`closed=1` includes done and cancelled ones." + SESSION_ONLY,
        parameters=[
            OpenApiParameter("overdue", bool, required=False),
            OpenApiParameter("closed", bool, required=False),
        ],
        responses=s.OverlegAgreementSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        if request.query_params.get("overdue") in ("1", "true"):
            rows = agreement_selectors.overdue_agreements(actor=actor)
        else:
            rows = agreement_selectors.my_agreements(
                actor=actor, include_closed=request.query_params.get("closed") in ("1", "true")
            )
        return Response(s.OverlegAgreementSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="overleg_agreements_create",
        tags=TAGS,
        description="Record an agreement made at a meeting for a case on its agenda: who (person or "
        "organisation) does what by when (today or later)." + SESSION_ONLY,
        request=s.OverlegAgreementCreateSerializer,
        responses={201: s.OverlegAgreementSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        serializer = s.OverlegAgreementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = meeting_selectors.agenda_item_get(actor=actor, pk=data["agenda_item"], audit_read=False)
        agreement = agreement_services.agreement_create(
            actor=actor,
            item=item,
            what=data["what"],
            due_on=data.get("due_on"),
            owner_user_id=data.get("owner_user"),
            owner_organisation_id=data.get("owner_organisation"),
        )
        agreement = agreement_selectors.agreement_get(actor=actor, pk=agreement.pk, audit_read=False)
        return Response(s.OverlegAgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


def _detail(actor: Actor, pk: int, audit_read: bool = False) -> Response:
    agreement = agreement_selectors.agreement_get(actor=actor, pk=pk, audit_read=audit_read)
    versions = agreement_selectors.agreement_versions(agreement)
    return Response(s.OverlegAgreementDetailSerializer(agreement, context={"versions": versions}).data)


class AgreementDetailView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_agreements_retrieve",
        tags=TAGS,
        description="One agreement with its history of changes (who, when, which fields). Audited." + SESSION_ONLY,
        responses=s.OverlegAgreementDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(_actor(request), pk, audit_read=True)

    @extend_schema(
        operation_id="overleg_agreements_update",
        tags=TAGS,
        description="Change an open agreement (what, due date, owner). Send the version you loaded: when "
        "someone else changed it meanwhile the answer is 409 and nothing changes." + SESSION_ONLY,
        request=s.OverlegAgreementUpdateSerializer,
        responses=s.OverlegAgreementDetailSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        agreement = agreement_selectors.agreement_get(actor=actor, pk=pk, audit_read=False)
        check(request, "overleg.change_agreement", agreement)
        serializer = s.OverlegAgreementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kwargs: dict[str, Any] = {}
        if "what" in data:
            kwargs["what"] = data["what"]
        if "due_on" in data:
            kwargs["due_on"] = data["due_on"]
        if "owner_user" in data:
            kwargs["owner_user_id"] = data["owner_user"]
        if "owner_organisation" in data:
            kwargs["owner_organisation_id"] = data["owner_organisation"]
        agreement_services.agreement_update(
            actor=actor, agreement=agreement, expected_version=data["version"], **kwargs
        )
        return _detail(actor, pk)


class AgreementCloseView(OverlegAPIView):
    policy = CASES

    @extend_schema(
        operation_id="overleg_agreements_close",
        tags=TAGS,
        description="Close an open agreement as done (with the result) or cancelled (with the reason)." + SESSION_ONLY,
        request=s.OverlegAgreementCloseSerializer,
        responses=s.OverlegAgreementDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = _actor(request)
        agreement = agreement_selectors.agreement_get(actor=actor, pk=pk, audit_read=False)
        check(request, "overleg.change_agreement", agreement)
        serializer = s.OverlegAgreementCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement_services.agreement_close(
            actor=actor,
            agreement=agreement,
            expected_version=data["version"],
            result=data["result"],
            status=data["status"],
        )
        return _detail(actor, pk)
