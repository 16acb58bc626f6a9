"""Writes of the sociale kaart: rules, nothing written on bad input, version conflicts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from keten.accounts.models import Organisation, User, Wijk
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.network.kaart import services
from keten.network.models import Agreement, AgreementType, ContactRequest, OrganisationEntry, PostcodeRange
from keten.notifications.models import Notification

ActorOf = Callable[[User], Actor]


def _agreement(parties: list[Organisation], **kwargs: Any) -> services.AgreementData:
    values: dict[str, Any] = {
        "type": AgreementType.BEREIKBAARHEID,
        "title": "Bereikbaarheid aandachtsfunctionarissen",
        "promise": "Wij bellen binnen één werkdag terug.",
        "party_ids": [p.pk for p in parties],
        "start_date": date(2026, 1, 1),
    }
    values.update(kwargs)
    return services.AgreementData(**values)


def test_entry_update_by_gemeente_beheerder(actor_of: ActorOf, fb_gemeente: User, school: Organisation) -> None:
    entry = services.entry_update(
        actor=actor_of(fb_gemeente),
        organisation=school,
        expected_version=1,
        data=services.EntryData(postcode="3521ab", expertise=["Zorgteam", "zorgteam", " IB "], age_min=4, age_max=12),
    )
    assert entry.version == 2
    assert entry.postcode == "3521 AB"
    assert entry.expertise == ["Zorgteam", "IB"]
    assert "basisschool de zoe" in entry.search_text
    assert AuditEvent.objects.filter(object_type="organisation_entry", action="update").count() == 1


def test_entry_update_version_conflict(actor_of: ActorOf, fb_school: User, school: Organisation) -> None:
    actor = actor_of(fb_school)
    services.entry_update(actor=actor, organisation=school, expected_version=1, data=services.EntryData(phone="1"))
    services.entry_update(actor=actor, organisation=school, expected_version=2, data=services.EntryData(phone="2"))
    with pytest.raises(ConflictError):
        services.entry_update(actor=actor, organisation=school, expected_version=2, data=services.EntryData(phone="3"))
    assert OrganisationEntry.objects.get(organisation=school).phone == "2"


def test_entry_update_refuses_others(
    actor_of: ActorOf,
    fb_school: User,
    beleid: User,
    school_prof: User,
    fb_elders: User,
    jgz: Organisation,
    school: Organisation,
) -> None:
    for user, organisation in ((fb_school, jgz), (beleid, school), (school_prof, school), (fb_elders, school)):
        with pytest.raises(NotFoundError):
            services.entry_update(
                actor=actor_of(user), organisation=organisation, expected_version=1, data=services.EntryData(phone="1")
            )
    assert OrganisationEntry.objects.get(organisation=school).phone == ""
    assert not AuditEvent.objects.filter(object_type="organisation_entry").exists()


def test_entry_update_bad_input_writes_nothing(actor_of: ActorOf, fb_gemeente: User, school: Organisation) -> None:
    actor = actor_of(fb_gemeente)
    for data, field in (
        (services.EntryData(postcode="0123 AB"), "postcode"),
        (services.EntryData(postcode="3521 SS"), "postcode"),
        (services.EntryData(age_min=12, age_max=4), "age_max"),
        (services.EntryData(expertise=["x" * 41]), "expertise"),
    ):
        with pytest.raises(DomainError) as exc:
            services.entry_update(actor=actor, organisation=school, expected_version=1, data=data)
        assert exc.value.field == field
    assert OrganisationEntry.objects.get(organisation=school).version == 1
    assert not AuditEvent.objects.filter(object_type="organisation_entry").exists()


def test_entry_confirm(actor_of: ActorOf, fb_school: User, school: Organisation) -> None:
    entry = services.entry_confirm(actor=actor_of(fb_school), organisation=school)
    assert entry.last_confirmed_at is not None
    assert entry.confirmed_by == fb_school


def test_postcode_range_rules(actor_of: ActorOf, fb_gemeente: User, wijk_noord: Wijk, wijk_zuid: Wijk) -> None:
    actor = actor_of(fb_gemeente)
    before = PostcodeRange.objects.count()
    for start, end, field in ((3600, 3590, "end"), (999, 1005, "start"), (3515, 3525, "start"), (3530, 3540, "start")):
        with pytest.raises(DomainError) as exc:
            services.postcode_range_create(actor=actor, wijk_id=wijk_zuid.pk, start=start, end=end)
        assert exc.value.field == field
    assert PostcodeRange.objects.count() == before
    created = services.postcode_range_create(actor=actor, wijk_id=wijk_zuid.pk, start=3540, end=3549)
    assert created.wijk == wijk_zuid


def test_postcode_range_needs_beheerder(actor_of: ActorOf, beleid: User, wijk_noord: Wijk) -> None:
    with pytest.raises(NotFoundError):
        services.postcode_range_create(actor=actor_of(beleid), wijk_id=wijk_noord.pk, start=3600, end=3601)


def test_agreement_create_update_end(
    actor_of: ActorOf, beleid: User, jgz: Organisation, school: Organisation, wijk_noord: Wijk, jgz_officer: User
) -> None:
    actor = actor_of(beleid)
    agreement = services.agreement_create(
        actor=actor,
        data=_agreement([jgz, school], wijk_ids=[wijk_noord.pk], contact_person_ids=[jgz_officer.pk]),
    )
    assert set(agreement.parties.all()) == {jgz, school}
    services.agreement_update(
        actor=actor, agreement=agreement, expected_version=1, data=_agreement([jgz, school], title="Nieuw")
    )
    agreement.refresh_from_db()
    assert agreement.title == "Nieuw"
    assert agreement.version == 2
    with pytest.raises(ConflictError):
        services.agreement_update(actor=actor, agreement=agreement, expected_version=1, data=_agreement([jgz, school]))
    services.agreement_end(actor=actor, agreement=agreement, expected_version=2, end_date=date(2026, 6, 30))
    agreement.refresh_from_db()
    assert agreement.end_date == date(2026, 6, 30)
    assert agreement.history.count() >= 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"review_date": date(2025, 12, 31)}, "review_date"),
        ({"title": "  "}, "title"),
        ({"type": "onzin"}, "type"),
    ],
)
def test_agreement_bad_dates_write_nothing(
    actor_of: ActorOf, beleid: User, jgz: Organisation, school: Organisation, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        services.agreement_create(actor=actor_of(beleid), data=_agreement([jgz, school], **change))
    assert exc.value.field == field
    assert not Agreement.objects.exists()


def test_agreement_parties(
    actor_of: ActorOf, beleid: User, jgz: Organisation, school: Organisation, foreign_org: Organisation
) -> None:
    actor = actor_of(beleid)
    for parties in ([jgz], [jgz, jgz], [jgz, foreign_org]):
        with pytest.raises(DomainError) as exc:
            services.agreement_create(actor=actor, data=_agreement(parties))
        assert exc.value.field == "parties"
    school.is_active = False
    school.save()
    with pytest.raises(DomainError):
        services.agreement_create(actor=actor, data=_agreement([jgz, school]))
    assert not Agreement.objects.exists()
    assert not AuditEvent.objects.filter(object_type="agreement").exists()


def test_agreements_need_policy_role(
    actor_of: ActorOf, school_prof: User, jgz: Organisation, school: Organisation
) -> None:
    with pytest.raises(NotFoundError):
        services.agreement_create(actor=actor_of(school_prof), data=_agreement([jgz, school]))


def test_agreement_of_other_municipality_is_not_found(
    actor_of: ActorOf, beleid: User, fb_elders: User, jgz: Organisation, school: Organisation
) -> None:
    agreement = services.agreement_create(actor=actor_of(beleid), data=_agreement([jgz, school]))
    with pytest.raises(NotFoundError):
        services.agreement_end(
            actor=actor_of(fb_elders), agreement=agreement, expected_version=1, end_date=date(2026, 2, 1)
        )


def test_contact_request_notifies_officers(
    actor_of: ActorOf, school_prof: User, jgz: Organisation, jgz_officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        request = services.contact_request_create(
            actor=actor_of(school_prof),
            to_organisation=jgz,
            kind="consultatie",
            message="Mag ik overleggen over een zorg?",
        )
    assert request.status == ContactRequest.Status.OPEN
    notification = Notification.objects.get(recipient=jgz_officer)
    assert "consultatie" in notification.title
    assert "overleggen" not in notification.title + notification.body


def test_contact_request_refuses_bsn_and_policy_roles(
    actor_of: ActorOf, school_prof: User, beleid: User, jgz: Organisation, foreign_org: Organisation
) -> None:
    with pytest.raises(DomainError) as exc:
        services.contact_request_create(
            actor=actor_of(school_prof), to_organisation=jgz, kind="verwijzing", message="Kind met BSN 999994669"
        )
    assert exc.value.field == "message"
    with pytest.raises(NotFoundError):
        services.contact_request_create(
            actor=actor_of(beleid), to_organisation=jgz, kind="consultatie", message="Vraag"
        )
    with pytest.raises(NotFoundError):
        services.contact_request_create(
            actor=actor_of(school_prof), to_organisation=foreign_org, kind="consultatie", message="Vraag"
        )
    assert not ContactRequest.objects.exists()
