"""Writes of the meldcode: every step is an appended entry, in one transaction with its audit event.

Each use case checks the policy (the actor is on the dossier's case team, or is the addressee of a
consultation), refuses entries in a closed traject, validates its input with Dutch messages, appends
an :class:`~keten.meldcode.models.Entry`, updates the traject's derived columns (step, status,
deadlines) with a version bump, and records an audit event with the family's pseudonym. Nothing is
ever edited: a correction is a new entry that points at the corrected one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from keten.accounts.models import Membership, OrganisationType, Role, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.workdays import add_working_days
from keten.dossiers.models import Dossier, Person, Relation
from keten.meldcode import afwegingskader, selectors, states
from keten.meldcode.afwegingskader import Decision
from keten.meldcode.models import (
    ENTRY_STEP,
    Checklist,
    ChecklistKind,
    Consultation,
    Entry,
    EntryKind,
    Status,
    Step,
    Traject,
)
from keten.notifications.services import notification_send

MIN_MOTIVATION = 10


# --- shared checks ---------------------------------------------------------------------------


def _user(actor: Actor) -> User:
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def _require_change(actor: Actor, traject: Traject) -> User:
    user = _user(actor)
    if not allows("meldcode.change_traject", actor, traject):
        raise NotFoundError
    if traject.status == Status.AFGESLOTEN:
        raise DomainError(
            _("Dit traject is afgesloten en kan niet meer worden aangevuld. Start zo nodig een nieuw traject.")
        )
    return user


def _check_date(value: date | None, field_name: str, *, label: str | None = None) -> date:
    if value is None:
        raise DomainError(_("Vul de datum in."), field=field_name)
    if value > timezone.localdate():
        raise DomainError(
            label or _("Deze datum ligt in de toekomst. Vul een datum van vandaag of eerder in."), field=field_name
        )
    return value


def _check_motivation(text: str, field_name: str = "motivation", *, message: str | None = None) -> str:
    text = (text or "").strip()
    if len(text) < MIN_MOTIVATION:
        raise DomainError(
            message or _("Geef een motivering van minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field=field_name
        )
    return text


def _bump(traject: Traject, expected_version: int | None, **changes: Any) -> None:
    """Apply derived-column changes with the optimistic version check; ConflictError if changed meanwhile."""
    changes.setdefault("last_activity_at", timezone.now())
    qs = Traject.objects.filter(pk=traject.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    updated = qs.update(version=F("version") + 1, **changes)
    if updated != 1:
        raise ConflictError
    traject.refresh_from_db()


def _append(
    actor: Actor,
    traject: Traject,
    kind: str,
    *,
    occurred_on: date,
    data: dict[str, Any] | None = None,
    text: str = "",
    corrects: Entry | None = None,
    step: int | None = None,
) -> Entry:
    assert actor.user is not None
    assert actor.membership is not None
    fixed = ENTRY_STEP.get(kind)
    entry = Entry(
        traject=traject,
        kind=kind,
        step=step or fixed or (traject.afwegingen_step if kind == EntryKind.AFWEGING else traject.current_step),
        author=actor.user,
        organisation_id=actor.membership.organisation_id,
        occurred_on=occurred_on,
        data=data or {},
        text=text or None,
        corrects=corrects,
    )
    entry.save()
    return entry


def _audit(actor: Actor, traject: Traject, action: str, what: str, **details: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=f"meldcode.{what}",
        object_id=traject.reference,
        client_pseudonym=traject.dossier.family.pseudonym,
        details=details,
    )


def _traject_link(traject: Traject) -> str:
    return reverse("meldcode:traject", args=[traject.reference])


# --- starting a traject ------------------------------------------------------------------------


def traject_start(*, actor: Actor, dossier: Dossier, child_id: int | None = None) -> Traject:
    """Start a meldcode-traject in a dossier, for one child or (child_id None) the whole family."""
    user = _user(actor)
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
    checklists = selectors.checklists_current(organisation.type, organisation.municipality_id)
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
        _audit(
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


# --- step 1: signals, observations, Kindcheck --------------------------------------------------


@dataclass
class SignalData:
    checklist_id: int
    codes: list[str]
    observed_on: date | None
    source: str  # "zelf" or who told it
    facts: str
    interpretation: str = ""


SOURCE_SELF = "zelf"


def signal_record(*, actor: Actor, traject: Traject, data: SignalData) -> Entry:
    """Record signals from a checklist the traject was started with: facts apart from interpretation."""
    _require_change(actor, traject)
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
    observed = _check_date(data.observed_on, "observed_on")
    if not data.source.strip():
        raise DomainError(_("Geef aan wie het signaal heeft waargenomen: uzelf of iemand anders."), field="source")
    if not data.facts.strip():
        raise DomainError(_("Beschrijf wat u (of de bron) feitelijk heeft gezien of gehoord."), field="facts")
    with transaction.atomic():
        entry = _append(
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
        _bump(traject, None, first_signal_on=min(first, observed) if first else observed)
        _audit(actor, traject, AuditAction.CREATE, "signaal", count=len(codes), checklist=checklist.kind)
    return entry


def observation_record(
    *, actor: Actor, traject: Traject, observed_on: date | None, source: str, facts: str, interpretation: str = ""
) -> Entry:
    """A free-text observation, facts kept apart from interpretation, with its source."""
    _require_change(actor, traject)
    observed = _check_date(observed_on, "observed_on")
    if not source.strip():
        raise DomainError(_("Geef aan wie dit heeft waargenomen: uzelf of iemand anders."), field="source")
    if not facts.strip():
        raise DomainError(_("Beschrijf wat er feitelijk is gezien of gehoord."), field="facts")
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.OBSERVATIE,
            occurred_on=observed,
            data={"source": source.strip(), "facts": facts.strip(), "interpretation": interpretation.strip()},
        )
        first = traject.first_signal_on
        _bump(traject, None, first_signal_on=min(first, observed) if first else observed)
        _audit(actor, traject, AuditAction.CREATE, "observatie")
    return entry


KINDCHECK_PROBLEMS = {
    "partnergeweld": _l("Partnergeweld"),
    "verslaving": _l("Verslaving of problematisch middelengebruik"),
    "psychiatrie": _l("Ernstige psychiatrische problemen"),
    "lvb": _l("Licht verstandelijke beperking"),
    "financieel": _l("Ernstige financiële problemen of dreigende uitzetting"),
    "wapenbezit": _l("Wapenbezit"),
    "overig": _l("Andere problemen die kinderen in gevaar kunnen brengen"),
}
KINDCHECK_MOMENTS = {
    "intake": _l("Bij de intake"),
    "evaluatie": _l("Bij een evaluatie of multidisciplinair overleg"),
    "nieuwe_zorg": _l("Bij nieuwe zorgen"),
}


class KindcheckOutcome:
    NEGATIEF = "negatief"
    POSITIEF = "positief"
    OVERGEDRAGEN = "overgedragen"
    ALL = (NEGATIEF, POSITIEF, OVERGEDRAGEN)


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
    _require_change(actor, traject)
    held = _check_date(data.held_on, "held_on")
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
        entry = _append(
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
        _bump(traject, None, **changes)
        _audit(actor, traject, AuditAction.CREATE, "kindcheck", outcome=data.outcome, moment=data.moment)
    return entry


def _only_kindchecks(traject: Traject) -> bool:
    """A negative Kindcheck only closes a traject that holds nothing but Kindchecks."""
    return not traject.entries.exclude(kind=EntryKind.KINDCHECK).exists()


# --- step 2: consultation --------------------------------------------------------------------


def consultation_request(
    *, actor: Actor, traject: Traject, to_user_id: int, kind: str, question: str, anonymous: bool = True
) -> Consultation:
    """Ask the organisation's aandachtsfunctionaris or a colleague for advice; they get a notification."""
    user = _require_change(actor, traject)
    assert actor.membership is not None
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies wie u om advies vraagt."), field="kind")
    wanted_roles = (
        [Role.AANDACHTSFUNCTIONARIS]
        if kind == Consultation.Kind.AANDACHTSFUNCTIONARIS
        else [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.TEAMLEIDER]
    )
    target = (
        Membership.objects.filter(
            user_id=to_user_id,
            organisation_id=actor.membership.organisation_id,
            role__in=wanted_roles,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    if target is None or target.user_id == user.pk:
        if kind == Consultation.Kind.AANDACHTSFUNCTIONARIS:
            raise DomainError(
                _("Deze persoon is geen aandachtsfunctionaris van uw organisatie. Kies een aandachtsfunctionaris."),
                field="to_user",
            )
        raise DomainError(_("Kies een collega van uw eigen organisatie."), field="to_user")
    question = question.strip()
    if len(question) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf uw vraag in minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field="question")
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.CONSULTATIEVRAAG,
            occurred_on=timezone.localdate(),
            data={
                "to_user": target.user_id,
                "to_name": target.user.get_full_name(),
                "kind": kind,
                "anonymous": anonymous,
            },
            text=question,
        )
        consultation = Consultation.objects.create(
            traject=traject,
            kind=kind,
            requested_by=user,
            requested_to=target.user,
            anonymous=anonymous,
            question=question,
            request_entry=entry,
        )
        _bump(traject, None, current_step=max(traject.current_step, Step.CONSULTEREN))
        _audit(actor, traject, AuditAction.SHARE, "consultatievraag", to_user=target.user_id, anonymous=anonymous)
        notification_send(
            recipients=[target.user],
            kind="meldcode.consultation",
            title=_("Nieuwe consultatievraag"),
            body=_("Een collega vraagt uw advies in een meldcode-traject."),
            link=reverse("meldcode:consultation", args=[consultation.pk]),
        )
    return consultation


