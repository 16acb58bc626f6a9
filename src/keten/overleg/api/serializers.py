"""Serializers of the overleg API: dossiers by reference, organisations and professionals by id."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    CaseRegistration,
    DiscussionEntry,
    OverlegType,
)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class OverlegProcessStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    criteria = serializers.CharField()


class OverlegTypeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="straf_zorg, mda_triage, wijk, mdo or overig")
    lead_organisation = serializers.IntegerField(source="lead_organisation_id")
    members = serializers.SerializerMethodField(help_text="Ids of the member organisations")
    chair = serializers.IntegerField(source="chair_id", allow_null=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="ISO weekdays, 1 = Monday")
    start_time = serializers.TimeField(allow_null=True)
    duration_minutes = serializers.IntegerField()
    location = serializers.CharField()
    online_link = serializers.CharField()
    convenant = serializers.IntegerField(source="convenant_id", allow_null=True)
    privacy_basis = serializers.CharField()
    is_active = serializers.BooleanField()
    steps = serializers.SerializerMethodField()

    def get_members(self, obj: OverlegType) -> list[int]:
        return sorted(o.pk for o in obj.members.all())

    def get_steps(self, obj: OverlegType) -> list[dict[str, Any]]:
        return OverlegProcessStepSerializer([s for s in obj.steps.all() if s.is_active], many=True).data  # type: ignore[return-value]


class OverlegMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    overleg_type = serializers.IntegerField(source="overleg_type_id")
    overleg_name = serializers.CharField(source="overleg_type.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="planned, held or cancelled")
    location = serializers.CharField()
    online_link = serializers.CharField()
    version = serializers.IntegerField()


class OverlegRegistrationListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    overleg_type = serializers.IntegerField(source="overleg_type_id")
    dossier = serializers.CharField(source="dossier.reference")
    status = serializers.CharField(help_text="aangemeld, toegelaten, afgewezen or afgesloten")
    process_step = serializers.IntegerField(source="process_step_id", allow_null=True)
    registered_by = serializers.IntegerField(source="registered_by_id")
    registered_at = serializers.DateTimeField()
    casusregisseur = serializers.IntegerField(source="casusregisseur_id", allow_null=True)
    version = serializers.IntegerField()


class OverlegRegistrationSerializer(OverlegRegistrationListSerializer):
    match = serializers.IntegerField(source="match_id", allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id")
    reason = serializers.CharField()
    goal = serializers.CharField()
    criteria = serializers.CharField(allow_null=True)
    partners = serializers.SerializerMethodField(help_text="Ids of the organisations to invite")
    family_informed = serializers.BooleanField()
    family_not_informed_reason = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.CharField(allow_null=True)
    follow_up = serializers.CharField(allow_null=True)
    follow_up_organisation = serializers.IntegerField(source="follow_up_organisation_id", allow_null=True)
    first_discussed_at = serializers.DateTimeField(allow_null=True)

    def get_partners(self, obj: CaseRegistration) -> list[int]:
        return sorted(o.pk for o in obj.invited_organisations.all())


class OverlegRegistrationCreateSerializer(serializers.Serializer):
    overleg_type = serializers.IntegerField()
    dossier = serializers.CharField(max_length=20, help_text="Reference of a dossier whose case team you are on")
    reason = serializers.CharField(max_length=4000)
    goal = serializers.CharField(max_length=4000, allow_blank=True)
    process_step = serializers.IntegerField(required=False, allow_null=True)
    criteria = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    partners = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=50)
    family_informed = serializers.BooleanField(default=True)
    family_not_informed_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    match = serializers.IntegerField(required=False, allow_null=True, help_text="Verwijsindex match id")


class OverlegAdmitSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    casusregisseur = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(help_text="The version of the registration you loaded")


class OverlegDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True)
    version = serializers.IntegerField()


class OverlegCloseRegistrationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True)
    follow_up = serializers.CharField(max_length=4000, allow_blank=True)
    follow_up_organisation = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField()


class OverlegAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration = serializers.IntegerField(source="registration_id")
    overleg_type = serializers.IntegerField(source="registration.overleg_type_id")
    overleg_name = serializers.CharField(source="registration.overleg_type.name")
    agenda_item = serializers.IntegerField(source="agenda_item_id", allow_null=True)
    meeting = serializers.SerializerMethodField()
    owner_user = serializers.IntegerField(source="owner_user_id", allow_null=True)
    owner_organisation = serializers.IntegerField(source="owner_organisation_id", allow_null=True)
    what = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField(help_text="open, done or cancelled")
    result = serializers.CharField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_meeting(self, obj: Agreement) -> int | None:
        return obj.agenda_item.meeting_id if obj.agenda_item is not None else None

    def get_overdue(self, obj: Agreement) -> bool:
        from django.utils import timezone

        return obj.status == AgreementStatus.OPEN and obj.due_on < timezone.localdate()


class OverlegAgreementVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    kind = serializers.CharField(help_text="created, updated, done, cancelled or reopened")
    changed_by = serializers.IntegerField(source="changed_by_id")
    changed_at = serializers.DateTimeField()
    changed_fields = serializers.ListField(child=serializers.CharField(), source="fields")


class OverlegAgreementDetailSerializer(OverlegAgreementSerializer):
    history = serializers.SerializerMethodField()

    def get_history(self, obj: Agreement) -> list[dict[str, Any]]:
        rows = self.context.get("versions", [])
        return OverlegAgreementVersionSerializer(rows, many=True).data  # type: ignore[return-value]


class OverlegAgreementCreateSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField()
    what = serializers.CharField(max_length=4000, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    owner_user = serializers.IntegerField(required=False, allow_null=True)
    owner_organisation = serializers.IntegerField(required=False, allow_null=True)


class OverlegAgreementUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you loaded; a newer one answers 409")
    what = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    owner_user = serializers.IntegerField(required=False, allow_null=True)
    owner_organisation = serializers.IntegerField(required=False, allow_null=True)


class OverlegAgreementCloseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField(max_length=12, help_text="done or cancelled")
    result = serializers.CharField(max_length=4000, allow_blank=True)


class OverlegDiscussionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id")
    created_at = serializers.DateTimeField()
    summary = serializers.CharField(allow_null=True)
    mensen = serializers.CharField(allow_null=True)
    feiten = serializers.CharField(allow_null=True)
    weging = serializers.CharField(allow_null=True)
    volgende_stappen = serializers.CharField(allow_null=True)
    decisions = serializers.CharField(allow_null=True)
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)

    def get_author(self, obj: DiscussionEntry) -> str:
        return _name(obj.author)


class OverlegAgendaRowSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField(source="item.pk")
    order = serializers.IntegerField(source="item.order")
    agenda_source = serializers.CharField(
        source="item.source", help_text="triage, follow_up (open agreements come back) or manual"
    )
    registration = OverlegRegistrationListSerializer()
    goal = serializers.CharField(source="registration.goal")
    open_agreements = OverlegAgreementSerializer(many=True)
    discussion = OverlegDiscussionSerializer(many=True)


class OverlegAttendanceSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id")
    present = serializers.BooleanField(allow_null=True)

    def get_name(self, obj: Any) -> str:
        return _name(obj.user)


class OverlegMeetingPageSerializer(serializers.Serializer):
    meeting = OverlegMeetingSerializer()
    attendances = OverlegAttendanceSerializer(many=True)
    agenda = OverlegAgendaRowSerializer(many=True, source="rows")
    hidden = serializers.IntegerField(help_text="Cases on the agenda that you may not see")
    can_manage = serializers.BooleanField()
    can_record = serializers.BooleanField()
