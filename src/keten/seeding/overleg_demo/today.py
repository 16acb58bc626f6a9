"""Today's actions through the services: a case waiting for triage and one registered from a match and admitted."""

from __future__ import annotations

from django.utils import timezone

from keten.accounts.models import Membership, User
from keten.core.actor import Actor
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import CaseRegistration, OverlegType, ProcessStep
from keten.overleg.registrations import services as registration_services
from keten.seeding.overleg_demo.writing import OverlegWriting
from keten.verwijsindex.models import Match, SignalStatus


def _actor(username: str) -> Actor:
    user = User.objects.get(username=username)
    membership = Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()
    assert membership is not None
    user.__dict__["active_membership"] = membership
    return Actor(user=user, membership=membership)


class TodaySeeding(OverlegWriting):
    def _today(self, overleg: OverlegType, steps: list[ProcessStep]) -> None:
        """Through the services: one case waits for triage, one is registered from a match and admitted."""
        prof = _actor("demo-professional")
        dossiers = self._dossiers(self.prof)
        used = set(CaseRegistration.objects.values_list("dossier_id", flat=True))
        free = [d for d in dossiers if d.pk not in used]
        if len(free) < 2:
            return
        registration_services.registration_create(
            actor=prof,
            overleg_type=overleg,
            dossier=free[0],
            data=registration_services.RegistrationData(
                reason="Moeder is slachtoffer van stalking door ex-partner; kinderen zijn getuige.",
                goal="Beschermende maatregelen en hulp afstemmen met politie en OM.",
                process_step_id=steps[0].pk,
                criteria=steps[0].criteria,
                invited_organisation_ids=[],
                family_informed=True,
            ),
        )
        match = (
            Match.objects.filter(
                participants__signal__professional=self.prof,
                participants__signal__status=SignalStatus.ACTIEF,
                coordinator__professional=self.prof,
            )
            .order_by("pk")
            .first()
        )
        prefill = (
            registration_services.registration_prefill_from_match(actor=prof, match_id=match.pk)
            if match is not None
            else None
        )
        registration = registration_services.registration_create(
            actor=prof,
            overleg_type=overleg,
            dossier=free[1],
            data=registration_services.RegistrationData(
                reason=prefill.reason if prefill else "Meerdere professionals zijn betrokken bij dit gezin.",
                goal="Afspreken wie wat doet en wie de regie heeft.",
                process_step_id=steps[1].pk,
                invited_organisation_ids=prefill.partner_ids if prefill else [],
                family_informed=True,
                match_id=match.pk if match is not None else None,
            ),
        )
        upcoming = meeting_services.next_planned_meeting(overleg.pk, timezone.now())
        if upcoming is not None:
            registration_services.registration_admit(
                actor=_actor(self.chair.username), registration=registration, meeting=upcoming
            )
