"""Writes of the sociale kaart: entries, postcode ranges, agreements and contact requests.

Each function is one use case in one transaction with its audit event inside that transaction; a
failed call changes nothing. Notifications go out after the commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.network.models import Agreement, AgreementType, ContactRequest, OrganisationEntry, PostcodeRange
from keten.network.search import search_text_for
from keten.network.selectors import format_postcode
from keten.notifications.services import notification_send

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
# Nine digits in a row look like a BSN: a contact request must not carry one.
_BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)")


@dataclass
class EntryData:
    description: str = ""
    visiting_address: str = ""
    postcode: str = ""
    phone: str = ""
    secure_email: str = ""
    website: str = ""
    opening_hours: str = ""
    expertise: list[str] = field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    is_public: bool = False


@dataclass
class AgreementData:
    type: str
    title: str
    promise: str
    party_ids: list[int]
    start_date: date
    team_ids: list[int] = field(default_factory=list)
    contact_person_ids: list[int] = field(default_factory=list)
    wijk_ids: list[int] = field(default_factory=list)
    review_date: date | None = None
    end_date: date | None = None
    bestuurlijk_vastgesteld: bool = False
    source_url: str = ""


def _check_entry(data: EntryData) -> EntryData:
    postcode = format_postcode(data.postcode) if data.postcode.strip() else ""
    tags: list[str] = []
    for raw in data.expertise:
        tag = " ".join(str(raw).split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise DomainError(
                _("Houd elk expertiselabel korter dan %(n)d tekens.") % {"n": MAX_TAG_LENGTH}, field="expertise"
            )
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise DomainError(_("Geef hoogstens %(n)d expertiselabels op.") % {"n": MAX_TAGS}, field="expertise")
    for name, value in (("age_min", data.age_min), ("age_max", data.age_max)):
        if value is not None and not 0 <= value <= 120:
            raise DomainError(_("Vul een leeftijd tussen 0 en 120 in."), field=name)
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        raise DomainError(_("De leeftijd 'tot en met' kan niet lager zijn dan 'vanaf'."), field="age_max")
    return EntryData(
        description=data.description.strip(),
        visiting_address=data.visiting_address.strip(),
        postcode=postcode,
        phone=data.phone.strip(),
        secure_email=data.secure_email.strip(),
        website=data.website.strip(),
        opening_hours=data.opening_hours.strip(),
        expertise=tags,
        age_min=data.age_min,
        age_max=data.age_max,
        is_public=data.is_public,
    )


def _require_entry_manager(actor: Actor, organisation: Organisation) -> None:
    if actor.user is None or not allows("network.edit_entry", actor.user, organisation):
        raise NotFoundError


def entry_update(
    *, actor: Actor, organisation: Organisation, expected_version: int, data: EntryData
) -> OrganisationEntry:
    """Create or change the sociale kaart entry of an organisation (version 0: there is none yet)."""
    _require_entry_manager(actor, organisation)
    clean = _check_entry(data)
    with transaction.atomic():
        entry = OrganisationEntry.objects.filter(organisation=organisation).first()
        if entry is None:
            if expected_version != 0:
                raise ConflictError
            entry = OrganisationEntry(organisation=organisation, version=1)
            action = AuditAction.CREATE
        else:
            changed = OrganisationEntry.objects.filter(pk=entry.pk, version=expected_version).update(
                version=F("version") + 1
            )
            if not changed:
                raise ConflictError
            entry.refresh_from_db()
            action = AuditAction.UPDATE
        for name, value in vars(clean).items():
            setattr(entry, name, value)
        entry.search_text = search_text_for(organisation, entry)
        entry.save()
        audit.record(actor=actor, action=action, object_type="organisation_entry", object_id=organisation.pk)
    return entry


def entry_confirm(*, actor: Actor, organisation: Organisation) -> OrganisationEntry:
    """Confirm that the entry is still right (creates an empty entry when there is none yet)."""
    _require_entry_manager(actor, organisation)
    with transaction.atomic():
        entry, _created = OrganisationEntry.objects.get_or_create(organisation=organisation)
        entry.last_confirmed_at = timezone.now()
        entry.confirmed_by = actor.user
        entry.search_text = search_text_for(organisation, entry)
        entry.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"confirmed": True},
        )
    return entry


def _actor_municipality_id(actor: Actor) -> int:
    if actor.membership is None:
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def postcode_range_create(*, actor: Actor, wijk_id: int, start: int, end: int) -> PostcodeRange:
    """Add a postcode range to a wijk of the functioneel beheerder's municipality."""
    if actor.user is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    municipality_id = _actor_municipality_id(actor)
    wijk = Wijk.objects.filter(pk=wijk_id, municipality_id=municipality_id).first()
    if wijk is None:
        raise DomainError(_("Kies een wijk uit de lijst."), field="wijk")
    for name, value in (("start", start), ("end", end)):
        if not 1000 <= value <= 9999:
            raise DomainError(_("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."), field=name)
    if start > end:
        raise DomainError(_("Het einde van het postcodegebied kan niet voor het begin liggen."), field="end")
    with transaction.atomic():
        # Serialise range changes of one municipality, so two overlapping ranges cannot both pass.
        Municipality.objects.select_for_update().filter(pk=municipality_id).first()
        overlap = (
            PostcodeRange.objects.filter(wijk__municipality_id=municipality_id, start__lte=end, end__gte=start)
            .select_related("wijk")
            .first()
        )
        if overlap is not None:
            raise DomainError(
                _("Dit postcodegebied overlapt met %(start)d–%(end)d van wijk %(wijk)s.")
                % {"start": overlap.start, "end": overlap.end, "wijk": overlap.wijk.name},
                field="start",
            )
        postcode_range = PostcodeRange.objects.create(wijk=wijk, start=start, end=end)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="postcode_range",
            object_id=postcode_range.pk,
            details={"wijk": wijk.pk, "start": start, "end": end},
        )
    return postcode_range


