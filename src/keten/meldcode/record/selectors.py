"""Reading a traject and its entries, for everyone who may see it.

A traject is visible to the case team of its dossier (and break-the-glass), and to a professional
who was asked for a consultation on it. Who may see what is decided in ``keten.meldcode.rules``;
these reads ask it. Reading a traject is audited with the family's pseudonym.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from keten.accounts.models import Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.localcache import ProcessCache
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except
from keten.dossiers.models import Dossier, Family, Person
from keten.meldcode.models import Entry, Traject


def _base() -> QuerySet[Traject]:
    return Traject.objects.select_related("dossier", "dossier__family", "child", "organisation", "started_by")


def _one(reference: str) -> Traject | None:
    """One traject with what its pages show of the dossier, family, child, organisation and starter:
    the dossier's summary, the family's address and the child's BSN and address are not read (nor
    decrypted)."""
    return (
        _base()
        .defer(
            *defer_except("dossier", Dossier, ("reference", "status")),
            *defer_except("dossier__family", Family, ("name", "pseudonym")),
            *defer_except("child", Person, ("first_name", "last_name", "date_of_birth")),
            *defer_except("organisation", Organisation, ORGANISATION_NAME),
            *defer_except("started_by", User, USER_NAMES),
        )
        .filter(reference=reference)
        .first()
    )


def _audit_read(actor: Actor, traject: Traject) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.traject",
        object_id=traject.reference,
        client_pseudonym=traject.dossier.family.pseudonym,
    )


def traject_get(*, actor: Actor, reference: str, audit_read: bool = True) -> Traject:
    """One traject the actor may see, or NotFoundError. The read is audited."""
    traject = _one(reference)
    if traject is None or actor.user is None or not allows("meldcode.view_traject", actor, traject):
        raise NotFoundError
    if audit_read:
        _audit_read(actor, traject)
    return traject


def traject_for_change(*, actor: Actor, reference: str, audit_read: bool = False) -> Traject:
    """A traject the actor may record in (on the case team); NotFoundError otherwise. With
    ``audit_read`` (a form that shows what was recorded) the read is audited."""
    traject = _one(reference)
    if traject is None or actor.user is None or not allows("meldcode.change_traject", actor, traject):
        raise NotFoundError
    if audit_read:
        _audit_read(actor, traject)
    return traject


def may_see_names(actor: Actor, traject: Traject) -> bool:
    """Names of the family are shown to the case team, and to a consultee only when asked with names."""
    return actor.user is not None and allows("meldcode.view_traject_names", actor, traject)


def timeline(traject: Traject, *, with_people: bool = True) -> list[Entry]:
    """All entries of the traject in the order they happened (one query).

    With ``with_people`` each entry carries its author and organisation (their names only, not
    whole rows); without, reading ``author`` or ``organisation`` costs a query per entry, so leave
    them out only where nothing shows who recorded what.
    """
    qs = Entry.objects.filter(traject=traject)
    if with_people:
        qs = qs.select_related("author", "organisation").defer(
            *defer_except("author", User, USER_NAMES), *defer_except("organisation", Organisation, ORGANISATION_NAME)
        )
    entries = list(qs.order_by("occurred_on", "created_at", "id"))
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    for entry in entries:
        entry.is_corrected = entry.pk in corrected  # type: ignore[attr-defined]
    return entries


#: Decrypted entries of recently shown trajecten, per traject version, in this process only.
_PAGE_ENTRIES = ProcessCache(maxsize=256)


def page_entries(traject: Traject) -> list[Entry]:
    """``timeline(traject, with_people=False)`` for the traject page, kept per traject version.

    Every entry is written together with a version bump of its traject (``record.services.append`` and
    ``bump`` in one transaction), so a traject's id and version name one list of entries. The
    caller has passed the policy for this traject; the store only spares decrypting the entries
    again. Each call returns its own copies. Inside a transaction, which could still roll back a
    version, nothing is kept.
    """
    if connection.in_atomic_block:
        return timeline(traject, with_people=False)
    # The time of the last bump too: a database that hands out ids again (a test database) cannot
    # bring back an old key.
    key = ("entries", traject.pk, traject.reference, traject.version, traject.last_activity_at)
    return _PAGE_ENTRIES.get_or_set(key, lambda: timeline(traject, with_people=False))
