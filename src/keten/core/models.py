"""Core models: the append-only, hash-chained audit log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("bekeken")
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    EXPORT = "export", _("geëxporteerd")
    SHARE = "share", _("gedeeld")
    LOGIN = "login", _("ingelogd")
    LOGIN_FAILED = "login_failed", _("inlogpoging mislukt")
    LOGOUT = "logout", _("uitgelogd")
    BREAK_GLASS = "break_glass", _("noodtoegang")
    MFA_ENROL = "mfa_enrol", _("tweestapsverificatie ingesteld")


class AppendOnlyError(RuntimeError):
    """The audit log cannot be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")


class AppendOnlyModel(models.Model):
    """Rows of the audit log: written once, never saved again or deleted (nor through the queryset)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(AppendOnlyModel):
    """One thing that happened, by whom, to what. Never updated, never deleted.

    ``hash`` covers every column below plus ``prev_hash``, the hash of the event before it, so any
    change or removal of a row breaks the chain (see ``manage.py verify_audit``).
    """

    occurred_at = models.DateTimeField(_("tijdstip"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("medewerker (naam)"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("rol"), max_length=40, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("soort object"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    client_pseudonym = models.CharField(_("cliëntpseudoniem"), max_length=32, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organisation", "-id"], name="audit_org_id"),
            models.Index(fields=["actor", "-id"], name="audit_actor_id"),
            models.Index(fields=["client_pseudonym", "-id"], name="audit_client_id"),
            models.Index(fields=["organisation", "action", "-id"], name="audit_org_action_id"),
            models.Index(fields=["occurred_at"], name="audit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"


class AuditEventClient(AppendOnlyModel):
    """A family that an audited list read showed (a page of the dossier list, of agreements, of
    trajecten): one row per family, so the audit log's per-family filter finds list reads as well
    as reads of the family's own records. Written with the event, append-only like it; the event's
    hashed details name the same families."""

    # No database constraint: rows are never removed (as their events), and a deferred foreign-key
    # check would hold trigger events on the audit table until the transaction ends.
    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="clients", db_constraint=False)
    pseudonym = models.CharField(_("cliëntpseudoniem"), max_length=32)

    class Meta:
        verbose_name = _("gezin in een auditgebeurtenis")
        verbose_name_plural = _("gezinnen in auditgebeurtenissen")
        indexes = [models.Index(fields=["pseudonym", "-event"], name="audit_list_client")]
        constraints = [models.UniqueConstraint(fields=["event", "pseudonym"], name="audit_list_client_once")]

    def __str__(self) -> str:
        return f"{self.pseudonym} in {self.event_id}"


class RateCounter(models.Model):
    """One fixed window of a rate limit (``keten.core.ratelimit``): shared by every worker process."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("teller")
        verbose_name_plural = _("tellers")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
