"""The demo's recent events: break-the-glass access, notifications and logins."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from keten.core.models import AuditAction
from keten.dossiers.models import BreakGlassAccess, Dossier
from keten.notifications.models import Notification
from keten.seeding.demo.state import DemoState


class EventSeeding(DemoState):
    def _break_glass(self) -> None:
        """demo-collega opened one of demo-professional's dossiers with break-the-glass two days ago
        (waiting for its review), and another dossier sixteen days ago (unreviewed: flagged as late)."""
        collega = self.demo["demo-collega"]
        prof = self.demo["demo-professional"]
        open_dossiers = [d for d in self.dossiers if d.status == Dossier.Status.OPEN]
        dossier = next(d for d in open_dossiers if prof in self.teams_by_dossier[d.pk])
        older = next(d for d in open_dossiers if d.pk != dossier.pk and collega not in self.teams_by_dossier[d.pk])
        for when, target, reason in (
            (
                self.now - timedelta(days=16, hours=5),
                older,
                "School belde: kind wil niet naar huis en vertelt over geweld thuis; regievoerder met vakantie.",
            ),
            (
                self.now - timedelta(days=2, hours=3),
                dossier,
                "Moeder belde buiten kantoortijd in paniek; regievoerder niet bereikbaar, veiligheidsafspraken nodig.",
            ),
        ):
            grant = BreakGlassAccess.objects.create(
                dossier=target,
                user=collega.user,
                organisation=collega.membership.organisation,
                reason=reason,
                granted_at=when,
                expires_at=when + timedelta(hours=1),
            )
            self._event(when, collega, AuditAction.BREAK_GLASS, "dossier", target, details={"grant": grant.pk})
            self._event(when + timedelta(minutes=1), collega, AuditAction.VIEW, "dossier", target)
            self.break_glass_dossier = target
            self.break_glass_at = when

    def _notifications(self) -> None:
        collega = self.demo["demo-collega"]
        af = self.demo["demo-aandachtsfunctionaris"]
        names = {"name": collega.label, "ref": self.break_glass_dossier.reference}
        title = _("Noodtoegang gebruikt door %(name)s") % names
        officer_body = (
            _(
                "%(name)s heeft met noodtoegang dossier %(ref)s geopend. Beoordeel of dat terecht was in "
                "'Noodtoegang beoordelen'."
            )
            % names
        )
        items = [
            Notification(
                recipient=af.user,
                kind="break_glass",
                title=title,
                body=officer_body,
                link="/dossiers/noodtoegang/beoordelen/",
                created_at=self.break_glass_at,
            )
        ]
        coordinator = self.break_glass_dossier.coordinator_id
        if coordinator is not None and coordinator != collega.user.pk:
            items.append(
                Notification(
                    recipient_id=coordinator,
                    kind="break_glass",
                    title=title,
                    body=_("%(name)s heeft met noodtoegang uw dossier %(ref)s geopend.") % names,
                    link=f"/dossiers/{self.break_glass_dossier.reference}/",
                    created_at=self.break_glass_at,
                )
            )
        for username, count in (("demo-professional", 3), ("demo-veiligthuis", 2), ("demo-aandachtsfunctionaris", 1)):
            member = self.demo[username]
            mine = [d for d in self.dossiers if member in self.teams_by_dossier[d.pk]]
            for n, dossier in enumerate(sorted(mine, key=lambda d: d.updated_at, reverse=True)[:count]):
                when = self.now - timedelta(days=n + 1, hours=self.rng.randint(0, 8))
                items.append(
                    Notification(
                        recipient=member.user,
                        kind="case_team_added",
                        title=_("U bent toegevoegd aan een casusteam"),
                        body=_("Dossier %(ref)s") % {"ref": dossier.reference},
                        link=f"/dossiers/{dossier.reference}/",
                        created_at=when,
                        read_at=when + timedelta(hours=2) if n == count - 1 and count > 1 else None,
                    )
                )
        Notification.objects.bulk_create(items)

    def _logins(self) -> None:
        for member in self.demo.values():
            for days in (14, 7, 3, 1):
                when = self.now - timedelta(days=days, hours=self.rng.randint(1, 10))
                self._event(when, member, AuditAction.LOGIN, "", None)
