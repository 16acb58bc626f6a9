"""The forms of the traject page and what each one does when posted.

Every form of the traject page posts to ``traject_action`` (:mod:`.views`) with the name of its
action; :data:`ACTIONS` says which step shows the form, how the form is made, and which service it
calls (returning the message shown after the redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.db import transaction
from django.utils.translation import gettext as _

from keten.meldcode.afwegingskader import forms as weging_forms
from keten.meldcode.afwegingskader import services as weging
from keten.meldcode.consultations import forms as consultation_forms
from keten.meldcode.consultations import services as consultations
from keten.meldcode.consultations.selectors import consultation_candidate_choices
from keten.meldcode.timeline.pages import Page
from keten.meldcode.trajecten import forms as mf
from keten.meldcode.trajecten import services


def candidates(page: Page) -> list[tuple[int, str]]:
    """Who may be asked for a consultation, read once per page."""
    if page.candidates is None:
        page.candidates = consultation_candidate_choices(actor=page.actor)
    return page.candidates


def _date(form: django_forms.Form, name: str) -> Any:
    return form.cleaned_data.get(name)


def _do_signals(page: Page, form: Any) -> str:
    with transaction.atomic():
        for checklist_id, codes in form.codes_per_checklist().items():
            services.signal_record(
                actor=page.actor,
                traject=page.traject,
                data=services.SignalData(
                    checklist_id=checklist_id,
                    codes=codes,
                    observed_on=_date(form, "observed_on"),
                    source=form.source(),
                    facts=form.cleaned_data["facts"],
                    interpretation=form.cleaned_data.get("interpretation") or "",
                ),
            )
    return _("De signalen zijn vastgelegd.")


def _do_observation(page: Page, form: Any) -> str:
    services.observation_record(
        actor=page.actor,
        traject=page.traject,
        observed_on=_date(form, "observed_on"),
        source=form.source(),
        facts=form.cleaned_data["facts"],
        interpretation=form.cleaned_data.get("interpretation") or "",
    )
    return _("De observatie is vastgelegd.")


def _do_kindcheck(page: Page, form: Any) -> str:
    d = form.cleaned_data
    services.kindcheck_record(
        actor=page.actor,
        traject=page.traject,
        data=services.KindcheckData(
            held_on=d["held_on"],
            moment=d["moment"],
            problems=d.get("problems") or [],
            cares_for_minors=d.get("cares_for_minors", False),
            lives_with_minors=d.get("lives_with_minors", False),
            pregnant=d.get("pregnant", False),
            children_count=d.get("children_count") or 0,
            children_ages=d.get("children_ages") or [],
            living_arrangement=d.get("living_arrangement") or "",
            shared_care=d.get("shared_care") or "",
            outcome=d["outcome"],
            handed_over_to=d.get("handed_over_to") or "",
            notes=d.get("notes") or "",
        ),
    )
    return _("De Kindcheck is vastgelegd.")


def _do_consultation(page: Page, form: Any) -> str:
    d = form.cleaned_data
    consultations.consultation_request(
        actor=page.actor,
        traject=page.traject,
        to_user_id=d["to_user"],
        kind=d["kind"],
        question=d["question"],
        anonymous=d["anonymous"] == "ja",
    )
    return _("Uw consultatievraag is verstuurd. U krijgt een melding als het advies er is.")


def _do_vt_advice(page: Page, form: Any) -> str:
    d = form.cleaned_data
    consultations.vt_advice_record(
        actor=page.actor,
        traject=page.traject,
        asked_on=d["asked_on"],
        anonymous=d.get("anonymous", False),
        outcome=d["outcome"],
        advice=d["advice"],
    )
    return _("Het advies van Veilig Thuis is vastgelegd.")


def _do_expert(page: Page, form: Any) -> str:
    d = form.cleaned_data
    consultations.expert_consult_record(
        actor=page.actor,
        traject=page.traject,
        consulted_on=d["consulted_on"],
        expertise=d["expertise"],
        expert=d["expert"],
        advice=d["advice"],
    )
    return _("De consultatie van de deskundige is vastgelegd.")


def _do_conversation(page: Page, form: Any) -> str:
    d = form.cleaned_data
    services.conversation_record(
        actor=page.actor,
        traject=page.traject,
        held_on=d["held_on"],
        participants=d["participants"],
        summary=d["summary"],
        reaction=d["reaction"],
    )
    return _("Het gesprek is vastgelegd.")


def _do_no_conversation(page: Page, form: Any) -> str:
    services.conversation_skip(
        actor=page.actor,
        traject=page.traject,
        reason=form.cleaned_data["reason"],
        motivation=form.cleaned_data["motivation"],
    )
    return _("Vastgelegd waarom het gesprek niet plaatsvindt.")


def _do_afweging(page: Page, form: Any) -> str:
    d = form.cleaned_data
    weging.afweging_record(
        actor=page.actor,
        traject=page.traject,
        number=d["number"],
        answer=d["answer"] == "ja",
        motivation=d["motivation"],
        with_veilig_thuis=d.get("with_veilig_thuis", False),
        expected_version=d["version"],
    )
    return _("Afweging %(n)d is vastgelegd.") % {"n": d["number"]}


def _do_decision(page: Page, form: Any) -> str:
    d = form.cleaned_data
    weging.decision_record(
        actor=page.actor,
        traject=page.traject,
        data=weging.DecisionData(
            decision=d["decision"],
            motivation=d["motivation"],
            help_agreements=d.get("help_agreements") or "",
            help_evaluation_on=d.get("help_evaluation_on"),
        ),
        expected_version=d["version"],
    )
    return _("Het besluit is vastgelegd.")


def _do_melding(page: Page, form: Any) -> str:
    d = form.cleaned_data
    weging.melding_record(
        actor=page.actor,
        traject=page.traject,
        data=weging.MeldingData(
            reported_on=d["reported_on"],
            vt_region=d["vt_region"],
            shared=d["shared"],
            client_informed=d["client_informed"] == "ja",
            not_informed_reason=d.get("not_informed_reason") or "",
            anonymous_melder=d.get("anonymous_melder", False),
        ),
    )
    return _("De melding is vastgelegd. Veilig Thuis koppelt uiterlijk %(due)s terug.") % {
        "due": page.traject.vt_feedback_due.strftime("%d-%m-%Y") if page.traject.vt_feedback_due else "—"
    }


def _do_feedback(page: Page, form: Any) -> str:
    d = form.cleaned_data
    weging.vt_feedback_record(
        actor=page.actor,
        traject=page.traject,
        received_on=d["received_on"],
        outcome=d["outcome"],
        feedback=d["feedback"],
        close=d.get("close", False),
    )
    return _("De terugkoppeling van Veilig Thuis is vastgelegd.")


def _do_close(page: Page, form: Any) -> str:
    services.traject_close(
        actor=page.actor,
        traject=page.traject,
        motivation=form.cleaned_data["motivation"],
        expected_version=form.cleaned_data["version"],
    )
    return _("Het traject is afgesloten.")


def _do_step(page: Page, form: Any) -> str:
    step = form.cleaned_data["step"]
    services.step_move(actor=page.actor, traject=page.traject, step=step, expected_version=form.cleaned_data["version"])
    return _("U bent nu in stap %(n)d. Alles wat al is vastgelegd blijft bewaard.") % {"n": step}


@dataclass(frozen=True)
class Action:
    step: int | None  # the step whose forms hold this action (None: the step navigation or the timeline)
    make: Callable[[Page, Any], Any]
    run: Callable[[Page, Any], str]


def _version(page: Page) -> dict[str, Any]:
    return {"initial": {"version": page.traject.version}}


ACTIONS: dict[str, Action] = {
    "signalen": Action(1, lambda p, d: mf.SignalForm(d, checklists=p.checklists()), _do_signals),
    "observatie": Action(1, lambda p, d: mf.ObservationForm(d), _do_observation),
    "kindcheck": Action(1, lambda p, d: mf.KindcheckForm(d), _do_kindcheck),
    "consultatie": Action(
        2, lambda p, d: consultation_forms.ConsultationRequestForm(d, candidates=candidates(p)), _do_consultation
    ),
    "advies-veilig-thuis": Action(2, lambda p, d: consultation_forms.VtAdviceForm(d), _do_vt_advice),
    "deskundige": Action(2, lambda p, d: consultation_forms.ExpertForm(d), _do_expert),
    "gesprek": Action(3, lambda p, d: mf.ConversationForm(d), _do_conversation),
    "geen-gesprek": Action(3, lambda p, d: mf.ConversationSkipForm(d), _do_no_conversation),
    "afweging": Action(
        None,
        lambda p, d: weging_forms.AfwegingForm(
            d,
            initial={
                "version": p.traject.version,
                "number": p.evaluation.next_question,
                "with_veilig_thuis": p.evaluation.with_veilig_thuis,
            },
        ),
        _do_afweging,
    ),
    "besluit": Action(5, lambda p, d: weging_forms.DecisionForm(d, allowed=p.allowed(), **_version(p)), _do_decision),
    "melding": Action(5, lambda p, d: weging_forms.MeldingForm(d), _do_melding),
    "terugkoppeling": Action(5, lambda p, d: weging_forms.FeedbackForm(d), _do_feedback),
    "afsluiten": Action(None, lambda p, d: mf.CloseForm(d, **_version(p)), _do_close),
    "stap": Action(None, lambda p, d: mf.StepForm(d, **_version(p)), _do_step),
}


def reanswer_form(page: Page, number: int, data: Any = None) -> weging_forms.AfwegingForm:
    """The form to answer an afweging on the path again (the answers after it then drop from the tree)."""
    form = weging_forms.AfwegingForm(
        data, prefix=f"afw{number}", initial={"version": page.traject.version, "number": number}
    )
    form.reanswer_number = number
    return form