def consultation_answer(*, actor: Actor, consultation: Consultation, advice: str) -> Entry:
    """The addressee records their advice; it joins the traject's timeline and the requester is notified."""
    _user(actor)
    if not allows("meldcode.answer_consultation", actor, consultation):
        raise NotFoundError
    traject = consultation.traject
    if consultation.state != Consultation.State.OPEN:
        raise DomainError(_("Deze consultatievraag is al beantwoord of ingetrokken."))
    if traject.status == Status.AFGESLOTEN:
        raise DomainError(_("Het traject is intussen afgesloten; een advies kan niet meer worden toegevoegd."))
    advice = advice.strip()
    if len(advice) < MIN_MOTIVATION:
        raise DomainError(_("Schrijf uw advies in minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field="advice")
    with transaction.atomic():
        updated = Consultation.objects.filter(pk=consultation.pk, state=Consultation.State.OPEN).update(
            state=Consultation.State.BEANTWOORD, answered_at=timezone.now()
        )
        if updated != 1:
            raise ConflictError
        entry = _append(
            actor,
            traject,
            EntryKind.CONSULTATIEADVIES,
            occurred_on=timezone.localdate(),
            data={"consultation": consultation.pk, "kind": consultation.kind},
            text=advice,
        )
        Consultation.objects.filter(pk=consultation.pk).update(answer_entry=entry)
        consultation.refresh_from_db()
        _bump(traject, None)
        _audit(actor, traject, AuditAction.CREATE, "consultatieadvies", consultation=consultation.pk)
        notification_send(
            recipients=[consultation.requested_by],
            kind="meldcode.advice",
            title=_("Advies ontvangen"),
            body=_("Uw consultatievraag in een meldcode-traject is beantwoord."),
            link=_traject_link(traject),
        )
    return entry


VT_ADVICE_OUTCOMES = {
    "hulp_organiseren": _l("Zelf hulp bieden of organiseren"),
    "verder_signaleren": _l("Verder signaleren en opnieuw overleggen"),
    "melden": _l("Een melding doen"),
    "anders": _l("Ander advies"),
}


def vt_advice_record(
    *, actor: Actor, traject: Traject, asked_on: date | None, anonymous: bool, outcome: str, advice: str
) -> Entry:
    """An (anonymous) advice request to Veilig Thuis and what Veilig Thuis advised."""
    _require_change(actor, traject)
    asked = _check_date(asked_on, "asked_on")
    if outcome not in VT_ADVICE_OUTCOMES:
        raise DomainError(_("Kies wat Veilig Thuis adviseerde."), field="outcome")
    advice = _check_motivation(
        advice, "advice", message=_("Beschrijf het advies van Veilig Thuis (minstens 10 tekens).")
    )
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.ADVIES_VEILIG_THUIS,
            occurred_on=asked,
            data={"anonymous": anonymous, "outcome": outcome},
            text=advice,
        )
        _bump(traject, None, current_step=max(traject.current_step, Step.CONSULTEREN))
        _audit(actor, traject, AuditAction.CREATE, "advies_veilig_thuis", anonymous=anonymous)
    return entry


def expert_consult_record(
    *, actor: Actor, traject: Traject, consulted_on: date | None, expertise: str, expert: str, advice: str
) -> Entry:
    """A consultation of an expert, e.g. letselduiding by a forensic physician."""
    _require_change(actor, traject)
    consulted = _check_date(consulted_on, "consulted_on")
    if not expertise.strip():
        raise DomainError(
            _("Vul in welke deskundigheid is geraadpleegd, bijvoorbeeld letselduiding."), field="expertise"
        )
    if not expert.strip():
        raise DomainError(_("Vul in wie is geraadpleegd."), field="expert")
    advice = _check_motivation(advice, "advice", message=_("Beschrijf het advies (minstens 10 tekens)."))
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.DESKUNDIGE,
            occurred_on=consulted,
            data={"expertise": expertise.strip(), "expert": expert.strip()},
            text=advice,
        )
        _bump(traject, None)
        _audit(actor, traject, AuditAction.CREATE, "deskundige")
    return entry


