"""Designated editors of a sociale kaart entry: who may edit, who may designate, audit and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.core.policy import allows
from keten.network.kaart import services
from keten.network.models import OrganisationEntry
from keten.notifications.models import Notification
from keten.testing.factories import make_user

ClientFor = Callable[[User], Client]
ActorOf = Callable[[User], Actor]


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def editor(school: Organisation) -> User:
    """A professional of the school whom the school's beheerder made editor of its entry."""
    user = make_user(Role.PROFESSIONAL, school, username="redacteur", first_name="Eva", last_name="Redacteur")
    OrganisationEntry.objects.get(organisation=school).editors.add(user)
    return user


# --- the permission matrix ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "may_edit", "may_manage_editors"),
    [
        ("fb_school", True, True),  # functioneel beheerder of the organisation itself
        ("fb_gemeente", True, True),  # functioneel beheerder of the gemeente organisation
        ("editor", True, False),  # designated editor: edits, but does not designate others
        ("school_prof", False, False),  # colleague who was not designated
        ("beleid", False, False),  # beleidsmedewerker of the gemeente
        ("fb_elders", False, False),  # functioneel beheerder in another municipality
        ("jgz_officer", False, False),  # member of another organisation
    ],
)
def test_who_may_edit_the_school_entry(
    request: pytest.FixtureRequest, school: Organisation, who: str, may_edit: bool, may_manage_editors: bool
) -> None:
    user = _fresh(request.getfixturevalue(who))
    assert allows("network.edit_entry", user, school) is may_edit
    assert allows("network.manage_entry_editors", user, school) is may_manage_editors


def test_designated_editor_of_one_organisation_may_not_edit_another(
    editor: User, jgz: Organisation, school: Organisation
) -> None:
    assert allows("network.edit_entry", _fresh(editor), school)
    assert not allows("network.edit_entry", _fresh(editor), jgz)


def test_editor_right_lapses_when_the_membership_ends(editor: User, school: Organisation) -> None:
    Membership.objects.filter(user=editor).update(is_active=False)
    assert not allows("network.edit_entry", _fresh(editor), school)


def test_editor_right_follows_the_acting_membership(editor: User, school: Organisation, jgz: Organisation) -> None:
    """An editor who now acts for another organisation (first active membership) may not edit."""
    Membership.objects.filter(user=editor).update(is_active=False)
    Membership.objects.create(user=editor, organisation=jgz, role=Role.PROFESSIONAL)
    assert not allows("network.edit_entry", _fresh(editor), school)


def test_superuser_is_not_special(school: Organisation) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "x")
    assert not allows("network.edit_entry", root, school)
    assert not allows("network.manage_entry_editors", root, school)


# --- services -----------------------------------------------------------------------------------


def test_beheerder_adds_and_removes_an_editor(
    actor_of: ActorOf, fb_school: User, school: Organisation, school_prof: User
) -> None:
    entry = services.entry_editor_add(actor=actor_of(fb_school), organisation=school, user_id=school_prof.pk)
    assert list(entry.editors.all()) == [school_prof]
    assert allows("network.edit_entry", _fresh(school_prof), school)
    note = Notification.objects.get(recipient=school_prof)
    assert note.kind == "network_entry_editor"
    assert school.name in note.title
    services.entry_editor_remove(actor=actor_of(fb_school), organisation=school, user_id=school_prof.pk)
    assert not entry.editors.exists()
    assert not allows("network.edit_entry", _fresh(school_prof), school)
    events = AuditEvent.objects.filter(object_type="organisation_entry", object_id=str(school.pk)).order_by("id")
    assert [e.details for e in events] == [{"editor_added": school_prof.pk}, {"editor_removed": school_prof.pk}]
    assert {e.actor_id for e in events} == {fb_school.pk}
    # The editors are part of the entry's history.
    history = [sorted(u.user_id for u in h.editors.all()) for h in entry.history.order_by("history_id")]
    assert [school_prof.pk] in history
    assert history[-1] == []


def test_gemeente_beheerder_may_designate(
    actor_of: ActorOf, fb_gemeente: User, school: Organisation, school_prof: User
) -> None:
    services.entry_editor_add(actor=actor_of(fb_gemeente), organisation=school, user_id=school_prof.pk)
    assert OrganisationEntry.objects.get(organisation=school).editors.filter(pk=school_prof.pk).exists()


@pytest.mark.parametrize("who", ["editor", "school_prof", "beleid", "fb_elders"])
def test_others_may_not_designate(
    request: pytest.FixtureRequest, actor_of: ActorOf, school: Organisation, school_prof: User, who: str
) -> None:
    with pytest.raises(NotFoundError):
        services.entry_editor_add(
            actor=actor_of(request.getfixturevalue(who)), organisation=school, user_id=school_prof.pk
        )
    assert not AuditEvent.objects.filter(object_type="organisation_entry").exists()


def test_only_active_members_can_become_editor(
    actor_of: ActorOf, fb_school: User, school: Organisation, jgz_officer: User, school_prof: User
) -> None:
    with pytest.raises(DomainError) as outsider:
        services.entry_editor_add(actor=actor_of(fb_school), organisation=school, user_id=jgz_officer.pk)
    assert outsider.value.field == "user"
    Membership.objects.filter(user=school_prof).update(is_active=False)
    with pytest.raises(DomainError):
        services.entry_editor_add(actor=actor_of(fb_school), organisation=school, user_id=school_prof.pk)
    assert not OrganisationEntry.objects.get(organisation=school).editors.exists()
    assert not Notification.objects.exists()