def postcode_range_delete(*, actor: Actor, postcode_range: PostcodeRange) -> None:
    """Remove a postcode range of a wijk of the functioneel beheerder's municipality."""
    if actor.user is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    municipality_id = _actor_municipality_id(actor)
    with transaction.atomic():
        locked = (
            PostcodeRange.objects.select_for_update()
            .filter(pk=postcode_range.pk, wijk__municipality_id=municipality_id)
            .select_related("wijk")
            .first()
        )
        if locked is None:
            raise NotFoundError
        details = {"wijk": locked.wijk_id, "start": locked.start, "end": locked.end}
        locked.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="postcode_range",
            object_id=postcode_range.pk,
            details=details,
        )


def _require_agreement_manager(actor: Actor) -> int:
    if actor.user is None or not allows("network.manage_agreements", actor.user):
        raise NotFoundError
    return _actor_municipality_id(actor)


def _check_agreement(municipality_id: int, data: AgreementData) -> None:
    if data.type not in AgreementType.values:
        raise DomainError(_("Kies een soort afspraak."), field="type")
    if not data.title.strip():
        raise DomainError(_("Geef de afspraak een titel."), field="title")
    if not data.promise.strip():
        raise DomainError(_("Beschrijf wat de partijen elkaar concreet beloven."), field="promise")
    party_ids = set(data.party_ids)
    if len(party_ids) < 2:
        raise DomainError(_("Een samenwerkingsafspraak heeft minstens twee partijen."), field="parties")
    valid_parties = Organisation.objects.filter(pk__in=party_ids, municipality_id=municipality_id, is_active=True)
    if valid_parties.count() != len(party_ids):
        raise DomainError(_("Kies alleen actieve organisaties uit uw eigen gemeente als partij."), field="parties")
    if data.team_ids and Team.objects.filter(pk__in=data.team_ids, organisation_id__in=party_ids).count() != len(
        set(data.team_ids)
    ):
        raise DomainError(_("Kies alleen teams van de partijen bij de afspraak."), field="teams")
    if data.wijk_ids and Wijk.objects.filter(pk__in=data.wijk_ids, municipality_id=municipality_id).count() != len(
        set(data.wijk_ids)
    ):
        raise DomainError(_("Kies alleen wijken van uw eigen gemeente."), field="wijken")
    if data.contact_person_ids:
        members = Membership.objects.filter(
            user_id__in=data.contact_person_ids, organisation_id__in=party_ids, is_active=True
        ).values_list("user_id", flat=True)
        if set(members) != set(data.contact_person_ids):
            raise DomainError(
                _("Kies alleen contactpersonen die werken bij een van de partijen."), field="contact_persons"
            )
    if data.review_date is not None and data.review_date < data.start_date:
        raise DomainError(_("De evaluatiedatum kan niet voor de ingangsdatum liggen."), field="review_date")
    if data.end_date is not None and data.end_date < data.start_date:
        raise DomainError(_("De einddatum kan niet voor de ingangsdatum liggen."), field="end_date")


