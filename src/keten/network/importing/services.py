"""Applying an import: the new and changed rows written through the accounts and sociale kaart services at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts import services as account_services
from keten.accounts.models import Membership, Municipality, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.network.importing.columns import KINDS, ORGANISATIONS, PROFESSIONALS
from keten.network.importing.reading import Record
from keten.network.importing.rows import ERROR, NEW, UNCHANGED, Preview, RowResult, entry_values
from keten.network.importing.scope import import_municipality_id
from keten.network.importing.validating import analyse
from keten.network.kaart import services as kaart_services
from keten.network.kaart.selectors import normalise
from keten.network.models import OrganisationEntry


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    new_users: int = 0
    ids: list[int] = field(default_factory=list)


def _apply_organisation(actor: Actor, row: RowResult) -> int:
    data = row.data
    if row.target_id is None:
        organisation = account_services.organisation_create(
            actor=actor,
            data=account_services.OrganisationData(
                name=data["name"], type=data["type"], wijk_ids=data["wijk_ids"] or []
            ),
        )
    else:
        organisation = Organisation.objects.get(pk=row.target_id)
        wijk_ids = data["wijk_ids"]
        if wijk_ids is None:
            wijk_ids = list(organisation.wijken.values_list("pk", flat=True))
        before = (organisation.name, organisation.type, sorted(organisation.wijken.values_list("pk", flat=True)))
        if before != (data["name"], data["type"], sorted(wijk_ids)):
            organisation = account_services.organisation_update(
                actor=actor,
                organisation=organisation,
                data=account_services.OrganisationData(
                    name=data["name"],
                    type=data["type"],
                    wijk_ids=wijk_ids,
                    phone=organisation.phone,
                    email=organisation.email,
                ),
            )
    entry = OrganisationEntry.objects.filter(organisation=organisation).first()
    if entry_values(entry) != data["entry"]:
        kaart_services.entry_update(
            actor=actor,
            organisation=organisation,
            expected_version=entry.version if entry is not None else 0,
            data=kaart_services.EntryData(**data["entry"]),
        )
    return organisation.pk


def _username_for(first: str, last: str) -> str:
    base = re.sub(r"[^a-z0-9]+", ".", normalise(f"{first} {last}")).strip(".")[:140] or "medewerker"
    candidate, suffix = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate


def _apply_professional(actor: Actor, row: RowResult, created: dict[str, User]) -> tuple[int, bool]:
    data = row.data
    key = data["email"].lower()
    user = created.get(key)
    if user is None and row.target_id is None:
        user = account_services.user_create(
            actor=actor,
            data=account_services.UserData(
                username=_username_for(data["first_name"], data["last_name"]),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
            ),
            organisation_id=data["organisation_id"],
            team_id=data["team_id"],
            role=data["role"],
        )
        created[key] = user
        return user.pk, True
    if user is None:
        assert row.target_id is not None
        user = User.objects.get(pk=row.target_id)
        if (user.first_name, user.last_name, user.phone) != (data["first_name"], data["last_name"], data["phone"]):
            user = account_services.user_update(
                actor=actor,
                user=user,
                data=account_services.UserData(
                    username=user.username,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=user.email,
                    phone=data["phone"],
                    job_title=user.job_title,
                ),
            )
    membership = Membership.objects.filter(
        user=user, organisation_id=data["organisation_id"], role=data["role"], is_active=True
    ).first()
    if membership is None:
        account_services.membership_add(
            actor=actor,
            user=user,
            organisation_id=data["organisation_id"],
            team_id=data["team_id"],
            role=data["role"],
        )
    elif data["team_given"] and membership.team_id != data["team_id"]:
        Membership.objects.filter(pk=membership.pk).update(team_id=data["team_id"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="membership",
            object_id=membership.pk,
            details={"team": data["team_id"], "previous_team": membership.team_id},
        )
    return user.pk, False


def _apply_postcode_range(actor: Actor, row: RowResult) -> int:
    created = kaart_services.postcode_range_create(
        actor=actor, wijk_id=row.data["wijk_id"], start=row.data["start"], end=row.data["end"]
    )
    return created.pk


def import_apply(
    *,
    actor: Actor,
    kind: str,
    records: Sequence[Record],
    only_valid: bool = False,
    expected_digest: str | None = None,
) -> ImportResult:
    """Write the new and changed rows in one transaction with one audit event for the whole import.

    Raises ConflictError when the classification differs from ``expected_digest`` (the data changed
    since the preview), and DomainError when a row has an error and ``only_valid`` is not set.
    """
    municipality_id = import_municipality_id(actor)
    if kind not in KINDS:
        raise NotFoundError
    with transaction.atomic():
        # One import at a time per municipality, so two imports cannot both pass the same checks.
        Municipality.objects.select_for_update().filter(pk=municipality_id).first()
        preview = Preview(kind=kind, rows=analyse(actor, kind, municipality_id, records))
        if expected_digest is not None and preview.digest() != expected_digest:
            raise ConflictError(
                _("De gegevens zijn gewijzigd sinds u het overzicht bekeek. Controleer het overzicht opnieuw.")
            )
        if preview.has_errors and not only_valid:
            raise DomainError(
                _(
                    "Er staan fouten in het bestand. Er is niets geïmporteerd. Verbeter het bestand, "
                    "of kies ervoor alleen de geldige rijen te importeren."
                ),
                field="only_valid",
            )
        counts = preview.counts
        result = ImportResult(unchanged=counts[UNCHANGED], skipped=counts[ERROR])
        created_users: dict[str, User] = {}
        for row in preview.writable_rows:
            if kind == ORGANISATIONS:
                pk = _apply_organisation(actor, row)
            elif kind == PROFESSIONALS:
                pk, new_user = _apply_professional(actor, row, created_users)
                result.new_users += int(new_user)
            else:
                pk = _apply_postcode_range(actor, row)
            if row.status == NEW:
                result.created += 1
            else:
                result.updated += 1
            if pk not in result.ids:
                result.ids.append(pk)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="import",
            object_id=kind,
            details={
                "kind": kind,
                "rows": len(preview.rows),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
                "only_valid": only_valid,
                "ids": result.ids,
            },
        )
    return result