def test_adding_twice_and_removing_a_non_editor_are_refused(
    actor_of: ActorOf, fb_school: User, school: Organisation, editor: User, school_prof: User
) -> None:
    with pytest.raises(DomainError) as twice:
        services.entry_editor_add(actor=actor_of(fb_school), organisation=school, user_id=editor.pk)
    assert twice.value.field == "user"
    with pytest.raises(DomainError):
        services.entry_editor_remove(actor=actor_of(fb_school), organisation=school, user_id=school_prof.pk)
    assert not AuditEvent.objects.exists()


def test_designated_editor_updates_and_confirms(actor_of: ActorOf, editor: User, school: Organisation) -> None:
    entry = OrganisationEntry.objects.get(organisation=school)
    services.entry_update(
        actor=actor_of(editor),
        organisation=school,
        expected_version=entry.version,
        data=services.EntryData(description="Basisschool met zorgteam", phone="030-2222222"),
    )
    services.entry_confirm(actor=actor_of(editor), organisation=school)
    entry.refresh_from_db()
    assert entry.description == "Basisschool met zorgteam"
    assert entry.confirmed_by == editor
    assert entry.last_confirmed_at is not None


# --- pages --------------------------------------------------------------------------------------


def test_beheerder_manages_editors_on_the_edit_page(
    client_for: ClientFor, fb_school: User, school: Organisation, school_prof: User, editor: User
) -> None:
    client = client_for(fb_school)
    url = f"/sociale-kaart/organisaties/{school.pk}/wijzigen/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wie mag deze gegevens bijwerken?" in html
    assert "Eva Redacteur" in html
    assert f'<option value="{school_prof.pk}"' in html
    added = client.post(url, {"action": "editor_add", "user": school_prof.pk})
    assert added.status_code == 302
    removed = client.post(url, {"action": "editor_remove", "user": editor.pk})
    assert removed.status_code == 302
    entry = OrganisationEntry.objects.get(organisation=school)
    assert list(entry.editors.all()) == [school_prof]


def test_bad_editor_choice_shows_an_error_and_changes_nothing(
    client_for: ClientFor, fb_school: User, school: Organisation, jgz_officer: User
) -> None:
    url = f"/sociale-kaart/organisaties/{school.pk}/wijzigen/"
    response = client_for(fb_school).post(url, {"action": "editor_add", "user": jgz_officer.pk})
    assert response.status_code == 422
    assert "utrecht-form-field-error-message" in response.content.decode()
    empty = client_for(fb_school).post(url, {"action": "editor_add", "user": ""})
    assert empty.status_code == 422
    assert not OrganisationEntry.objects.get(organisation=school).editors.exists()
    assert not AuditEvent.objects.filter(object_type="organisation_entry").exists()


def test_editor_edits_but_does_not_see_or_post_the_editor_list(
    client_for: ClientFor, editor: User, school: Organisation, school_prof: User
) -> None:
    client = client_for(editor)
    url = f"/sociale-kaart/organisaties/{school.pk}/wijzigen/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Wie mag deze gegevens bijwerken?" not in page.content.decode()
    assert client.post(url, {"action": "editor_add", "user": school_prof.pk}).status_code == 404
    assert client.post(url, {"action": "editor_remove", "user": editor.pk}).status_code == 404
    saved = client.post(url, {"description": "Nieuwe tekst", "version": "1"})
    assert saved.status_code == 302
    assert OrganisationEntry.objects.get(organisation=school).description == "Nieuwe tekst"
    assert client.post(f"/sociale-kaart/organisaties/{school.pk}/bevestigen/").status_code == 302
    assert client.get(f"/sociale-kaart/organisaties/{school.pk}/").content.decode().count("Gegevens bevestigen") == 1


@pytest.mark.parametrize("who", ["school_prof", "beleid", "fb_elders"])
def test_others_get_404_on_the_edit_page(
    request: pytest.FixtureRequest, client_for: ClientFor, school: Organisation, editor: User, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    url = f"/sociale-kaart/organisaties/{school.pk}/wijzigen/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "editor_remove", "user": editor.pk}).status_code == 404
    assert OrganisationEntry.objects.get(organisation=school).editors.filter(pk=editor.pk).exists()


def test_edit_page_query_count(
    client_for: ClientFor, fb_school: User, school: Organisation, django_assert_max_num_queries: Any
) -> None:
    entry = OrganisationEntry.objects.get(organisation=school)
    for n in range(10):
        entry.editors.add(make_user(Role.PROFESSIONAL, school, username=f"r{n}"))
    client = client_for(fb_school)
    url = f"/sociale-kaart/organisaties/{school.pk}/wijzigen/"
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_organisation_page_shows_last_confirmed_and_stale(
    client_for: ClientFor, school_prof: User, school: Organisation, fb_school: User
) -> None:
    url = f"/sociale-kaart/organisaties/{school.pk}/"
    never = client_for(school_prof).get(url).content.decode()
    assert "Deze gegevens zijn verouderd." in never
    assert "Ze zijn nog nooit bevestigd." in never
    OrganisationEntry.objects.filter(organisation=school).update(
        last_confirmed_at=timezone.now() - timedelta(days=400), confirmed_by=fb_school
    )
    old = client_for(school_prof).get(url).content.decode()
    assert "Deze gegevens zijn verouderd." in old
    assert "Ze zijn voor het laatst bevestigd op" in old
    OrganisationEntry.objects.filter(organisation=school).update(last_confirmed_at=timezone.now())
    fresh = client_for(school_prof).get(url).content.decode()
    assert "verouderd" not in fresh
    assert "Laatst bevestigd op" in fresh
