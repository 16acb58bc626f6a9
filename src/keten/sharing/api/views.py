"""Informatie delen API: consents, the disclosure log and convenants, through the same services,
selectors, policy and audit as the pages. Only a browser session that passed two-factor login
(professional actions are always in a person's name); a dossier the caller may not see answers 404.

Every view states its ``policy`` (:mod:`keten.sharing.rules`) and is checked by
:class:`~keten.core.access.PolicyPermission`; a write asks its object rule of the dossier or consent
before the input is validated, so a break-the-glass reader gets 404 on every POST."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.api.authentication import VerifiedSessionAuthentication
from keten.core.access import PolicyPermission, check
from keten.core.actor import Actor, actor_from_request
from keten.dossiers import selectors as dossier_selectors
from keten.dossiers.models import Dossier
from keten.sharing import selectors, services
from keten.sharing.api import serializers as s

TAGS = ["sharing"]
SESSION_ONLY = " Needs a browser session that passed two-factor login."


class SharingAPIView(APIView):
    authentication_classes = [VerifiedSessionAuthentication]
    permission_classes = [PolicyPermission]
    #: Each view states its own; without one, every request is refused.
    policy: str | dict[str, str] = ""

    def get_authenticate_header(self, request: Request) -> str:
        return "Session"


def _dossier(actor: Actor, reference: str) -> Dossier:
    return dossier_selectors.dossier_get(actor=actor, reference=reference, audit_read=False)


class ConsentListView(SharingAPIView):
    policy = {"GET": "sharing.use_sharing", "POST": "sharing.use_sharing"}

    @extend_schema(
        operation_id="sharing_consents_list",
        tags=TAGS,
        description="The consents recorded in a dossier, with their state today." + SESSION_ONLY,
        responses=s.ConsentSerializer(many=True),
    )
    def get(self, request: Request, reference: str) -> Response:
        actor = actor_from_request(request)
        rows = selectors.consents_of_dossier(actor=actor, dossier=_dossier(actor, reference))
        return Response(s.ConsentSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="sharing_consents_create",
        tags=TAGS,
        description="Record consent. Refused when the giver cannot give it: under 12 a parent with gezag, "
        "from 12 to 16 a parent with gezag and the young person, from 16 the young person alone." + SESSION_ONLY,
        request=s.ConsentCreateSerializer,
        responses={201: s.ConsentSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor = actor_from_request(request)
        dossier = _dossier(actor, reference)
        check(request, "sharing.record_consent", dossier)
        serializer = s.ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consent = services.consent_record(
            actor=actor,
            dossier=dossier,
            data=services.ConsentData(
                giver_id=selectors.person_id_in_dossier(dossier, data["giver"], "giver"),
                giver_role=data["giver_role"],
                about_id=selectors.person_id_in_dossier(dossier, data["about"], "about"),
                purpose=data["purpose"],
                recipient_ids=data["recipients"],
                form=data["form"],
                given_on=data["given_on"],
                valid_until=data.get("valid_until"),
            ),
        )
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(SharingAPIView):
    policy = {"POST": "sharing.use_sharing"}

    @extend_schema(
        operation_id="sharing_consents_withdraw",
        tags=TAGS,
        description="Withdraw a consent: nothing can be shared on it from that date. Earlier disclosures stay "
        "in the log." + SESSION_ONLY,
        request=s.ConsentWithdrawSerializer,
        responses=s.ConsentSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_from_request(request)
        consent = selectors.consent_for_change(actor=actor, consent_id=pk)
        check(request, "sharing.withdraw_consent", consent)
        serializer = s.ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_withdraw(
            actor=actor, consent=consent, withdrawn_on=serializer.validated_data["withdrawn_on"]
        )
        return Response(s.ConsentSerializer(consent).data)


class DisclosureListView(SharingAPIView):
    policy = {"GET": "sharing.use_sharing", "POST": "sharing.use_sharing"}

    @extend_schema(
        operation_id="sharing_disclosures_list",
        tags=TAGS,
        description="The dossier's disclosure log: what was shared about whom, with whom, why and on what "
        "basis, newest first." + SESSION_ONLY,
        responses=s.DisclosureSerializer(many=True),
    )
    def get(self, request: Request, reference: str) -> Response:
        actor = actor_from_request(request)
        rows = selectors.disclosure_log(actor=actor, dossier=_dossier(actor, reference))
        return Response(s.DisclosureSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="sharing_disclosures_create",
        tags=TAGS,
        description="Record a disclosure (verstrekking). Checked like on the page: valid consent, an active "
        "convenant flow or the meldrecht; informing the client; a motivation when the deelhulp advised "
        "otherwise. A recipient inside Keten gets access to the shared part for grant_days days." + SESSION_ONLY,
        request=s.DisclosureCreateSerializer,
        responses={201: s.DisclosureSerializer},
    )
    def post(self, request: Request, reference: str) -> Response:
        actor = actor_from_request(request)
        dossier = _dossier(actor, reference)
        check(request, "sharing.record_disclosure", dossier)
        serializer = s.DisclosureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        disclosure = services.disclosure_record(
            actor=actor,
            dossier=dossier,
            data=services.DisclosureData(
                about_ids=[selectors.person_id_in_dossier(dossier, p, "about") for p in data["about"]],
                categories=data["categories"],
                items=data["items"],
                recipient_organisation_id=data["recipient_organisation"],
                recipient_user_id=data.get("recipient_user"),
                recipient_name=data["recipient_name"],
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
                no_consent_reason=data["no_consent_reason"],
                shared_on=data["shared_on"],
                client_informed=data["client_informed"],
                client_informed_on=data.get("client_informed_on"),
                not_informed_reason=data["not_informed_reason"],
                advice=data["advice"],
                override_motivation=data["override_motivation"],
                grant_days=data["grant_days"],
            ),
        )
        return Response(s.DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)


class ConvenantListView(SharingAPIView):
    policy = {"GET": "sharing.view_convenants", "POST": "sharing.manage_convenants"}

    @extend_schema(
        operation_id="sharing_convenants_list",
        tags=TAGS,
        description="The convenants of your municipality with their parties and permitted data flows." + SESSION_ONLY,
        responses=s.ConvenantSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = selectors.convenants_of_municipality(actor_from_request(request))
        return Response(s.ConvenantSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="sharing_convenants_create",
        tags=TAGS,
        description="Register a convenant with its data flows, each on its own legal basis (functioneel "
        "beheerder or beleidsmedewerker of the municipality)." + SESSION_ONLY,
        request=s.ConvenantCreateSerializer,
        responses={201: s.ConvenantSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = actor_from_request(request)
        serializer = s.ConvenantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        convenant = services.convenant_create(
            actor=actor,
            data=services.ConvenantData(
                title=data["title"],
                party_ids=data["parties"],
                purposes=data["purposes"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                document_url=data["document_url"],
                flows=[services.FlowData(**flow) for flow in data["flows"]],
            ),
        )
        return Response(s.ConvenantSerializer(convenant).data, status=status.HTTP_201_CREATED)


class ConvenantDetailView(SharingAPIView):
    policy = {"GET": "sharing.view_convenants"}

    @extend_schema(
        operation_id="sharing_convenants_retrieve",
        tags=TAGS,
        description="One convenant of your municipality." + SESSION_ONLY,
        responses=s.ConvenantSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        convenant = selectors.convenants_of_municipality(actor_from_request(request)).filter(pk=pk).first()
        check(request, "sharing.view_convenant", convenant)
        return Response(s.ConvenantSerializer(convenant).data)