# --- step 3: the conversation ----------------------------------------------------------------

CONVERSATION_EXCEPTIONS = {
    "veiligheid_kind": _l("De veiligheid van het kind komt in gevaar"),
    "veiligheid_professional": _l("De veiligheid van de professional of anderen komt in gevaar"),
    "contact_verbreken": _l("Goede redenen om aan te nemen dat de cliënt het contact verbreekt"),
    "niet_bereikbaar": _l("De betrokkenen zijn na meerdere pogingen niet bereikbaar"),
}


def conversation_record(
    *, actor: Actor, traject: Traject, held_on: date | None, participants: list[str], summary: str, reaction: str
) -> Entry:
    """The conversation with parents/carers (and the child where fitting) and their reaction."""
    _require_change(actor, traject)
    held = _check_date(held_on, "held_on")
    allowed = {"ouders", "verzorgers", "kind", "jongere", "client"}
    people = [p for p in dict.fromkeys(participants) if p]
    if not people or any(p not in allowed for p in people):
        raise DomainError(_("Kies met wie het gesprek is gevoerd."), field="participants")
    if not summary.strip():
        raise DomainError(_("Beschrijf wat u in het gesprek heeft besproken."), field="summary")
    if not reaction.strip():
        raise DomainError(_("Beschrijf hoe de betrokkenen reageerden."), field="reaction")
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.GESPREK,
            occurred_on=held,
            data={"participants": people, "reaction": reaction.strip()},
            text=summary.strip(),
        )
        _bump(traject, None, current_step=max(traject.current_step, Step.GESPREK))
        _audit(actor, traject, AuditAction.CREATE, "gesprek")
    return entry


