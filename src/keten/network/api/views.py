"""Sociale kaart API: the same selectors and policy as the UI.

Public (anonymous) answers carry ``Access-Control-Allow-Origin: *`` and may be cached by shared
caches, so that municipal websites can embed them; they are rate limited per client address and not
audited (no client data, no professionals). Authenticated answers are private; reading the list of
professionals is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.accounts.models import Membership, OrganisationType, Role
from keten.core.access import PUBLIC, PolicyPermission, check
from keten.core.actor import actor_from_request
from keten.core.api.throttling import AnonymousAddressThrottle
from keten.core.errors import DomainError, NotFoundError
from keten.network.api.serializers import (
    AgreementSerializer,
    ProfessionalSerializer,
    PublicOrganisationSerializer,
    PublicRoutekaartSerializer,
    SocialeKaartOrganisationSerializer,
)
from keten.network.kaart import selectors
from keten.network.public import selectors as public
from keten.network.routekaart.selectors import EMERGENCY_PHONE, VEILIG_THUIS_PHONE

#: How long shared caches may keep a public answer.
PUBLIC_MAX_AGE_SECONDS = 300

#: How the schema names a public endpoint: a token or a session may be sent, neither is needed.
OPEN_AUTH: Any = [{"systemToken": []}, {"session": []}, {}]

_ERROR = OpenApiResponse(description="Uniform error: status, code, detail (Dutch), errors per field, request_id.")


def _int(value: str | None, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DomainError(_("Vul een geheel getal in."), field=field) from exc


class PublicRateThrottle(AnonymousAddressThrottle):
    """Limits anonymous callers per client address (counted in the database); ``KETEN_API_ANON_RATE``."""

    scope = "network_public"

    def get_rate(self) -> str | None:
        return str(settings.KETEN_API_ANON_RATE)


class PublicAccessView(APIView):
    """Anonymous answers are CORS-open, cacheable and rate limited; authenticated ones stay private."""

    throttle_classes: Any = [PublicRateThrottle]
    #: Public in every case (the routekaart), or only when the caller is anonymous (organisations).
    always_public = False

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        anonymous = request.user is None or not getattr(request.user, "is_authenticated", False)
        if self.always_public or anonymous:
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code == 200:
                response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE_SECONDS}"
        else:
            response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response


class SocialeKaartOrganisationsView(PublicAccessView):
    permission_classes = [PolicyPermission]
    policy = PUBLIC
    policy_why = (
        "anonymous callers get only the public entries of the municipality they name; an authenticated "
        "caller must be allowed network.read (checked in the view) and gets its own municipality"
    )

    @extend_schema(
        operation_id="network_organisations_list",
        auth=OPEN_AUTH,
        description=(
            "Organisations of the sociale kaart. Anonymous callers name a municipality with `municipality` "
            "(CBS code, e.g. GM0363) and get only organisations whose entry is public, with only the public "
            "fields (no professionals, no secure e-mail); without `municipality` they get 401. Authenticated "
            "callers (a verified session, or a system token with the `network:read` scope) get every active "
            "organisation of their own municipality with the whole entry and the aandachtsfunctionarissen; "
            "naming another municipality answers 404."
        ),
        parameters=[
            OpenApiParameter("municipality", str, description="CBS code of the municipality (anonymous callers)."),
            OpenApiParameter("q", str, description="Search text (case and accent insensitive; authenticated only)."),
            OpenApiParameter("wijk", int),
            OpenApiParameter("postcode", str, description="1234 AB, 1234AB or 1234."),
            OpenApiParameter("type", str, enum=OrganisationType.values),
            OpenApiParameter("role", str, enum=Role.values, description="Authenticated only."),
            OpenApiParameter("age", int, description="Authenticated only."),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="NetworkOrganisation",
                serializers=[SocialeKaartOrganisationSerializer, PublicOrganisationSerializer],
                resource_type_field_name=None,
                many=True,
            ),
            400: _ERROR,
            401: _ERROR,
            404: _ERROR,
            429: _ERROR,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        code = params.get("municipality", "")
        if request.user is None or not getattr(request.user, "is_authenticated", False):
            if not code.strip():
                raise exceptions.NotAuthenticated
            rows = selectors.public_organisations(
                municipality=selectors.municipality_by_code(code),
                wijk_id=_int(params.get("wijk"), "wijk"),
                postcode=params.get("postcode", "")[:20],
                org_type=params.get("type", ""),
            )
            return Response(PublicOrganisationSerializer(rows, many=True).data)
        check(request, "network.read")
        actor = actor_from_request(request)
        municipality_id = selectors.api_municipality_id(actor)
        if code.strip() and selectors.municipality_by_code(code).pk != municipality_id:
            raise NotFoundError
        organisations = selectors.authenticated_organisations(
            actor=actor,
            query=params.get("q", "")[:100].replace("\x00", ""),
            wijk_id=_int(params.get("wijk"), "wijk"),
            postcode=params.get("postcode", "")[:20],
            org_type=params.get("type", ""),
            role=params.get("role", ""),
            age=_int(params.get("age"), "age"),
        )
        return Response(SocialeKaartOrganisationSerializer(organisations, many=True).data)


class ProfessionalsPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ProfessionalListView(GenericAPIView[Any]):
    """Professionals of the caller's municipality with their work contact details (audited)."""

    serializer_class = ProfessionalSerializer
    pagination_class = ProfessionalsPagination
    queryset = Membership.objects.none()
    permission_classes = [PolicyPermission]
    policy = "network.read"

    @extend_schema(
        operation_id="network_professionals_list",
        description=(
            "Professionals of the caller's own municipality as the sociale kaart shows them. Needs a verified "
            "session or a system token with the `network:read` scope. Every call is audited."
        ),
        parameters=[
            OpenApiParameter("organisation", int),
            OpenApiParameter("wijk", int, description="Organisations linked to this wijk or to no wijk at all."),
            OpenApiParameter("role", str, enum=Role.values),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="At most 200; 50 when left out."),
        ],
        responses={200: ProfessionalSerializer(many=True), 400: _ERROR, 401: _ERROR, 404: _ERROR},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        actor = actor_from_request(request)
        organisation_id = _int(params.get("organisation"), "organisation")
        wijk_id = _int(params.get("wijk"), "wijk")
        role = params.get("role", "")
        qs = selectors.professionals(actor=actor, organisation_id=organisation_id, wijk_id=wijk_id, role=role)
        filters = {"organisation": organisation_id, "wijk": wijk_id, "role": role}
        page = self.paginate_queryset(qs)
        rows = list(page) if page is not None else list(qs)
        selectors.audit_professionals_read(actor=actor, rows=rows, filters=filters)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class AgreementListView(APIView):
    permission_classes = [PolicyPermission]
    #: A person's: the agreements of the municipality they act in (no system scope).
    policy = "network.view"

    @extend_schema(
        operation_id="network_agreements_list",
        parameters=[OpenApiParameter("party", int), OpenApiParameter("wijk", int)],
        responses={200: AgreementSerializer(many=True), 400: _ERROR, 401: _ERROR},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        agreements = selectors.agreements_list(
            actor=actor_from_request(request),
            party_id=_int(params.get("party"), "party"),
            wijk_id=_int(params.get("wijk"), "wijk"),
        )
        return Response(AgreementSerializer(agreements, many=True).data)


def _steps() -> list[dict[str, Any]]:
    return [
        {
            "order": 1,
            "title": _("Is er direct gevaar?"),
            "text": _("Bel dan meteen 112."),
            "phone": EMERGENCY_PHONE,
        },
        {
            "order": 2,
            "title": _("Maakt u zich zorgen of twijfelt u?"),
            "text": _(
                "Bel Veilig Thuis. Bellen is gratis en kan dag en nacht. U hoeft uw naam niet te zeggen. "
                "Veilig Thuis denkt met u mee en kan hulp regelen."
            ),
            "phone": VEILIG_THUIS_PHONE,
        },
        {
            "order": 3,
            "title": _("Hulp bij u in de buurt"),
            "text": _("Praat met een van de organisaties hieronder. U kunt bellen of langsgaan."),
            "phone": "",
        },
    ]


class PublicRoutekaartView(PublicAccessView):
    """The public routekaart of one wijk, for municipal websites to show on their own pages."""

    permission_classes = [PolicyPermission]
    policy = PUBLIC
    policy_why = "the public routekaart of a wijk for municipal websites: no client data, no professionals"
    always_public = True

    @extend_schema(
        operation_id="network_routekaart_public",
        auth=OPEN_AUTH,
        description=(
            "The routekaart for parents and citizens of one wijk, chosen by `postcode` or `wijk`: what to do "
            "first (112, Veilig Thuis 0800-2000) and the public organisations nearby. No login; open to every "
            "origin (CORS) and cacheable. A malformed or unknown postcode, or an unknown wijk, answers 400."
        ),
        parameters=[
            OpenApiParameter("postcode", str, description="1234 AB, 1234AB or 1234."),
            OpenApiParameter("wijk", int),
        ],
        responses={200: PublicRoutekaartSerializer, 400: _ERROR, 429: _ERROR},
    )
    def get(self, request: Request) -> Response:
        postcode = request.query_params.get("postcode", "")[:20].strip()
        wijk_id = request.query_params.get("wijk", "")[:20].strip()
        if "postcode" in request.query_params:
            if not postcode:
                raise DomainError(_("Vul een postcode in, bijvoorbeeld 1234 AB."), field="postcode")
            wijk = public.public_wijk_for_postcode(postcode)
        elif wijk_id:
            wijk = public.public_wijk(wijk_id=wijk_id)
        else:
            raise DomainError(_("Geef een postcode of een wijk op."), field="postcode")
        kaart = public.public_routekaart(wijk=wijk)
        payload = {
            "wijk": {
                "id": wijk.pk,
                "name": wijk.name,
                "municipality": wijk.municipality.name,
                "municipality_code": wijk.municipality.cbs_code,
            },
            "phone_numbers": {"emergency": EMERGENCY_PHONE, "veilig_thuis": VEILIG_THUIS_PHONE},
            "steps": _steps(),
            "groups": [
                {
                    "type": group.type,
                    "label": group.label,
                    "explanation": group.explanation,
                    "organisations": [vars(o) for o in group.organisations],
                }
                for group in kaart.groups
                if group.organisations
            ],
            "empty_message": _(
                "Voor deze wijk staan nog geen organisaties op deze kaart. Bel Veilig Thuis voor advies, of "
                "neem contact op met uw gemeente."
            )
            if kaart.is_empty
            else "",
            "page_url": request.build_absolute_uri(f"{reverse('publiek:routekaart')}?wijk={wijk.pk}"),
        }
        return Response(PublicRoutekaartSerializer(payload).data)
