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


class WijkRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EntrySerializer(serializers.Serializer[Any]):
    description = serializers.CharField()
    visiting_address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    secure_email = serializers.CharField()
    website = serializers.CharField()
    opening_hours = serializers.CharField()
    opening_hours_weekly = serializers.DictField(child=serializers.JSONField())
    expertise = serializers.ListField(child=serializers.CharField())
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    is_public = serializers.BooleanField()
    last_confirmed_at = serializers.DateTimeField(allow_null=True)


class SocialeKaartOrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    is_stale = serializers.BooleanField()
    wijken = WijkRefSerializer(many=True)
    entry = EntrySerializer(allow_null=True)
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


class PublicOrganisationSerializer(serializers.Serializer[Any]):
    """What anyone may read of an organisation whose entry is public: no people, no secure e-mail."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    description = serializers.CharField()
    visiting_address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()
    opening_hours = serializers.CharField()
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    wijken = WijkRefSerializer(many=True)


class ProfessionalOrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProfessionalSerializer(serializers.Serializer[Any]):
    """A professional as the sociale kaart shows them: work contact details only."""

    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.get_full_name")
    job_title = serializers.CharField(source="user.job_title")
    organisation = ProfessionalOrganisationSerializer()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    phone = serializers.CharField(source="user.phone")
    email = serializers.EmailField(source="user.email")


class RoutekaartStepSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


class RoutekaartOrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    visiting_address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    opening_hours = serializers.CharField()
    website = serializers.CharField()


class RoutekaartGroupSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    explanation = serializers.CharField()
    organisations = RoutekaartOrganisationSerializer(many=True)


class RoutekaartWijkSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    municipality_code = serializers.CharField()


class PhoneSerializer(serializers.Serializer[Any]):
    emergency = serializers.CharField(help_text="112: direct danger.")
    veilig_thuis = serializers.CharField(help_text="Veilig Thuis, free, day and night, anonymous if wanted.")


class PublicRoutekaartSerializer(serializers.Serializer[Any]):
    wijk = RoutekaartWijkSerializer()
    phone_numbers = PhoneSerializer()
    steps = RoutekaartStepSerializer(many=True)
    groups = RoutekaartGroupSerializer(many=True)
    empty_message = serializers.CharField(allow_blank=True)
    page_url = serializers.CharField(help_text="The public routekaart page of this wijk, to link to.")
