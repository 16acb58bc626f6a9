"""Serializers of the informatie delen API: persons by pseudonym, organisations by id."""

from __future__ import annotations

from rest_framework import serializers

from keten.sharing.models import Consent, Convenant, DataCategory, Disclosure, GiverRole, LegalBasis


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    giver = serializers.CharField(source="giver.pseudonym", help_text="Pseudonym of the person who gave consent")
    giver_role = serializers.ChoiceField(choices=GiverRole.choices)
    about = serializers.CharField(source="about.pseudonym", help_text="Pseudonym of the person it is about")
    purpose = serializers.CharField()
    recipients = serializers.SerializerMethodField()
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    given_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    state = serializers.SerializerMethodField(help_text="geldig, ingetrokken or verlopen (today)")

    def get_recipients(self, obj: Consent) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())

    def get_state(self, obj: Consent) -> str:
        from django.utils import timezone

        if obj.withdrawn_on is not None:
            return "ingetrokken"
        if obj.valid_until is not None and obj.valid_until < timezone.localdate():
            return "verlopen"
        return "geldig"


class ConsentCreateSerializer(serializers.Serializer):
    giver = serializers.CharField(max_length=16, help_text="Pseudonym of a person of the dossier's family")
    giver_role = serializers.ChoiceField(choices=GiverRole.choices)
    about = serializers.CharField(max_length=16, help_text="Pseudonym of a person of the dossier's family")
    purpose = serializers.CharField(max_length=2000)
    recipients = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    given_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()


class DisclosureSerializer(serializers.Serializer):
    reference = serializers.CharField()
    about = serializers.SerializerMethodField()
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    recipient_organisation = serializers.IntegerField(source="recipient_organisation_id")
    recipient_organisation_name = serializers.CharField(source="recipient_organisation.name")
    recipient_name = serializers.CharField()
    purpose = serializers.CharField()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    convenant = serializers.IntegerField(source="convenant_id", allow_null=True)
    consent = serializers.IntegerField(source="consent_id", allow_null=True)
    client_informed = serializers.BooleanField()
    client_informed_on = serializers.DateField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.get_full_name")
    shared_on = serializers.DateField()
    created_at = serializers.DateTimeField()

    def get_about(self, obj: Disclosure) -> list[str]:
        return sorted(p.pseudonym for p in obj.about.all())


class DisclosureCreateSerializer(serializers.Serializer):
    about = serializers.ListField(child=serializers.CharField(max_length=16), min_length=1, max_length=20)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices), min_length=1)
    items = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)
    recipient_organisation = serializers.IntegerField()
    recipient_user = serializers.IntegerField(required=False, allow_null=True)
    recipient_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=2000)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    no_consent_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    shared_on = serializers.DateField()
    client_informed = serializers.BooleanField()
    client_informed_on = serializers.DateField(required=False, allow_null=True)
    not_informed_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    advice = serializers.DictField(required=False, default=dict, help_text="The deelhulp result, if used")
    override_motivation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    grant_days = serializers.IntegerField(
        required=False, default=0, help_text="Days of access for a recipient inside Keten (1-90)"
    )


class FlowSerializer(serializers.Serializer):
    from_types = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    to_types = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    purpose = serializers.CharField(max_length=300)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices), min_length=1)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ConvenantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    parties = serializers.SerializerMethodField()
    purposes = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    document_url = serializers.CharField()
    version = serializers.IntegerField()
    flows = FlowSerializer(many=True, source="flows.all")

    def get_parties(self, obj: Convenant) -> list[int]:
        return sorted(o.pk for o in obj.parties.all())


class ConvenantCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    parties = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=200)
    purposes = serializers.ListField(child=serializers.CharField(max_length=300), min_length=1)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    document_url = serializers.URLField(required=False, allow_blank=True, default="")
    flows = FlowSerializer(many=True)
