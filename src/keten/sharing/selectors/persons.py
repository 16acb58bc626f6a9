"""The family members of a dossier, as the sharing forms offer and the API names them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.dossiers.models import Dossier, Person
from keten.sharing.selectors.auditing import audit_read


def person_choices(*, actor: Actor, dossier: Dossier, form: str) -> list[tuple[int, str]]:
    """The family members of a dossier the caller already read through the policy, for the choices of
    ``form`` (consent, deelhulp, inzage): the form shows their names, so the read is audited."""
    choices = [(p.pk, p.full_name) for p in Person.objects.filter(family_id=dossier.family_id).order_by("pk")]
    audit_read(actor, dossier, f"sharing.{form}", dossier.reference, details={"persons": len(choices)})
    return choices


def person_id_in_dossier(dossier: Dossier, pseudonym: str, field: str) -> int:
    """The id of the family member with ``pseudonym`` (the API names persons by pseudonym); a
    DomainError on ``field`` for anyone outside the family."""
    person = Person.objects.filter(family_id=dossier.family_id, pseudonym=pseudonym).only("pk").first()
    if person is None:
        raise DomainError(_("Kies personen uit dit gezin."), field=field)
    return person.pk
