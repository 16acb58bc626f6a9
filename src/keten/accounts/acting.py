"""A partner system acting for one of its professionals: the rule of who it may act for.

A system token acts for its organisation. Where Keten records something in a person's name (a
meldcode entry, a verwijsindex signal), a system names the professional it acts for — by user id or
e-mail address, in the API's ``Keten-Professional`` header (:mod:`keten.accounts.api.acting`). Only an
**active member with a case role of the token's own organisation** can be named. Anyone else —
unknown, of another organisation, without a case role, inactive, or an e-mail address shared by
several people — gets one and the same error, so the answer never tells whether a person exists
elsewhere.

The resulting :class:`~keten.core.actor.Actor` carries both the system and the professional: the
audit log records "<professional> (via systeem: <system>)" with the api client and user ids in the
details, and the policy and the selectors give it the professional's case-team access only — never
their break-the-glass grants or consultations (:func:`keten.core.actor.acts_through_system`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from keten.accounts.models import CASE_ROLES, ApiClient, Membership
from keten.core.actor import Actor
from keten.core.errors import DomainError

#: The largest user id a name can hold (ids are 64-bit); longer digit strings name nobody.
_MAX_ID = 2**63 - 1
MAX_NAME = 254


def refused(field: str = "professional") -> DomainError:
    """The one answer for every professional a system may not act for."""
    return DomainError(
        _(
            "Deze koppeling kan niet namens deze professional werken. Geef het id of e-mailadres van een "
            "actieve professional met een casusrol bij de organisatie van deze koppeling."
        ),
        field=field,
    )


def missing(field: str = "professional") -> DomainError:
    return DomainError(
        _("Geef in de kop Keten-Professional aan namens welke professional dit systeem werkt."), field=field
    )


def _key(name: str | int) -> str:
    return str(name).strip().lower()


def eligible_memberships(api_client: ApiClient, names: Iterable[str | int]) -> dict[str, Membership]:
    """The case-role membership in the client's organisation of each named professional (one query).

    Keyed by the normalised name (stripped, lower case); a name that names nobody eligible is absent.
    """
    ids: set[int] = set()
    emails: set[str] = set()
    for name in names:
        key = _key(name)
        if key.isdigit() and 0 < len(key) <= 19 and 0 < int(key) <= _MAX_ID:
            ids.add(int(key))
        elif "@" in key and len(key) <= MAX_NAME:
            emails.add(key)
    if not ids and not emails:
        return {}
    memberships = (
        Membership.objects.filter(
            organisation_id=api_client.organisation_id,
            organisation__is_active=True,
            is_active=True,
            user__is_active=True,
            role__in=sorted(CASE_ROLES),
        )
        .annotate(email_key=Lower("user__email"))
        .filter(Q(user_id__in=sorted(ids)) | Q(email_key__in=sorted(emails)))
        .select_related("user", "organisation", "team")
        .order_by("pk")
    )
    by_user: dict[int, Membership] = {}
    users_by_email: dict[str, set[int]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, membership)  # the oldest case-role membership
        email = membership.email_key
        if email in emails:
            users_by_email.setdefault(email, set()).add(membership.user_id)
    found: dict[str, Membership] = {str(pk): by_user[pk] for pk in ids if pk in by_user}
    for email, users in users_by_email.items():
        if len(users) == 1:  # an address shared by several people names nobody
            found[email] = by_user[next(iter(users))]
    return found


def acting_for(api_client: ApiClient, membership: Membership) -> Actor:
    """The actor of ``api_client`` acting for the member (an eligible membership of its organisation)."""
    user = membership.user
    # The policy asks the user for the role it acts in: this membership, whatever else they have.
    user.__dict__["active_membership"] = membership
    return Actor(user=user, membership=membership, api_client=api_client)


def professional_actor(api_client: ApiClient, name: str | int, *, field: str = "professional") -> Actor:
    """The actor of the client acting for the named professional, or the uniform error on ``field``."""
    if not _key(name):
        raise missing(field)
    found = eligible_memberships(api_client, [name]).get(_key(name))
    if found is None:
        raise refused(field)
    return acting_for(api_client, found)
