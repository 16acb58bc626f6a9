"""The city builder: one municipality with its organisations, staff, families and audit history."""

from __future__ import annotations

from keten.seeding.large.audit import AuditSeeding
from keten.seeding.large.families import FamilySeeding
from keten.seeding.large.organisations import OrganisationSeeding
from keten.seeding.large.state import FamilyStats, NamePools, Staff


class CityBuilder(OrganisationSeeding, FamilySeeding, AuditSeeding):
    """Builds one municipality: wijken, organisations, staff, families (optionally dossiers)."""


__all__ = ["CityBuilder", "FamilyStats", "NamePools", "Staff"]
