from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from keten.core.crypto import mask_bsn, validate_bsn
from keten.dossiers.models import Dossier, Relation


class DossierListSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    family_name = serializers.CharField()
    status = serializers.ChoiceField(choices=Dossier.Status.choices)
    coordinator = serializers.CharField()
    updated_at = serializers.DateTimeField()
    children = serializers.IntegerField()


class DossierPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    results = DossierListSerializer(many=True)


class DossierSearchSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=100, help_text="BSN, part of the family name, or dossier reference")
    status = serializers.ChoiceField(choices=Dossier.Status.choices, required=False)
    page = serializers.IntegerField(min_value=1, required=False, default=1)


class PersonSerializer(serializers.Serializer[Any]):
    pseudonym = serializers.CharField(read_only=True)
    relation = serializers.ChoiceField(choices=Relation.choices)
    first_name = serializers.CharField(max_length=120)
    last_name = serializers.CharField(max_length=160)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    bsn = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=9, validators=[validate_bsn]
    )
    bsn_masked = serializers.SerializerMethodField()

    def get_bsn_masked(self, obj: Any) -> str:
        return mask_bsn(obj.bsn) if getattr(obj, "bsn", "") else ""

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("De geboortedatum kan niet in de toekomst liggen."))
        return value


class TeamMemberSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="user.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    case_role = serializers.CharField()


class DossierDetailSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    family_pseudonym = serializers.CharField(source="family.pseudonym")
    family_name = serializers.CharField(source="family.name")
    status = serializers.ChoiceField(choices=Dossier.Status.choices)
    summary = serializers.CharField()
    coordinator = serializers.CharField(allow_null=True)
    opened_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    persons = PersonSerializer(many=True)
    team = TeamMemberSerializer(many=True)


class DossierCreateSerializer(serializers.Serializer[Any]):
    family_name = serializers.CharField(max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    persons = PersonSerializer(many=True)
    confirm_duplicates = serializers.BooleanField(default=False)


class NoteCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=10000)
