from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from keten.accounts.api.serializers import OrganisationSerializer
from keten.accounts.models import Organisation
from keten.accounts.selectors import organisations_list
from keten.core.actor import actor_from_request


@extend_schema(operation_id="organisations_list")
class OrganisationListView(ListAPIView[Organisation]):
    serializer_class = OrganisationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return organisations_list(actor=actor_from_request(self.request))
