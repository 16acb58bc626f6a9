"""Municipal figures over the API: counts of the own municipality only, for beleidsmedewerkers and
functioneel beheerders. Small cells and their complements are null (see keten.core.smallcells)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keten.core import audit
from keten.core.access import PolicyPermission
from keten.core.actor import actor_from_request
from keten.core.models import AuditAction
from keten.dossiers.selectors import dossier_aggregates

HIDDEN = "null: not shown (fewer than small_cell, or a count from which such a count could be derived)"


class WijkFigureSerializer(serializers.Serializer[Any]):
    wijk = serializers.CharField()
    open = serializers.IntegerField(allow_null=True, help_text=HIDDEN)


class OrgTypeFigureSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    dossiers = serializers.IntegerField(allow_null=True, help_text=HIDDEN)


class DossierFiguresSerializer(serializers.Serializer[Any]):
    open = serializers.IntegerField(allow_null=True, help_text=HIDDEN)
    closed = serializers.IntegerField(allow_null=True, help_text=HIDDEN)
    small_cell = serializers.IntegerField()
    by_wijk = WijkFigureSerializer(many=True)
    by_org_type = OrgTypeFigureSerializer(many=True)


class DossierFiguresView(APIView):
    permission_classes = [PolicyPermission]
    policy = {"GET": "core.view_aggregates"}

    @extend_schema(operation_id="figures_dossiers", responses=DossierFiguresSerializer)
    def get(self, request: Request) -> Response:
        actor = actor_from_request(request)
        figures = dossier_aggregates(actor=actor)
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="figures", object_id="dossiers")
        return Response(DossierFiguresSerializer(figures).data)