def _apply_agreement(agreement: Agreement, data: AgreementData) -> None:
    agreement.type = data.type
    agreement.title = data.title.strip()
    agreement.promise = data.promise.strip()
    agreement.start_date = data.start_date
    agreement.review_date = data.review_date
    agreement.end_date = data.end_date
    agreement.bestuurlijk_vastgesteld = data.bestuurlijk_vastgesteld
    agreement.source_url = data.source_url.strip()
    agreement.save()
    agreement.parties.set(set(data.party_ids))
    agreement.teams.set(set(data.team_ids))
    agreement.contact_persons.set(set(data.contact_person_ids))
    agreement.wijken.set(set(data.wijk_ids))


def agreement_create(*, actor: Actor, data: AgreementData) -> Agreement:
    municipality_id = _require_agreement_manager(actor)
    _check_agreement(municipality_id, data)
    with transaction.atomic():
        agreement = Agreement(municipality_id=municipality_id)
        _apply_agreement(agreement, data)
        audit.record(actor=actor, action=AuditAction.CREATE, object_type="agreement", object_id=agreement.pk)
    return agreement


def _bump(agreement: Agreement, expected_version: int) -> Agreement:
    changed = Agreement.objects.filter(pk=agreement.pk, version=expected_version).update(version=F("version") + 1)
    if not changed:
        raise ConflictError
    agreement.refresh_from_db()
    return agreement


def _own_agreement(actor: Actor, agreement: Agreement) -> int:
    municipality_id = _require_agreement_manager(actor)
    if agreement.municipality_id != municipality_id:
        raise NotFoundError
    return municipality_id


def agreement_update(*, actor: Actor, agreement: Agreement, expected_version: int, data: AgreementData) -> Agreement:
    municipality_id = _own_agreement(actor, agreement)
    _check_agreement(municipality_id, data)
    with transaction.atomic():
        _bump(agreement, expected_version)
        _apply_agreement(agreement, data)
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="agreement", object_id=agreement.pk)
    return agreement


