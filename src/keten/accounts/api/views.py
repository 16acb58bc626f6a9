from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView

from keten.accounts.api.serializers import OrganisationSerializer
from keten.accounts.models import Organisation
from keten.accounts.selectors import organisations_list
from keten.core.access import PolicyPermission
from keten.core.actor import actor_from_request


@extend_schema_view(get=extend_schema(operation_id="organisations_list"))
class OrganisationListView(ListAPIView[Organisation]):
    """The active organisations of the chain (no client data). For signed-in professionals and for systems
    whose token holds the scope organisations:read; a token without that scope gets 404."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()
    permission_classes = [PolicyPermission]
    policy = "accounts.list_organisations"  # systems: the scope organisations:read (accounts/rules.py)

    def get_queryset(self) -> QuerySet[Organisation]:
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        return organisations_list(actor=actor_from_request(self.request))
