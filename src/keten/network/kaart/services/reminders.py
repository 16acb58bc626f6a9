"""The scheduled reminder to confirm stale sociale kaart entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, OrganisationType, Role, User
from keten.core import audit
from keten.core.models import AuditAction
from keten.network.models import OrganisationEntry
from keten.notifications.services import notification_send


@dataclass(frozen=True)
class EntryReminder:
    """What one run of the reminders did for one stale entry."""

    organisation_id: int
    organisation_name: str
    last_confirmed_at: datetime | None
    recipients: int


def _reminder_recipients(entries: list[OrganisationEntry]) -> dict[int, list[User]]:
    """Per organisation: its functioneel beheerders plus its designated editors who still work there.

    When an organisation has neither, the functioneel beheerders of the gemeente organisation of its
    municipality are asked instead, so that no stale entry goes unnoticed. Three queries in all.
    """
    organisation_ids = [e.organisation_id for e in entries]
    members: dict[int, dict[int, Membership]] = {}
    for membership in Membership.objects.filter(
        organisation_id__in=organisation_ids, is_active=True, user__is_active=True
    ).select_related("user"):
        members.setdefault(membership.organisation_id, {})[membership.user_id] = membership
    municipality_ids = {e.organisation.municipality_id for e in entries}
    gemeente_beheerders: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        organisation__municipality_id__in=municipality_ids,
        organisation__type=OrganisationType.GEMEENTE,
        organisation__is_active=True,
        role=Role.FUNCTIONEEL_BEHEERDER,
        is_active=True,
        user__is_active=True,
    ).select_related("user", "organisation"):
        gemeente_beheerders.setdefault(membership.organisation.municipality_id, []).append(membership.user)
    result: dict[int, list[User]] = {}
    for entry in entries:
        staff = members.get(entry.organisation_id, {})
        people = {m.user_id: m.user for m in staff.values() if m.role == Role.FUNCTIONEEL_BEHEERDER}
        for editor in entry.editors.all():
            if editor.pk in staff:
                people[editor.pk] = staff[editor.pk].user
        if not people:
            people = {u.pk: u for u in gemeente_beheerders.get(entry.organisation.municipality_id, [])}
        result[entry.organisation_id] = sorted(people.values(), key=lambda u: u.pk)
    return result


def _reminder_due(now: datetime) -> Q:
    stale = Q(last_confirmed_at__isnull=True) | Q(
        last_confirmed_at__lt=now - timedelta(days=round(settings.KETEN_NETWORK_STALE_MONTHS * 30.44))
    )
    not_recently = Q(last_reminder_sent_at__isnull=True) | Q(
        last_reminder_sent_at__lte=now - timedelta(days=settings.KETEN_NETWORK_REMINDER_DAYS)
    )
    return stale & not_recently


def entry_reminders_send(*, now: datetime | None = None) -> list[EntryReminder]:
    """Remind the people who may edit a stale entry to check and confirm it (a scheduled job).

    An entry is stale when it was not confirmed for ``KETEN_NETWORK_STALE_MONTHS``; it gets at most
    one reminder per ``KETEN_NETWORK_REMINDER_DAYS``, recorded in ``last_reminder_sent_at``, so
    running the job twice on one day sends nothing the second time. An entry without anybody to
    notify is reported with 0 recipients and tried again on the next run.
    """
    now = now or timezone.now()
    entries = list(
        OrganisationEntry.objects.filter(_reminder_due(now), organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("editors")
        .order_by("organisation__name", "pk")
    )
    recipients = _reminder_recipients(entries)
    done: list[EntryReminder] = []
    for entry in entries:
        people = recipients[entry.organisation_id]
        sent = 0
        if people:
            with transaction.atomic():
                # Claim the entry first: a parallel run that got here earlier leaves nothing to claim.
                claimed = (
                    OrganisationEntry.objects.filter(_reminder_due(now), pk=entry.pk).update(last_reminder_sent_at=now)
                    == 1
                )
                if claimed:
                    organisation = entry.organisation
                    if entry.last_confirmed_at is None:
                        body = _("De gegevens zijn nog nooit bevestigd. Kijk ze na en bevestig of wijzig ze.")
                    else:
                        body = _(
                            "De gegevens zijn sinds %(date)s niet meer bevestigd. Kijk ze na en bevestig of wijzig ze."
                        ) % {"date": date_format(timezone.localtime(entry.last_confirmed_at), "j F Y")}
                    sent = notification_send(
                        recipients=people,
                        kind="network_entry_stale",
                        title=_("Kloppen de gegevens van %(organisation)s op de sociale kaart nog?")
                        % {"organisation": organisation.name},
                        body=body,
                        link=reverse("network:organisation", args=[organisation.pk]),
                    )
                    audit.record(
                        actor=None,
                        action=AuditAction.UPDATE,
                        object_type="organisation_entry",
                        object_id=organisation.pk,
                        details={"reminder_sent": True, "recipients": [u.pk for u in people]},
                        user_label="systeem: herinneringen sociale kaart",
                    )
            if not claimed:
                continue
        done.append(
            EntryReminder(
                organisation_id=entry.organisation_id,
                organisation_name=entry.organisation.name,
                last_confirmed_at=entry.last_confirmed_at,
                recipients=sent,
            )
        )
    return done
