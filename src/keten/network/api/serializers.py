from __future__ import annotations

from typing import Any

from rest_framework import serializers


class OfficerSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="user.get_full_name")
    phone = serializers.CharField(source="user.phone")
    email = serializers.EmailField(source="user.email")


class AgreementSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()


class EntrySerializer(serializers.Serializer[Any]):
    description = serializers.CharField()
    visiting_address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    secure_email = serializers.CharField()
    website = serializers.CharField()
    opening_hours = serializers.CharField()
    expertise = serializers.ListField(child=serializers.CharField())
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    last_confirmed_at = serializers.DateTimeField(allow_null=True)


class SocialeKaartOrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    is_stale = serializers.BooleanField()
    entry = EntrySerializer(source="entry_or_none", allow_null=True)
    aandachtsfunctionarissen = OfficerSerializer(source="officers", many=True)
    agreements = AgreementSummarySerializer(source="applicable_agreements", many=True)


class AgreementSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    promise = serializers.CharField()
    parties = serializers.SerializerMethodField()
    wijken = serializers.SerializerMethodField()
    start_date = serializers.DateField()
    review_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    bestuurlijk_vastgesteld = serializers.BooleanField()
    source_url = serializers.CharField()

    def get_parties(self, obj: Any) -> list[str]:
        return [p.name for p in obj.parties.all()]

    def get_wijken(self, obj: Any) -> list[str]:
        return [w.name for w in obj.wijken.all()]
