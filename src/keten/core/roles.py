"""Who is who in the chain: the roles of a membership and the types of organisation.

The vocabulary the policy (:mod:`keten.core.policy`) speaks; the models of ``keten.accounts`` store
these values.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    WIJKTEAM = "wijkteam", _("Wijkteam / sociaal team")
    JGZ = "jgz", _("Jeugdgezondheidszorg")
    ONDERWIJS = "onderwijs", _("School / onderwijs")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    HUISARTS = "huisarts", _("Huisarts")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    RVDK = "rvdk", _("Raad voor de Kinderbescherming")
    GI = "gi", _("Gecertificeerde instelling")
    JEUGDHULP = "jeugdhulp", _("Jeugdhulp")
    GGZ = "ggz", _("(Jeugd-)GGZ")
    VERSLAVINGSZORG = "verslavingszorg", _("Verslavingszorg")
    SCHULDHULP = "schuldhulp", _("Schuldhulpverlening")
    WELZIJN = "welzijn", _("Maatschappelijk werk / welzijn")
    GEMEENTE = "gemeente", _("Gemeente")
    SPORT = "sport", _("Sport / vrije tijd")
    OVERIG = "overig", _("Overig")


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Aandachtsfunctionaris")
    TEAMLEIDER = "teamleider", _("Teamleider")
    VEILIG_THUIS = "vt_medewerker", _("Veilig Thuis-medewerker")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker gemeente")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("Functioneel beheerder")
    #: A role of the gemeente organisation: reviews break-the-glass; never sees client data.
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")


CASE_ROLES: frozenset[str] = frozenset(
    {Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.TEAMLEIDER, Role.VEILIG_THUIS}
)
