"""Dossier API: the same selectors, services, policy and audit as the UI.

Every view states its ``policy`` and is checked by :class:`~keten.core.access.PolicyPermission`. A
partner system's token reaches a dossier only through the dossiers' ``system_scope`` registrations
(``keten.dossiers.rules``: scope ``dossiers:read``, its organisation on the case team); it writes
nothing. A note is added only by the case team: ``dossiers.change_dossier`` is asked before the
input is validated, so a break-the-glass reader gets 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.views import APIView

from keten.core.access import SIGNED_IN, PolicyPermission, check
from keten.core.actor import Actor, actor_from_request
from keten.dossiers import selectors, services
from keten.dossiers.api.serializers import (
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierListSerializer,
    DossierPageSerializer,
    DossierSearchSerializer,
    NoteCreateSerializer,
)


def _detail_payload(actor: Actor, reference: str) -> ReturnDict[str, Any]:
    page = selectors.dossier_detail(actor=actor, reference=reference)
    dossier = page.dossier
    payload = {
        "reference": dossier.reference,
        "family": dossier.family,
        "status": dossier.status,
        "summary": dossier.summary or "",
        "coordinator": str(dossier.coordinator) if dossier.coordinator else None,
        "opened_at": dossier.opened_at,
        "updated_at": dossier.updated_at,
        "version": dossier.version,
        "persons": page.persons,
        "team": page.team,
    }
    return DossierDetailSerializer(payload).data


def _page(request: Request, *, query: str, params: Any) -> Response:
    try:
        page = max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        page = 1
    size = 50
    rows, total = selectors.dossier_list(
        actor=actor_from_request(request),
        query=query,
        status=str(params.get("status", "")),
        limit=size,
        offset=(page - 1) * size,
    )
    return Response(
        {"count": total, "page": page, "results": DossierListSerializer([vars(r) for r in rows], many=True).data}
    )


LIST_WHY = (
    "the list and search show only the caller's own dossiers (row filters of keten.dossiers.rules): "
    "empty without a case role, or for a token without dossiers:read"
)


class DossierAPIView(APIView):
    permission_classes = [PolicyPermission]
    #: Each view states its own; without one, every request is refused.
    policy: str | dict[str, str] = ""


class DossierListView(DossierAPIView):
    policy = {"GET": SIGNED_IN, "POST": "dossiers.add_dossier"}
    policy_why = LIST_WHY

    @extend_schema(
        operation_id="dossiers_list",
        parameters=[
            OpenApiParameter("status", str, enum=["open", "closed"]),
            OpenApiParameter("page", int),
        ],
        responses=DossierPageSerializer,
    )
    def get(self, request: Request) -> Response:
        return _page(request, query="", params=request.query_params)

    @extend_schema(
        operation_id="dossiers_create", request=DossierCreateSerializer, responses={201: DossierDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        actor = actor_from_request(request)
        serializer = DossierCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dossier = services.dossier_create(
            actor=actor,
            family_name=data["family_name"],
            address=data.get("address", ""),
            persons=[services.PersonData(**{k: v for k, v in p.items() if v is not None}) for p in data["persons"]],
            confirm_duplicates=data["confirm_duplicates"],
        )
        return Response(_detail_payload(actor, dossier.reference), status=status.HTTP_201_CREATED)


class DossierSearchView(DossierAPIView):
    """Search by BSN, family name or reference. POST, so search terms never appear in a URL."""

    policy = {"POST": SIGNED_IN}
    policy_why = LIST_WHY

    @extend_schema(operation_id="dossiers_search", request=DossierSearchSerializer, responses=DossierPageSerializer)
    def post(self, request: Request) -> Response:
        serializer = DossierSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _page(request, query=serializer.validated_data["q"], params=serializer.validated_data)


class DossierDetailView(DossierAPIView):
    policy = {"GET": "dossiers.view_dossiers"}

    @extend_schema(operation_id="dossiers_retrieve", responses=DossierDetailSerializer)
    def get(self, request: Request, reference: str) -> Response:
        return Response(_detail_payload(actor_from_request(request), reference))


class DossierNoteView(DossierAPIView):
    policy = {"POST": "dossiers.view_dossiers"}

    @extend_schema(operation_id="dossiers_notes_create", request=NoteCreateSerializer, responses={201: None})
    def post(self, request: Request, reference: str) -> Response:
        actor = actor_from_request(request)
        dossier = selectors.dossier_get(actor=actor, reference=reference, audit_read=False)
        check(request, "dossiers.change_dossier", dossier)
        serializer = NoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(actor=actor, dossier=dossier, text=serializer.validated_data["text"])
        return Response({"id": note.pk, "created_at": note.created_at}, status=status.HTTP_201_CREATED)
