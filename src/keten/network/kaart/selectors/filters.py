"""The filters every organisation search shares: the wijk searched in, kind, role and age.

The search of professionals (:mod:`.search`) and the one of partner systems (:mod:`.directory`)
narrow their organisations in the same way; only how they match the search words differs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation, Wijk
from keten.core.errors import DomainError
from keten.network.kaart.selectors.text import wijk_for_postcode


def wijk_in(municipality_id: int, *, wijk_id: int | None, postcode: str) -> Wijk | None:
    """The wijk a search is about: the one of ``postcode``, else ``wijk_id``; DomainError when unknown."""
    if postcode.strip():
        return wijk_for_postcode(postcode, municipality_id=municipality_id)
    if wijk_id is None:
        return None
    wijk = Wijk.objects.filter(pk=wijk_id, municipality_id=municipality_id).first()
    if wijk is None:
        raise DomainError(_("Kies een wijk uit de lijst."), field="wijk")
    return wijk


def serving(qs: QuerySet[Any], wijk: Wijk, *, via: str = "") -> QuerySet[Any]:
    """Organisations linked to the wijk, or linked to no wijk at all (they serve the whole municipality).

    ``via`` names the organisation relation when ``qs`` holds rows that belong to an organisation.
    """
    outer = OuterRef(f"{via}_id" if via else "pk")
    in_any_wijk = Organisation.wijken.through.objects.filter(organisation_id=outer)
    prefix = f"{via}__" if via else ""
    return qs.filter(Q(**{f"{prefix}wijken": wijk}) | ~Exists(in_any_wijk))


def filter_organisations(
    qs: QuerySet[Organisation], *, wijk: Wijk | None, org_type: str, role: str, age: int | None
) -> QuerySet[Organisation]:
    """Organisations serving ``wijk``, of kind ``org_type``, with an active member in ``role``, for ``age``."""
    if wijk is not None:
        qs = serving(qs, wijk)
    if org_type:
        qs = qs.filter(type=org_type)
    if role:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("pk"), role=role, is_active=True, user__is_active=True
                )
            )
        )
    if age is not None:
        qs = qs.filter(Q(entry__age_min__isnull=True) | Q(entry__age_min__lte=age))
        qs = qs.filter(Q(entry__age_max__isnull=True) | Q(entry__age_max__gte=age))
    return qs