def conversation_skip(*, actor: Actor, traject: Traject, reason: str, motivation: str) -> Entry:
    """Why the conversation did not take place: one of the recognised exceptions, motivated."""
    _require_change(actor, traject)
    if reason not in CONVERSATION_EXCEPTIONS:
        raise DomainError(_("Kies de reden waarom het gesprek niet plaatsvindt."), field="reason")
    motivation = _check_motivation(
        motivation,
        message=_("Motiveer waarom het gesprek niet plaatsvindt (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.GEEN_GESPREK,
            occurred_on=timezone.localdate(),
            data={"reason": reason},
            text=motivation,
        )
        _bump(traject, None, current_step=max(traject.current_step, Step.GESPREK))
        _audit(actor, traject, AuditAction.CREATE, "geen_gesprek", reason=reason)
    return entry


# --- steps 4–5: afwegingen, decision, melding, feedback ------------------------------------------


def afweging_record(
    *,
    actor: Actor,
    traject: Traject,
    number: int,
    answer: bool,
    motivation: str,
    with_veilig_thuis: bool = False,
    expected_version: int | None = None,
) -> Entry:
    """Answer one afweging. Only the afweging the tree asks next (or a re-answer of one on the path)."""
    _require_change(actor, traject)
    if number not in afwegingskader.AFWEGINGEN:
        raise DomainError(_("Onbekende afweging."), field="number")
    motivation = _check_motivation(
        motivation, message=_("Motiveer uw antwoord op deze afweging (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION}
    )
    with transaction.atomic():
        entries = selectors.timeline(traject)
        answers = selectors.afweging_answers(entries)
        current = afwegingskader.evaluate(answers)
        if number not in current.path and number != current.next_question:
            expected = current.next_question
            if expected is None:
                raise DomainError(
                    _("Het afwegingskader is voor dit traject doorlopen; afweging %(n)d is niet aan de orde.")
                    % {"n": number},
                    field="number",
                )
            raise DomainError(
                _("Beantwoord eerst afweging %(expected)d; het afwegingskader slaat geen afweging over.")
                % {"expected": expected},
                field="number",
            )
        if number == 5 and traject.status not in (Status.HULP, Status.GEMELD_EN_HULP):
            raise DomainError(
                _("Afweging 5 beantwoordt u bij de evaluatie van de hulp, nadat u heeft besloten hulp te bieden."),
                field="number",
            )
        # Changing an earlier answer drops the later answers from the tree: they are shown as replaced.
        new_answers = {k: v for k, v in answers.items() if k < number}
        new_answers[number] = answer
        result = afwegingskader.evaluate(new_answers)
        entry = _append(
            actor,
            traject,
            EntryKind.AFWEGING,
            occurred_on=timezone.localdate(),
            data={
                "number": number,
                "answer": answer,
                "with_veilig_thuis": with_veilig_thuis,
                "outcome": str(result.outcome),
                "meldnorm": str(result.meldnorm) if result.meldnorm else "",
                "supersedes": sorted(k for k in answers if k >= number),
            },
            text=motivation,
        )
        _bump(traject, expected_version, current_step=max(traject.current_step, traject.afwegingen_step))
        _audit(actor, traject, AuditAction.CREATE, "afweging", number=number, outcome=str(result.outcome))
    return entry


@dataclass
class DecisionData:
    decision: str
    motivation: str
    help_agreements: str = ""
    help_evaluation_on: date | None = None


def decision_record(
    *, actor: Actor, traject: Traject, data: DecisionData, expected_version: int | None = None
) -> Entry:
    """Record the decision (close / help / melding / melding and help), checked against the afwegingen."""
    _require_change(actor, traject)
    try:
        decision = Decision(data.decision)
    except ValueError:
        raise DomainError(_("Kies een besluit."), field="decision") from None
    motivation = _check_motivation(
        data.motivation, message=_("Motiveer het besluit (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION}
    )
    with transaction.atomic():
        locked = Traject.objects.select_for_update().get(pk=traject.pk)
        entries = selectors.timeline(locked)
        ev = afwegingskader.evaluate(selectors.afweging_answers(entries))
        allowed = afwegingskader.allowed_decisions(ev)
        if ev.outcome is afwegingskader.Outcome.ONVOLLEDIG and decision not in allowed:
            raise DomainError(
                _(
                    "Beantwoord eerst de afwegingen tot het afwegingskader een uitkomst geeft "
                    "(volgende: afweging %(n)d)."
                )
                % {"n": ev.next_question or 1},
                field="decision",
            )
        if decision not in allowed:
            if ev.requires_melding:
                raise DomainError(
                    _("Volgens de afwegingen geldt een meldnorm: kies ‘melden’ of ‘melden en hulp’."), field="decision"
                )
            raise DomainError(_("Dit besluit past niet bij de antwoorden op de afwegingen."), field="decision")
        changes: dict[str, Any] = {
            "outcome": decision.value,
            "decided_at": timezone.now(),
            "current_step": Step.BESLISSEN,
        }
        if decision in (Decision.HULP, Decision.MELDEN_EN_HULP):
            if not data.help_agreements.strip():
                raise DomainError(_("Leg de afspraken over de hulp vast: wie doet wat."), field="help_agreements")
            if data.help_evaluation_on is None or data.help_evaluation_on <= timezone.localdate():
                raise DomainError(_("Kies een evaluatiedatum na vandaag."), field="help_evaluation_on")
            changes["help_evaluation_on"] = data.help_evaluation_on
        new_status = {
            Decision.AFSLUITEN: Status.AFGESLOTEN,
            Decision.HULP: Status.HULP,
            # A melding is recorded next; until then the traject waits in its current status.
            Decision.MELDEN: locked.status,
            Decision.MELDEN_EN_HULP: Status.HULP if locked.status == Status.OPEN else locked.status,
        }[decision]
        if new_status != locked.status:
            states.check_transition(locked.status, new_status)
            changes["status"] = new_status
            if new_status == Status.AFGESLOTEN:
                changes["closed_at"] = timezone.now()
        entry = _append(
            actor,
            locked,
            EntryKind.BESLUIT,
            occurred_on=timezone.localdate(),
            data={
                "decision": decision.value,
                "outcome": str(ev.outcome),
                "meldnorm": str(ev.meldnorm) if ev.meldnorm else "",
                "help_agreements": data.help_agreements.strip(),
                "help_evaluation_on": data.help_evaluation_on.isoformat() if data.help_evaluation_on else "",
            },
            text=motivation,
        )
        _bump(locked, expected_version, **changes)
        _audit(actor, locked, AuditAction.CREATE, "besluit", decision=decision.value, outcome=str(ev.outcome))
    traject.refresh_from_db()
    return entry


@dataclass
class MeldingData:
    reported_on: date | None
    vt_region: str
    shared: str
    client_informed: bool
    not_informed_reason: str = ""
    anonymous_melder: bool = False


def melding_record(*, actor: Actor, traject: Traject, data: MeldingData) -> Entry:
    """Record the melding to Veilig Thuis; feedback is due 5 Dutch working days later."""
    _require_change(actor, traject)
    reported = _check_date(data.reported_on, "reported_on")
    if reported < traject.started_at.date():
        raise DomainError(_("De melding kan niet vóór de start van het traject liggen."), field="reported_on")
    if not data.vt_region.strip():
        raise DomainError(_("Vul de Veilig Thuis-regio in waar u heeft gemeld."), field="vt_region")
    if len(data.shared.strip()) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf welke informatie u met Veilig Thuis heeft gedeeld."), field="shared")
    if not data.client_informed:
        _check_motivation(
            data.not_informed_reason,
            "not_informed_reason",
            message=_("Leg uit waarom de betrokkenen vooraf niet zijn ingelicht (minstens %(n)d tekens).")
            % {"n": MIN_MOTIVATION},
        )
    with transaction.atomic():
        locked = Traject.objects.select_for_update().get(pk=traject.pk)
        decisions = [
            e
            for e in selectors.timeline(locked)
            if e.kind == EntryKind.BESLUIT and not getattr(e, "is_corrected", False)
        ]
        latest = decisions[-1].data["decision"] if decisions else ""
        if latest not in (Decision.MELDEN, Decision.MELDEN_EN_HULP):
            raise DomainError(
                _("Leg eerst het besluit ‘melden’ of ‘melden en hulp’ vast; daarna registreert u de melding.")
            )
        new_status = Status.GEMELD_EN_HULP if latest == Decision.MELDEN_EN_HULP else Status.GEMELD
        if locked.status != new_status:
            states.check_transition(locked.status, new_status)
        due = add_working_days(reported, settings.KETEN_MELDCODE_VT_FEEDBACK_WORKDAYS)
        entry = _append(
            actor,
            locked,
            EntryKind.MELDING,
            occurred_on=reported,
            data={
                "vt_region": data.vt_region.strip(),
                "client_informed": data.client_informed,
                "not_informed_reason": data.not_informed_reason.strip(),
                "anonymous_melder": data.anonymous_melder,
                "feedback_due": due.isoformat(),
            },
            text=data.shared.strip(),
        )
        _bump(locked, None, status=new_status, melding_on=reported, vt_feedback_due=due, vt_feedback_on=None)
        _audit(actor, locked, AuditAction.SHARE, "melding", vt_region=data.vt_region.strip(), due=due.isoformat())
    traject.refresh_from_db()
    return entry


VT_FEEDBACK_OUTCOMES = {
    "onderzoek": _l("Veilig Thuis doet onderzoek"),
    "raad": _l("Veilig Thuis vraagt de Raad voor de Kinderbescherming om onderzoek"),
    "voorwaarden_vervolg": _l("Voorwaarden en vervolg: Veilig Thuis stelt veiligheidsvoorwaarden en monitort"),
    "overdracht": _l("Overdracht aan het lokale team of de hulpverlening"),
    "einde": _l("Einde bemoeienis van Veilig Thuis"),
}


def vt_feedback_record(
    *, actor: Actor, traject: Traject, received_on: date | None, outcome: str, feedback: str, close: bool = False
) -> Entry:
    """The feedback Veilig Thuis gave after the melding (at least after the veiligheidsbeoordeling)."""
    _require_change(actor, traject)
    received = _check_date(received_on, "received_on")
    if traject.melding_on is None:
        raise DomainError(_("Er is in dit traject nog geen melding vastgelegd."))
    if received < traject.melding_on:
        raise DomainError(_("De terugkoppeling kan niet vóór de melding liggen."), field="received_on")
    if outcome not in VT_FEEDBACK_OUTCOMES:
        raise DomainError(_("Kies wat Veilig Thuis heeft besloten."), field="outcome")
    feedback = _check_motivation(
        feedback, "feedback", message=_("Beschrijf de terugkoppeling van Veilig Thuis (minstens 10 tekens).")
    )
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if traject.vt_feedback_on is None:
            changes["vt_feedback_on"] = received
        if close:
            states.check_transition(traject.status, Status.AFGESLOTEN)
            changes.update(status=Status.AFGESLOTEN, closed_at=timezone.now())
        entry = _append(
            actor,
            traject,
            EntryKind.TERUGKOPPELING,
            occurred_on=received,
            data={
                "outcome": outcome,
                "on_time": bool(traject.vt_feedback_due and received <= traject.vt_feedback_due),
            },
            text=feedback,
        )
        _bump(traject, None, **changes)
        _audit(actor, traject, AuditAction.CREATE, "terugkoppeling", outcome=outcome)
    return entry


# --- moving, closing, correcting -------------------------------------------------------------


def step_move(*, actor: Actor, traject: Traject, step: int, expected_version: int | None = None) -> Entry:
    """Go to another step (back or forth); everything recorded stays in the record."""
    _require_change(actor, traject)
    if step not in Step.values:
        raise DomainError(_("Kies een stap van 1 tot en met 5."), field="step")
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.STAP,
            occurred_on=timezone.localdate(),
            data={"from": traject.current_step, "to": step},
            step=step,
        )
        _bump(traject, expected_version, current_step=step)
        _audit(actor, traject, AuditAction.UPDATE, "stap", to=step)
    return entry


def traject_close(*, actor: Actor, traject: Traject, motivation: str, expected_version: int | None = None) -> Entry:
    """Close the traject at any step, with a motivation (e.g. the help has ended with follow-up agreements)."""
    _require_change(actor, traject)
    motivation = _check_motivation(
        motivation,
        message=_("Motiveer waarom het traject wordt afgesloten (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    states.check_transition(traject.status, Status.AFGESLOTEN)
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.AFSLUITING,
            occurred_on=timezone.localdate(),
            data={"from": traject.status},
            text=motivation,
        )
        _bump(
            traject,
            expected_version,
            status=Status.AFGESLOTEN,
            closed_at=timezone.now(),
            outcome=traject.outcome or "afgesloten",
        )
        _audit(actor, traject, AuditAction.UPDATE, "afsluiting")
    return entry


CORRECTABLE = frozenset(
    {
        EntryKind.SIGNAAL,
        EntryKind.OBSERVATIE,
        EntryKind.KINDCHECK,
        EntryKind.ADVIES_VEILIG_THUIS,
        EntryKind.DESKUNDIGE,
        EntryKind.GESPREK,
        EntryKind.GEEN_GESPREK,
        EntryKind.AFWEGING,
        EntryKind.TERUGKOPPELING,
    }
)


def entry_correct(*, actor: Actor, traject: Traject, entry_id: int, correction: str) -> Entry:
    """Correct an entry: a new entry that refers to the old one, which stays visible as corrected.

    A corrected afweging no longer counts in the tree, so it has to be answered again.
    """
    _require_change(actor, traject)
    original = Entry.objects.filter(pk=entry_id, traject=traject).first()
    if original is None:
        raise DomainError(_("Deze vastlegging hoort niet bij dit traject."), field="entry")
    if original.kind not in CORRECTABLE:
        raise DomainError(_("Deze vastlegging kan niet worden gecorrigeerd; leg een nieuwe vast."), field="entry")
    if original.corrections.exists():
        raise DomainError(_("Deze vastlegging is al gecorrigeerd."), field="entry")
    correction = _check_motivation(
        correction,
        "correction",
        message=_("Beschrijf de correctie en de reden (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
    )
    with transaction.atomic():
        entry = _append(
            actor,
            traject,
            EntryKind.CORRECTIE,
            occurred_on=timezone.localdate(),
            data={"corrected_kind": original.kind},
            text=correction,
            corrects=original,
            step=original.step,
        )
        _bump(traject, None)
        _audit(actor, traject, AuditAction.UPDATE, "correctie", entry=original.pk)
    return entry


# --- reference data --------------------------------------------------------------------------


def checklist_publish(
    *, actor: Actor, kind: str, organisation_type: str, title: str, items: list[dict[str, Any]]
) -> Checklist:
    """Publish a new version of a checklist for the beheerder's own municipality.

    Only the functioneel beheerder of a gemeente organisation may (``meldcode.manage_checklists``); the
    version is one of their municipality, numbered after the newest national or municipal version of
    the same list, and new trajecten of organisations in the municipality use it. The national
    versions and those of other municipalities stay as they are, and so do older versions for the
    trajecten that used them.
    """
    user = _user(actor)
    if not allows("meldcode.manage_checklists", actor):
        raise NotFoundError
    assert actor.membership is not None
    municipality_id = actor.membership.organisation.municipality_id
    if kind not in ChecklistKind.values:
        raise DomainError(_("Kies de soort lijst."), field="kind")
    if organisation_type and organisation_type not in OrganisationType.values:
        raise DomainError(_("Kies een bestaande soort organisatie."), field="organisation_type")
    if not title.strip():
        raise DomainError(_("Geef de lijst een titel."), field="title")
    codes = [str(i.get("code", "")).strip() for i in items]
    if not items or any(not c for c in codes) or any(not str(i.get("label", "")).strip() for i in items):
        raise DomainError(_("Elk item heeft een code en een omschrijving."), field="items")
    if len(set(codes)) != len(codes):
        raise DomainError(_("Elke code mag maar één keer in de lijst staan."), field="items")
    with transaction.atomic():
        same_list = Checklist.objects.filter(kind=kind, organisation_type=organisation_type)
        national = same_list.filter(municipality__isnull=True).order_by("-version").first()
        # Lock the municipality's newest version of this list: two beheerders publishing at once get
        # consecutive numbers.
        municipal = same_list.select_for_update().filter(municipality_id=municipality_id).order_by("-version").first()
        if municipal is not None and not allows("meldcode.manage_checklist", actor, municipal):
            raise NotFoundError
        latest = max((c.version for c in (national, municipal) if c is not None), default=0)
        checklist = Checklist.objects.create(
            kind=kind,
            organisation_type=organisation_type,
            municipality_id=municipality_id,
            version=latest + 1,
            title=title.strip(),
            items=[
                {
                    "code": str(i["code"]).strip(),
                    "label": str(i["label"]).strip(),
                    "group": str(i.get("group", "")).strip(),
                    "age_band": str(i.get("age_band", "")).strip(),
                }
                for i in items
            ],
            published_at=timezone.now(),
            created_by=user,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="meldcode.checklist",
            object_id=checklist.pk,
            details={
                "kind": kind,
                "organisation_type": organisation_type,
                "municipality": municipality_id,
                "version": checklist.version,
            },
        )
    return checklist
