"""Writes of a traject: starting it, step 1 (signals, observations, the Kindcheck), step 3 (the
conversation), moving between steps, closing, and correcting an entry.

Each use case checks the policy (the actor is on the dossier's case team), refuses entries in a
closed traject, validates its input with Dutch messages, appends an
:class:`~keten.meldcode.models.Entry`, updates the traject's derived columns (step, status,
deadlines) with a version bump, and records an audit event with the family's pseudonym, in one
transaction (:mod:`keten.meldcode.record.services`). Nothing is ever edited: a correction is a new
entry that points at the corrected one. Steps 2 and 4–5 are in ``consultations`` and ``afwegingskader``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Person, Relation
from keten.meldcode import states
from keten.meldcode.beheer.selectors import checklists_current
from keten.meldcode.models import Entry, EntryKind, Status, Step, Traject
from keten.meldcode.record.services import (
    MIN_MOTIVATION,
    append,
    audit_step,
    bump,
    check_date,
    check_motivation,
    require_change,
    user_of,
)
from keten.meldcode.vocabulary import (
    CONVERSATION_EXCEPTIONS,
    CORRECTABLE,
    KINDCHECK_MOMENTS,
    KINDCHECK_PROBLEMS,
    KindcheckOutcome,
)


def traject_start(*, actor: Actor, dossier: Dossier, child_id: int | None = None) -> Traject:
    """Start a meldcode-traject in a dossier, for one child or (child_id None) the whole family."""
    user = user_of(actor)
    if not allows("meldcode.start_traject", actor, dossier):
        raise NotFoundError
    if dossier.status != Dossier.Status.OPEN:
        raise DomainError(_("Dit dossier is gesloten. Open het dossier opnieuw om een traject te starten."))
    child: Person | None = None
    if child_id is not None:
        child = Person.objects.filter(pk=child_id, family_id=dossier.family_id).first()
        if child is None:
            raise DomainError(_("Kies een kind uit dit gezin."), field="child")
        if child.relation != Relation.KIND:
            raise DomainError(_("Een meldcode-traject gaat over een kind of over het hele gezin."), field="child")
    assert actor.membership is not None
    organisation = actor.membership.organisation
    # The versions of the organisation's municipality where its gemeente published its own, else the national ones.
    checklists = checklists_current(organisation.type, organisation.municipality_id)
    with transaction.atomic():
        traject = Traject.objects.create(
            dossier=dossier,
            child=child,
            organisation=organisation,
            started_by=user,
            afwegingen_step=settings.KETEN_MELDCODE_AFWEGINGEN_STEP,
            meldcode_version=settings.KETEN_MELDCODE_VERSION,
            last_activity_at=timezone.now(),
        )
        traject.checklists.set(checklists)
        audit_step(
            actor,
            traject,
            AuditAction.CREATE,
            "traject",
            checklists=[
                f"{c.kind}:{c.organisation_type or '*'}:v{c.version}{'' if c.municipality_id is None else ':gemeente'}"
                for c in checklists
            ],
        )
    return traject


def traject_start_new_family(
    *,
    actor: Actor,
    family_name: str,
    child_first_name: str,
    child_last_name: str,
    child_date_of_birth: date | None = None,
    child_bsn: str = "",
    confirm_duplicate: bool = False,
) -> Traject:
    """Start a traject "from scratch": a new family with its first child and dossier, then the traject.

    Both happen in one transaction: when the traject cannot start, no dossier is left behind.
    """
    from keten.dossiers.services import PersonData, dossier_create

    child = PersonData(
        relation=Relation.KIND,
        first_name=child_first_name,
        last_name=child_last_name,
        date_of_birth=child_date_of_birth,
        bsn=child_bsn,
    )
    with transaction.atomic():
        dossier = dossier_create(
            actor=actor, family_name=family_name, persons=[child], confirm_duplicates=confirm_duplicate
        )
        person = dossier.family.persons.get()
        return traject_start(actor=actor, dossier=dossier, child_id=person.pk)


@dataclass
class SignalData:
    checklist_id: int
    codes: list[str]
    observed_on: date | None
    source: str  # "zelf" or who told it
    facts: str
    interpretation: str = ""


def signal_record(*, actor: Actor, traject: Traject, data: SignalData) -> Entry:
    """Record signals from a checklist the traject was started with: facts apart from interpretation."""
    require_change(actor, traject)
    checklist = traject.checklists.filter(pk=data.checklist_id).first()
    if checklist is None:
        raise DomainError(_("Kies een checklist van dit traject."), field="checklist")
    known = checklist.item_map()
    codes = list(dict.fromkeys(c.strip() for c in data.codes if c.strip()))
    if not codes:
        raise DomainError(_("Kies minstens één signaal uit de lijst."), field="codes")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(
            _("Deze signalen staan niet op de gebruikte checklist: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="codes",
        )
    observed = check_date(data.observed_on, "observed_on")
    if not data.source.strip():
        raise DomainError(_("Geef aan wie het signaal heeft waargenomen: uzelf of iemand anders."), field="source")
    if not data.facts.strip():
        raise DomainError(_("Beschrijf wat u (of de bron) feitelijk heeft gezien of gehoord."), field="facts")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.SIGNAAL,
            occurred_on=observed,
            data={
                "checklist": {"id": checklist.pk, "kind": checklist.kind, "version": checklist.version},
                "codes": codes,
                "labels": [known[c]["label"] for c in codes],
                "source": data.source.strip(),
                "facts": data.facts.strip(),
                "interpretation": data.interpretation.strip(),
            },
        )
        first = traject.first_signal_on
        bump(traject, None, first_signal_on=min(first, observed) if first else observed)
        audit_step(actor, traject, AuditAction.CREATE, "signaal", count=len(codes), checklist=checklist.kind)
    return entry


def observation_record(
    *, actor: Actor, traject: Traject, observed_on: date | None, source: str, facts: str, interpretation: str = ""
) -> Entry:
    """A free-text observation, facts kept apart from interpretation, with its source."""
    require_change(actor, traject)
    observed = check_date(observed_on, "observed_on")
    if not source.strip():
        raise DomainError(_("Geef aan wie dit heeft waargenomen: uzelf of iemand anders."), field="source")
    if not facts.strip():
        raise DomainError(_("Beschrijf wat er feitelijk is gezien of gehoord."), field="facts")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.OBSERVATIE,
            occurred_on=observed,
            data={"source": source.strip(), "facts": facts.strip(), "interpretation": interpretation.strip()},
        )
        first = traject.first_signal_on
        bump(traject, None, first_signal_on=min(first, observed) if first else observed)
        audit_step(actor, traject, AuditAction.CREATE, "observatie")
    return entry


@dataclass
class KindcheckData:
    held_on: date | None
    moment: str
    problems: list[str]
    cares_for_minors: bool
    lives_with_minors: bool
    pregnant: bool
    children_count: int = 0
    children_ages: list[int] = field(default_factory=list)
    living_arrangement: str = ""
    shared_care: str = ""
    outcome: str = ""
    handed_over_to: str = ""
    notes: str = ""


def kindcheck_record(*, actor: Actor, traject: Traject, data: KindcheckData) -> Entry:
    """A Kindcheck for an adult client; negative closes the traject, positive continues, handed over names to whom."""
    require_change(actor, traject)
    held = check_date(data.held_on, "held_on")
    if data.moment not in KINDCHECK_MOMENTS:
        raise DomainError(_("Kies het moment van de Kindcheck."), field="moment")
    problems = [p for p in dict.fromkeys(data.problems) if p]
    if any(p not in KINDCHECK_PROBLEMS for p in problems):
        raise DomainError(_("Kies alleen problemen uit de lijst."), field="problems")
    if data.outcome not in KindcheckOutcome.ALL:
        raise DomainError(_("Kies de uitkomst van de Kindcheck."), field="outcome")
    has_children = data.cares_for_minors or data.lives_with_minors or data.pregnant
    if data.children_count < 0 or data.children_count > 20:
        raise DomainError(_("Vul een aantal kinderen tussen 0 en 20 in."), field="children_count")
    if any(a < 0 or a > 17 for a in data.children_ages):
        raise DomainError(_("Vul leeftijden van 0 tot en met 17 jaar in."), field="children_ages")
    if data.children_ages and len(data.children_ages) != data.children_count:
        raise DomainError(_("Het aantal leeftijden past niet bij het aantal kinderen."), field="children_ages")
    if (data.cares_for_minors or data.lives_with_minors) and data.children_count == 0:
        raise DomainError(_("Vul in om hoeveel kinderen het gaat."), field="children_count")
    if data.outcome == KindcheckOutcome.POSITIEF and not has_children:
        raise DomainError(
            _("Een positieve Kindcheck gaat over kinderen of een zwangerschap: vul die eerst in."), field="outcome"
        )
    if data.outcome == KindcheckOutcome.OVERGEDRAGEN and not data.handed_over_to.strip():
        raise DomainError(_("Vul in aan wie de zorg is overgedragen."), field="handed_over_to")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.KINDCHECK,
            occurred_on=held,
            data={
                "moment": data.moment,
                "problems": problems,
                "cares_for_minors": data.cares_for_minors,
                "lives_with_minors": data.lives_with_minors,
                "pregnant": data.pregnant,
                "children_count": data.children_count,
                "children_ages": data.children_ages,
                "living_arrangement": data.living_arrangement.strip(),
                "shared_care": data.shared_care.strip(),
                "outcome": data.outcome,
                "handed_over_to": data.handed_over_to.strip(),
            },
            text=data.notes.strip(),
        )
        changes: dict[str, Any] = {}
        if data.outcome == KindcheckOutcome.NEGATIEF and traject.status == Status.OPEN and _only_kindchecks(traject):
            states.check_transition(traject.status, Status.AFGESLOTEN)
            changes.update(status=Status.AFGESLOTEN, outcome="kindcheck_negatief", closed_at=timezone.now())
        first = traject.first_signal_on
        changes["first_signal_on"] = min(first, held) if first else held
        bump(traject, None, **changes)
        audit_step(actor, traject, AuditAction.CREATE, "kindcheck", outcome=data.outcome, moment=data.moment)
    return entry


def _only_kindchecks(traject: Traject) -> bool:
    """A negative Kindcheck only closes a traject that holds nothing but Kindchecks."""
    return not traject.entries.exclude(kind=EntryKind.KINDCHECK).exists()


def conversation_record(
    *, actor: Actor, traject: Traject, held_on: date | None, participants: list[str], summary: str, reaction: str
) -> Entry:
    """The conversation with parents/carers (and the child where fitting) and their reaction."""
    require_change(actor, traject)
    held = check_date(held_on, "held_on")
    allowed = {"ouders", "verzorgers", "kind", "jongere", "client"}
    people = [p for p in dict.fromkeys(participants) if p]
    if not people or any(p not in allowed for p in people):
        raise DomainError(_("Kies met wie het gesprek is gevoerd."), field="participants")
    if not summary.strip():
        raise DomainError(_("Beschrijf wat u in het gesprek heeft besproken."), field="summary")
    if not reaction.strip():
        raise DomainError(_("Beschrijf hoe de betrokkenen reageerden."), field="reaction")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.GESPREK,
            occurred_on=held,
            data={"participants": people, "reaction": reaction.strip()},
            text=summary.strip(),
        )
        bump(traject, None, current_step=max(traject.current_step, Step.GESPREK))
        audit_step(actor, traject, AuditAction.CREATE, "gesprek")
    return entry


def conversation_skip(*, actor: Actor, traject: Traject, reason: str, motivation: str) -> Entry:
    """Why the conversation did not take place: one of the recognised exceptions, motivated."""
    require_change(actor, traject)
    if reason not in CONVERSATION_EXCEPTIONS:
        raise DomainError(_("Kies de reden waarom het gesprek niet plaatsvindt."), field="reason")
    motivation = check_motivation(
        motivation,
        message=_("Motiveer waarom het gesprek niet plaatsvindt (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.GEEN_GESPREK,
            occurred_on=timezone.localdate(),
            data={"reason": reason},
            text=motivation,
        )
        bump(traject, None, current_step=max(traject.current_step, Step.GESPREK))
        audit_step(actor, traject, AuditAction.CREATE, "geen_gesprek", reason=reason)
    return entry


def step_move(*, actor: Actor, traject: Traject, step: int, expected_version: int | None = None) -> Entry:
    """Go to another step (back or forth); everything recorded stays in the record."""
    require_change(actor, traject)
    if step not in Step.values:
        raise DomainError(_("Kies een stap van 1 tot en met 5."), field="step")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.STAP,
            occurred_on=timezone.localdate(),
            data={"from": traject.current_step, "to": step},
            step=step,
        )
        bump(traject, expected_version, current_step=step)
        audit_step(actor, traject, AuditAction.UPDATE, "stap", to=step)
    return entry


def traject_close(*, actor: Actor, traject: Traject, motivation: str, expected_version: int | None = None) -> Entry:
    """Close the traject at any step, with a motivation (e.g. the help has ended with follow-up agreements)."""
    require_change(actor, traject)
    motivation = check_motivation(
        motivation,
        message=_("Motiveer waarom het traject wordt afgesloten (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    states.check_transition(traject.status, Status.AFGESLOTEN)
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.AFSLUITING,
            occurred_on=timezone.localdate(),
            data={"from": traject.status},
            text=motivation,
        )
        bump(
            traject,
            expected_version,
            status=Status.AFGESLOTEN,
            closed_at=timezone.now(),
            outcome=traject.outcome or "afgesloten",
        )
        audit_step(actor, traject, AuditAction.UPDATE, "afsluiting")
    return entry


def entry_correct(*, actor: Actor, traject: Traject, entry_id: int, correction: str) -> Entry:
    """Correct an entry: a new entry that refers to the old one, which stays visible as corrected.

    A corrected afweging no longer counts in the tree, so it has to be answered again.
    """
    require_change(actor, traject)
    original = Entry.objects.filter(pk=entry_id, traject=traject).first()
    if original is None:
        raise DomainError(_("Deze vastlegging hoort niet bij dit traject."), field="entry")
    if original.kind not in CORRECTABLE:
        raise DomainError(_("Deze vastlegging kan niet worden gecorrigeerd; leg een nieuwe vast."), field="entry")
    if original.corrections.exists():
        raise DomainError(_("Deze vastlegging is al gecorrigeerd."), field="entry")
    correction = check_motivation(
        correction,
        "correction",
        message=_("Beschrijf de correctie en de reden (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.CORRECTIE,
            occurred_on=timezone.localdate(),
            data={"corrected_kind": original.kind},
            text=correction,
            corrects=original,
            step=original.step,
        )
        bump(traject, None)
        audit_step(actor, traject, AuditAction.UPDATE, "correctie", entry=original.pk)
    return entry
