"""Serializers of the meldcode API. Lists carry no free text; details carry structure, not notes."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from keten.meldcode.afwegingskader.tree import Decision
from keten.meldcode.models import Consultation, Status

STATUS_HELP = "One of: " + ", ".join(Status.values)


class TrajectListSerializer(serializers.Serializer):
    reference = serializers.CharField()
    dossier = serializers.CharField(source="dossier.reference", help_text="Reference of the dossier")
    organisation = serializers.CharField(source="organisation.name")
    status = serializers.CharField(help_text=STATUS_HELP)
    current_step = serializers.IntegerField(min_value=1, max_value=5)
    outcome = serializers.CharField(help_text="The decision taken (empty while undecided)")
    started_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    first_signal_on = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    help_evaluation_on = serializers.DateField(allow_null=True)
    melding_on = serializers.DateField(allow_null=True)
    vt_feedback_due = serializers.DateField(allow_null=True, help_text="Feedback of Veilig Thuis due (working days)")
    vt_feedback_on = serializers.DateField(allow_null=True)
    feedback_overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text="Send back as expected_version to detect concurrent changes")

    def get_feedback_overdue(self, obj: object) -> bool:
        due = getattr(obj, "vt_feedback_due", None)
        return bool(
            due
            and getattr(obj, "vt_feedback_on", None) is None
            and getattr(obj, "status", "") != Status.AFGESLOTEN
            and due < timezone.localdate()
        )


class TrajectPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    results = TrajectListSerializer(many=True)


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField(required=False, allow_blank=True)
    label = serializers.CharField()  # type: ignore[assignment]


class ChecklistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    organisation_type = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    items = ChecklistItemSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text="Where the afwegingskader ends up for the answers so far")
    meldnorm = serializers.CharField(allow_blank=True)
    next_question = serializers.IntegerField(allow_null=True, help_text="The afweging to answer next")
    allowed_decisions = serializers.ListField(child=serializers.CharField())


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    done = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class EntrySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    step = serializers.IntegerField()
    occurred_on = serializers.DateField()
    created_at = serializers.DateTimeField()
    author = serializers.CharField()
    organisation = serializers.CharField()
    corrects = serializers.IntegerField(allow_null=True)
    corrected = serializers.BooleanField()


class TrajectDetailExtraSerializer(serializers.Serializer):
    meldcode_version = serializers.CharField()
    afwegingen_step = serializers.IntegerField()
    checklists = ChecklistSerializer(many=True)
    evaluation = EvaluationSerializer()
    steps = StepSerializer(many=True)
    entries = EntrySummarySerializer(many=True)


class TrajectDetailSerializer(TrajectListSerializer, TrajectDetailExtraSerializer):
    """Everything of the list row plus the traject's structure."""


class TrajectCreateSerializer(serializers.Serializer):
    dossier = serializers.CharField(max_length=20, help_text="Reference of a dossier whose case team you are on")
    child = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="Pseudonym of the child; empty: the whole family"
    )


class EntryCreatedSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text="Id of the recorded entry")
    traject = TrajectListSerializer()


def _not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise serializers.ValidationError(_("Deze datum ligt in de toekomst. Vul een datum van vandaag of eerder in."))


class SignalCreateSerializer(serializers.Serializer):
    checklist = serializers.IntegerField(
        required=False, help_text="Id of one of the traject's checklists (see the detail)"
    )
    checklist_kind = serializers.CharField(
        required=False, help_text="Or the kind of checklist: kindsignalen, oudersignalen or beschermend"
    )
    codes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=100)
    observed_on = serializers.DateField(validators=[_not_in_future])
    source = serializers.CharField(max_length=200, help_text="'zelf', or who told it")  # type: ignore[assignment]
    facts = serializers.CharField(max_length=5000)
    interpretation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        if not attrs.get("checklist") and not attrs.get("checklist_kind"):
            raise serializers.ValidationError({"checklist": [_("Kies een checklist van dit traject.")]})
        return attrs


class ConsultationCreateSerializer(serializers.Serializer):
    to_user = serializers.IntegerField(help_text="User id of a candidate (GET the candidates first)")
    consultation_kind = serializers.ChoiceField(choices=Consultation.Kind.choices)
    question = serializers.CharField(max_length=5000)
    anonymous = serializers.BooleanField(default=True, help_text="Ask without the family's names")


class ConsultationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    requested_at = serializers.DateTimeField()
    traject = TrajectListSerializer()


class CandidateSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()


class AfwegingCreateSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=5)
    answer = serializers.BooleanField()
    motivation = serializers.CharField(max_length=5000)
    with_veilig_thuis = serializers.BooleanField(default=False)
    expected_version = serializers.IntegerField(required=False)


class DecisionCreateSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(d.value, d.value) for d in Decision])
    motivation = serializers.CharField(max_length=5000)
    help_agreements = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    help_evaluation_on = serializers.DateField(required=False, allow_null=True)
    expected_version = serializers.IntegerField(required=False)
