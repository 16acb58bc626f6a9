"""Teams of an organisation and the wijken of the municipality."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, Team, Wijk
from keten.accounts.services.changes import record
from keten.accounts.services.checks import check_organisation, municipality_id_of
from keten.accounts.services.validation import clean_text, wijken_of
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.core.versions import bump


def _clean_team(organisation: Organisation, name: str, wijk_id: int | None, *, exclude_pk: int | None = None) -> str:
    name = clean_text(name, field="name", label=_("de naam"), max_length=200)
    duplicate = Team.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(_("Deze organisatie heeft al een team met deze naam."), field="name")
    if wijk_id is not None:
        wijken_of(organisation.municipality_id, [wijk_id], field="wijk")
    return name


def team_create(*, actor: Actor, organisation: Organisation, name: str, wijk_id: int | None = None) -> Team:
    check_organisation(actor, organisation, "accounts.manage_teams")
    name = _clean_team(organisation, name, wijk_id)
    with transaction.atomic():
        team = Team.objects.create(organisation=organisation, name=name, wijk_id=wijk_id)
        record(actor, AuditAction.CREATE, "team", team.pk, organisation=organisation.pk, name=name)
    return team


def team_update(
    *, actor: Actor, team: Team, name: str, wijk_id: int | None = None, expected_version: int | None = None
) -> Team:
    """ConflictError when ``expected_version`` is given and the team changed since."""
    check_organisation(actor, team.organisation, "accounts.manage_teams")
    name = _clean_team(team.organisation, name, wijk_id, exclude_pk=team.pk)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("organisation").get(pk=team.pk)
        bump(team, expected_version)
        changed = [f for f, new, old in (("name", name, team.name), ("wijk", wijk_id, team.wijk_id)) if new != old]
        Team.objects.filter(pk=team.pk).update(name=name, wijk_id=wijk_id, version=team.version)
        record(actor, AuditAction.UPDATE, "team", team.pk, changed=changed)
    team.refresh_from_db()
    return team


def wijk_create(*, actor: Actor, name: str, code: str) -> Wijk:
    municipality_id = municipality_id_of(actor)
    name = clean_text(name, field="name", label=_("de naam"), max_length=120)
    code = clean_text(code, field="code", label=_("de code"), max_length=20)
    if Wijk.objects.filter(municipality_id=municipality_id, name__iexact=name).exists():
        raise DomainError(_("Er is in uw gemeente al een wijk met deze naam."), field="name")
    if Wijk.objects.filter(municipality_id=municipality_id, code__iexact=code).exists():
        raise DomainError(_("Er is in uw gemeente al een wijk met deze code."), field="code")
    with transaction.atomic():
        wijk = Wijk.objects.create(municipality_id=municipality_id, name=name, code=code)
        record(actor, AuditAction.CREATE, "wijk", wijk.pk, name=name, code=code)
    return wijk
