"""Municipalities, wijken, organisations, teams, professionals and their roles."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Re-exported: the vocabulary lives in core, the models that store it here.
from keten.core.roles import CASE_ROLES as CASE_ROLES
from keten.core.roles import OrganisationType as OrganisationType
from keten.core.roles import Role as Role


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True)
    cbs_code = models.CharField(_("CBS-code"), max_length=6, unique=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wijk(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="wijken"
    )
    name = models.CharField(_("naam"), max_length=120)
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="wijk_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("soort"), max_length=30, choices=OrganisationType.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="organisations"
    )
    wijken = models.ManyToManyField(Wijk, verbose_name=_("wijken"), blank=True, related_name="organisations")
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    #: Raised by every edit (``keten.core.versions``): a form opened before someone else's edit gets a conflict.
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("naam"), max_length=200)
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    #: Raised by every edit (``keten.core.versions``).
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


#: Roles that may ever see client data (and then only on the case team).


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A professional (or staff member) who logs in to Keten."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    #: Part of every session's auth hash: a new stamp ends every session of the user at once
    #: (reset, deactivation, a replaced second factor). See ``keten.accounts.login.credentials``.
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)
    #: Raised by every edit of the details a beheerder manages (``keten.core.versions``).
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def active_membership(self) -> Membership | None:
        """The membership this user acts in: the first active one."""
        return (
            self.memberships.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation", "team")
            .order_by("id")
            .first()
        )

    @property
    def role(self) -> str:
        membership = self.active_membership
        return membership.role if membership else ""

    # Django keeps this hash in the session and ends the session when it no longer matches. Keten
    # adds the security stamp to the password hash Django uses, so rotating the stamp ends sessions.
    def _keten_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "keten.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.security_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._keten_session_auth_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._keten_session_auth_hash(secret=fallback_secret)


class Membership(models.Model):
    """A professional's place in an organisation (and team) with one role."""

    user = models.ForeignKey(User, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role", "is_active"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class ApiClient(models.Model):
    """A source system of a partner organisation that calls the API with a token."""

    class Scope(models.TextChoices):
        ORGANISATIONS_READ = "organisations:read", _("Organisaties lezen")
        DOSSIERS_READ = "dossiers:read", _("Dossiers van de eigen organisatie lezen")
        NETWORK_READ = "network:read", _("Sociale kaart van de eigen gemeente lezen, met professionals")
        VERWIJSINDEX_WRITE = "verwijsindex:write", _("Signalen in de verwijsindex afgeven en intrekken")
        VERWIJSINDEX_READ = "verwijsindex:read", _("Eigen signalen en matches in de verwijsindex lezen")
        MELDCODE_WRITE = "meldcode:write", _("Meldcode-trajecten lezen en aanvullen namens een eigen professional")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("naam"), max_length=120)
    token_prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("rechten"), default=list)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("systeemkoppeling")
        verbose_name_plural = _("systeemkoppelingen")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    # DRF treats request.user as authenticated through this.
    is_authenticated = True
    #: How keten.core.actor recognises a partner system behind an API request (without importing accounts).
    is_system_client = True

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


# --- credentials: set-up links, reset requests, e-mail changes, single sign-on identities ----------


class SetupLink(models.Model):
    """A single-use, time-limited link with which a person chooses a password and enrols a new app.

    Made for a new account and for a reset; e-mailed to the address on the account and never shown to
    a beheerder. Only the SHA-256 hash of the token is stored.
    """

    class Purpose(models.TextChoices):
        NEW_ACCOUNT = "new_account", _("nieuw account")
        RESET = "reset", _("herstel")

    user = models.ForeignKey(User, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="setup_links")
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    #: The address the link was sent to (the account's address at that moment).
    email = models.EmailField(_("verstuurd naar"))
    created_by = models.ForeignKey(
        User, verbose_name=_("aangemaakt door"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"))
    expires_at = models.DateTimeField(_("verloopt"))
    used_at = models.DateTimeField(_("gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("instellink")
        verbose_name_plural = _("instellinks")
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"], name="setuplink_user_open")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_purpose_display()}, {self.created_at:%Y-%m-%d %H:%M})"


class ResetRequest(models.Model):
    """A reset of an account that can see client data, waiting for a second beheerder (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        DECLINED = "declined", _("afgewezen")
        EXPIRED = "expired", _("verlopen")

    user = models.ForeignKey(
        User, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="reset_requests"
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reden"))
    #: The account's address when the request was made: the link may only go there.
    email = models.EmailField(_("e-mailadres bij het verzoek"))
    created_at = models.DateTimeField(_("aangevraagd"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("besloten door"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decision_reason = models.TextField(_("toelichting bij het besluit"), blank=True)

    class Meta:
        verbose_name = _("herstelverzoek")
        verbose_name_plural = _("herstelverzoeken")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="resetrequest_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class EmailChange(models.Model):
    """History of an account's e-mail address: shown to whoever approves a reset of that account."""

    user = models.ForeignKey(User, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(_("oud e-mailadres"), blank=True)
    new_email = models.EmailField(_("nieuw e-mailadres"))
    changed_by = models.ForeignKey(
        User, verbose_name=_("gewijzigd door"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("gewijzigd"))

    class Meta:
        verbose_name = _("wijziging van e-mailadres")
        verbose_name_plural = _("wijzigingen van e-mailadres")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.changed_at:%Y-%m-%d})"


class OidcIdentity(models.Model):
    """The identity provider's account (issuer + subject) that signs in as this Keten account.

    Recorded at the first single sign-on, when the account was found by a verified e-mail address;
    from then on only issuer + subject count, never the address.
    """

    user = models.ForeignKey(
        User, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("kenmerk bij de identity provider"), max_length=255)
    created_at = models.DateTimeField(_("gekoppeld"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("SSO-koppeling")
        verbose_name_plural = _("SSO-koppelingen")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidcidentity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidcidentity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
