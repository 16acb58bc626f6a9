"""Sociale kaart API: the same selectors and policy as the UI."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.models import OrganisationType, Role
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.network import selectors
from keten.network.api.serializers import AgreementSerializer, SocialeKaartOrganisationSerializer


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DomainError(_("Vul een geheel getal in."), field=field) from exc


class SocialeKaartOrganisationsView(APIView):
    @extend_schema(
        operation_id="network_organisations_list",
        parameters=[
            OpenApiParameter("q", str, description="Search text (case and accent insensitive)."),
            OpenApiParameter("wijk", int),
            OpenApiParameter("postcode", str, description="1234 AB, 1234AB or 1234."),
            OpenApiParameter("type", str, enum=OrganisationType.values),
            OpenApiParameter("role", str, enum=Role.values),
            OpenApiParameter("age", int),
        ],
        responses=SocialeKaartOrganisationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        result = selectors.sociale_kaart_search(
            actor=actor_from_request(request),
            query=params.get("q", "")[:100],
            wijk_id=_int(params.get("wijk"), "wijk"),
            postcode=params.get("postcode", ""),
            org_type=params.get("type", ""),
            role=params.get("role", ""),
            age=_int(params.get("age"), "age"),
        )
        return Response(SocialeKaartOrganisationSerializer(result.organisations, many=True).data)


class AgreementListView(APIView):
    @extend_schema(
        operation_id="network_agreements_list",
        parameters=[OpenApiParameter("party", int), OpenApiParameter("wijk", int)],
        responses=AgreementSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        agreements = selectors.agreements_list(
            actor=actor_from_request(request),
            party_id=_int(params.get("party"), "party"),
            wijk_id=_int(params.get("wijk"), "wijk"),
        )
        return Response(AgreementSerializer(agreements, many=True).data)
