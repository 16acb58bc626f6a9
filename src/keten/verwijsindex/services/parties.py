"""Who registers: a professional with a case role, or a system acting for one of its organisation's
professionals (:mod:`keten.accounts.acting`), and whether their organisation is designated to register.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from keten.accounts.acting import acting_for, eligible_memberships, refused
from keten.accounts.models import CASE_ROLES, Membership
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.verwijsindex.models import (
    IndexSettings,
)
from keten.verwijsindex.services.settings import (
    rules_for,
)
from keten.verwijsindex.services.validation import (
    Registration,
)


class NotAuthorisedError(DomainError):
    """The actor's organisation may not register in the verwijsindex of its municipality."""

    status_code = 403
    code = "forbidden"


def no_professional() -> DomainError:
    return DomainError(
        _("Geef in de kop Keten-Professional aan voor welke professional het signaal wordt afgegeven."),
        field="professional",
    )


def registering_party(actor: Actor, data: Registration) -> Actor:
    """Who registers: the professional (a session), or a system acting for one of its professionals.

    The result is the actor the registration is recorded and audited for (for a system: "system X
    for professional Y"). Only a professional with a case role can register; a system only for an
    active case-role member of its own organisation (:mod:`keten.accounts.acting`).
    """
    party = registering_parties(actor, [data])[0]
    if isinstance(party, DomainError):
        raise party
    return party


def check_authorised(membership: Membership) -> IndexSettings:
    organisation = membership.organisation
    rules = rules_for(organisation.municipality_id)
    if organisation.type not in rules.registering_types or not organisation.is_active:
        raise NotAuthorisedError(
            _(
                "Uw organisatie is in deze gemeente niet aangewezen om signalen in de verwijsindex af te geven. "
                "Neem contact op met de regievoerder van de gemeente."
            )
        )
    return rules


def registering_parties(actor: Actor, registrations: Sequence[Registration]) -> list[Actor | DomainError]:
    """:func:`registering_party` for many registrations with one query (an error per refused row)."""
    client = actor.api_client
    if client is None:
        if actor.user is None or actor.membership is None or actor.membership.role not in CASE_ROLES:
            raise NotFoundError
        return [actor] * len(registrations)
    if actor.user is not None:  # already acting for one professional: every row is theirs
        return [actor if r.professional_id in (None, actor.user.pk) else refused("professional") for r in registrations]
    members = eligible_memberships(client, {r.professional_id for r in registrations if r.professional_id})
    acting: dict[int, Actor] = {}
    out: list[Actor | DomainError] = []
    for registration in registrations:
        if registration.professional_id is None:
            out.append(no_professional())
            continue
        found = members.get(str(registration.professional_id))
        if found is None:
            out.append(refused("professional"))
            continue
        if found.user_id not in acting:
            acting[found.user_id] = acting_for(client, found)
        out.append(acting[found.user_id])
    return out


def professionals_named(*, actor: Actor, names: Sequence[tuple[str, str] | None]) -> list[int | DomainError | None]:
    """The professional of each row named in the deprecated body fields of the API (``(field, value)``:
    ``professional`` with a user id, ``professional_email``), checked like the ``Keten-Professional``
    header, with one query.

    A session registers for its own user, and a system acting for the professional in the header
    for that professional only: the body may repeat them, never name someone else. ``None`` leaves
    the choice to the registration (the actor's own professional, or an error when nobody is named).
    """
    if actor.api_client is None:
        return [None] * len(names)
    if actor.user is not None:
        own = {str(actor.user.pk), actor.user.email.strip().lower()} - {""}
        return [refused(n[0]) if n is not None and n[1].strip().lower() not in own else actor.user.pk for n in names]
    found = eligible_memberships(actor.api_client, [n[1] for n in names if n is not None])
    out: list[int | DomainError | None] = []
    for name in names:
        if name is None:
            out.append(None)
            continue
        membership = found.get(name[1].strip().lower())
        out.append(refused(name[0]) if membership is None else membership.user_id)
    return out
