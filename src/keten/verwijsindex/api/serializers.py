"""Serializers of the verwijsindex API. Nothing here carries the young person's identity back out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from keten.verwijsindex.models import EndReason, FeedEvent, MatchKind, MatchStatus, SignalStatus, WebhookAttempt

MAX_ID = 2**31 - 1
RISK_CHOICES = [(c, c) for c in "abcdefghijkl"]


@extend_schema_serializer(deprecate_fields=["professional", "professional_email"])
class ViSignalCreateSerializer(serializers.Serializer):
    bsn = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="BSN of the young person (9 digits); if known"
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField()
    parent_bsns = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        max_length=4,
        help_text="BSNs of the parents, for family matches",
    )
    risk_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=RISK_CHOICES),
        min_length=1,
        max_length=12,
        help_text="Risk categories a–l of the law. Kept in the professional's own record, never in the index.",
    )
    criteria_confirmed = serializers.BooleanField(
        help_text="The professional confirms one of the municipality's registration criteria applies"
    )
    parents_informed_on = serializers.DateField(required=False, allow_null=True, default=None)
    youth_informed_on = serializers.DateField(required=False, allow_null=True, default=None)
    notice_postponed = serializers.BooleanField(required=False, default=False)
    postpone_motivation = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254)
    professional = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Deprecated: name the professional in the `Keten-Professional` header. System tokens: id of "
        "the professional (an active case-role member of your organisation) the signal is for; checked like the "
        "header, and with the header it may only repeat the same professional",
    )
    professional_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        default="",
        max_length=254,
        help_text="Deprecated: name the professional in the `Keten-Professional` header. System tokens: instead "
        "of `professional`, the e-mail address of that professional",
    )
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="System tokens: the same key again returns the signal made the first time (also the "
        "`Idempotency-Key` header)",
    )
    confirm_new_youth = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Without BSN: after a 409 confirm_identity, the young person is someone new",
    )
    confirm_same_youth = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Without BSN: after a 409 confirm_identity with one candidate, it is that same young person",
    )


class ViBulkSignalSerializer(serializers.Serializer):
    signals = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=1000, help_text="Up to 1,000 signals (as single)"
    )


class ViIdNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ViSignalMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MatchKind.choices)
    status = serializers.CharField(help_text="Match status: " + ", ".join(MatchStatus.values))
    coordinator_signal = serializers.IntegerField(allow_null=True)
    contact_due = serializers.DateField()


class ViSignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="Signal status: " + ", ".join(SignalStatus.values))
    registered_on = serializers.DateField()
    active_until = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.ChoiceField(choices=[("", ""), *EndReason.choices])
    organisation = ViIdNameSerializer()
    professional = ViIdNameSerializer()
    contact_phone = serializers.CharField(allow_blank=True)
    contact_email = serializers.CharField(allow_blank=True)
    idempotency_key = serializers.CharField(allow_blank=True)
    matches = ViSignalMatchSerializer(many=True, help_text="Live matches this signal takes part in")


class ViSignalCreatedSerializer(ViSignalSerializer):
    created = serializers.BooleanField(help_text="false: an earlier call with the same idempotency key made it")
    history = serializers.IntegerField(help_text="Number of earlier, archived signals on this young person")


class ViSignalPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    results = ViSignalSerializer(many=True)


class ViBulkRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.CharField(help_text="created, existing (same idempotency key) or error")
    signal = serializers.IntegerField(allow_null=True)
    matches = serializers.ListField(child=serializers.IntegerField())
    code = serializers.CharField(allow_blank=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]


class ViBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = ViBulkRowResultSerializer(many=True)


class ViParticipantSerializer(serializers.Serializer):
    signal = serializers.IntegerField()
    active = serializers.BooleanField()
    organisation = ViIdNameSerializer()
    professional = serializers.CharField(help_text="Name of the professional")
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class ViEventMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MatchKind.choices)
    status = serializers.CharField(help_text="Match status: " + ", ".join(MatchStatus.values))
    contact_due = serializers.DateField(allow_null=True)
    coordinator_signal = serializers.IntegerField(allow_null=True)
    cross_municipality = serializers.BooleanField()


class ViFeedEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Also the cursor: pass the last one seen as `after`")
    type = serializers.ChoiceField(choices=FeedEvent.Kind.choices)
    occurred_at = serializers.DateTimeField()
    match = ViEventMatchSerializer()
    own_signals = serializers.ListField(child=serializers.IntegerField(), help_text="Your organisation's signals")
    participants = ViParticipantSerializer(many=True)


class ViFeedPageSerializer(serializers.Serializer):
    next_cursor = serializers.IntegerField(help_text="Pass as `after` in the next call")
    has_more = serializers.BooleanField()
    results = ViFeedEventSerializer(many=True)


class ViWebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="https address that receives the events as POST")
    secret = serializers.CharField(
        min_length=24,
        max_length=200,
        write_only=True,
        help_text="Shared secret for the X-Keten-Signature HMAC-SHA256 header (at least 24 characters)",
    )


class ViWebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()


class ViWebhookAttemptSerializer(serializers.Serializer):
    attempted_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(
        allow_null=True, help_text="HTTP status code of your answer (a redirect is not followed); null without one"
    )
    duration_ms = serializers.IntegerField(
        source="reported_duration_ms", allow_null=True, help_text="Only for a call that got an HTTP answer"
    )
    error = serializers.ChoiceField(
        choices=[("", ""), *WebhookAttempt.Error.choices],
        allow_blank=True,
        help_text="Without an HTTP answer: 'niet bereikbaar' (no connection, refused or not a public address, "
        "no valid certificate), 'ongeldig antwoord' (not HTTP) or 'time-out'",
    )


class ViWebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    type = serializers.CharField(source="event.kind")
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    log = ViWebhookAttemptSerializer(many=True)