def agreement_end(*, actor: Actor, agreement: Agreement, expected_version: int, end_date: date) -> Agreement:
    """End an agreement on ``end_date`` (not before its start)."""
    _own_agreement(actor, agreement)
    if end_date < agreement.start_date:
        raise DomainError(_("De einddatum kan niet voor de ingangsdatum liggen."), field="end_date")
    with transaction.atomic():
        _bump(agreement, expected_version)
        agreement.end_date = end_date
        agreement.save(update_fields=["end_date"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="agreement",
            object_id=agreement.pk,
            details={"ended": end_date.isoformat()},
        )
    return agreement


def contact_request_create(
    *, actor: Actor, to_organisation: Organisation, kind: str, message: str, to_user_id: int | None = None
) -> ContactRequest:
    """Record a consultation or referral request; the recipient's aandachtsfunctionarissen are notified."""
    if actor.user is None or actor.membership is None or not allows("network.request_contact", actor.user):
        raise NotFoundError
    if (
        not to_organisation.is_active
        or to_organisation.municipality_id != actor.membership.organisation.municipality_id
    ):
        raise NotFoundError
    if kind not in ContactRequest.Kind.values:
        raise DomainError(_("Kies consultatie of verwijzing."), field="kind")
    text = message.strip()
    if not text:
        raise DomainError(_("Beschrijf kort uw vraag."), field="message")
    if len(text) > 1000:
        raise DomainError(_("Houd uw vraag korter dan 1000 tekens."), field="message")
    if _BSN_LIKE.search(text.replace(" ", "").replace(".", "")):
        raise DomainError(
            _("Uw vraag lijkt een BSN te bevatten. Zet geen gegevens van cliënten in deze vraag."), field="message"
        )
    recipient: User | None = None
    if to_user_id is not None:
        membership = (
            Membership.objects.filter(
                user_id=to_user_id, organisation=to_organisation, is_active=True, user__is_active=True
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise DomainError(_("Kies een professional van deze organisatie."), field="to_user")
        recipient = membership.user
    with transaction.atomic():
        request = ContactRequest.objects.create(
            from_user=actor.user,
            from_organisation=actor.membership.organisation,
            to_organisation=to_organisation,
            to_user=recipient,
            kind=kind,
            message=text,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="contact_request",
            object_id=request.pk,
            details={"to_organisation": to_organisation.pk, "kind": kind},
        )
        officers = [
            m.user
            for m in Membership.objects.filter(
                organisation=to_organisation, role=Role.AANDACHTSFUNCTIONARIS, is_active=True, user__is_active=True
            ).select_related("user")
        ]
        if recipient is not None:
            officers.append(recipient)
        notification_send(
            recipients=officers,
            kind="network_contact_request",
            title=_("Nieuwe vraag om %(kind)s van %(organisation)s")
            % {"kind": request.get_kind_display().lower(), "organisation": actor.membership.organisation.name},
            body=_("Open Keten om de vraag te lezen."),
            link=reverse("network:organisation", args=[to_organisation.pk]),
        )
    return request


def _require_editor_manager(actor: Actor, organisation: Organisation) -> None:
    if (
        actor.user is None
        or not organisation.is_active
        or not allows("network.manage_entry_editors", actor.user, organisation)
    ):
        raise NotFoundError


def entry_editor_add(*, actor: Actor, organisation: Organisation, user_id: int) -> OrganisationEntry:
    """Designate an active member of the organisation as editor of its sociale kaart entry.

    Only a functioneel beheerder of the organisation (or of the gemeente organisation) may do this;
    the new editor is notified after the commit.
    """
    _require_editor_manager(actor, organisation)
    membership = (
        Membership.objects.filter(user_id=user_id, organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError(_("Kies een medewerker van deze organisatie."), field="user")
    with transaction.atomic():
        entry, _created = OrganisationEntry.objects.get_or_create(organisation=organisation)
        entry = OrganisationEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.editors.filter(pk=user_id).exists():
            raise DomainError(_("Deze medewerker mag de gegevens al bijwerken."), field="user")
        entry.editors.add(membership.user)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"editor_added": user_id},
        )
        notification_send(
            recipients=[membership.user],
            kind="network_entry_editor",
            title=_("U mag nu de gegevens van %(organisation)s op de sociale kaart bijwerken")
            % {"organisation": organisation.name},
            body=_("Houd de gegevens actueel en bevestig ze als ze nog kloppen."),
            link=reverse("network:organisation", args=[organisation.pk]),
        )
    return entry


def entry_editor_remove(*, actor: Actor, organisation: Organisation, user_id: int) -> OrganisationEntry:
    """Take away a designated editor's right to change the organisation's entry."""
    _require_editor_manager(actor, organisation)
    with transaction.atomic():
        entry = OrganisationEntry.objects.select_for_update().filter(organisation=organisation).first()
        if entry is None or not entry.editors.filter(pk=user_id).exists():
            raise DomainError(_("Deze medewerker staat niet in de lijst van redacteuren."), field="user")
        entry.editors.remove(user_id)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"editor_removed": user_id},
        )
    return entry


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
