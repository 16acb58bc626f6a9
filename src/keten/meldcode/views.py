"""Meldcode pages. Views translate HTTP to service and selector calls; they hold no rules.

The traject page shows the five steps and the forms of one step; every form posts to
:func:`traject_action`, which looks the action up in :data:`ACTIONS`, validates the form, calls the
service and redirects (post/redirect/get). Bad input re-renders the page with the Dutch messages next
to the fields and status 422; nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import ConflictError, DomainError
from keten.core.forms import apply_domain_error
from keten.core.localcache import ProcessCache
from keten.core.policy import allows
from keten.dossiers import selectors as dossier_selectors
from keten.meldcode import afwegingskader, selectors, services
from keten.meldcode import forms as mf
from keten.meldcode.models import ChecklistKind, Consultation, Entry, EntryKind, Status, Traject

# --- labels of the timeline ---------------------------------------------------------------------

GROUP_LABELS: dict[str, Any] = {
    "lichamelijk": _l("Lichamelijk"),
    "gedrag-emotioneel": _l("Gedrag en emoties"),
    "gedrag-sociaal": _l("Sociaal gedrag"),
    "ontwikkeling": _l("Ontwikkeling"),
    "situatie-school": _l("Situatie op school"),
    "verwaarlozing": _l("Verwaarlozing"),
    "seksueel-misbruik": _l("Seksueel misbruik"),
    "getuige-partnergeweld": _l("Getuige van partnergeweld"),
    "omgeving": _l("Omgeving"),
}


def _group_label(group: str, age_band: str) -> str:
    label = str(GROUP_LABELS[group]) if group in GROUP_LABELS else (group[:1].upper() + group[1:]) or _("Overig")
    if age_band and age_band != "alle":
        return _("%(group)s (%(band)s jaar)") % {"group": label, "band": age_band.replace("-", " tot ")}
    return label


def _label(mapping: dict[str, Any], code: Any) -> str:
    return str(mapping.get(code, code or ""))


def _yes_no(value: Any) -> str:
    return _("Ja") if value else _("Nee")


def _source(value: str) -> str:
    return _("Zelf waargenomen") if value == services.SOURCE_SELF else value


def _describe(
    e: Entry, by_id: dict[int, Entry], kinds: dict[str, str]
) -> tuple[list[str], str, str, list[tuple[str, str]]]:
    """What the timeline shows of one entry: a list, a lead line (bold), a note after it, and label/value facts."""
    d: dict[str, Any] = e.data or {}
    items: list[str] = []
    lead = note = ""
    facts: list[tuple[str, str]] = []
    kind = e.kind
    if kind == EntryKind.SIGNAAL:
        items = [str(x) for x in d.get("labels", [])]
        facts = [(_("Bron"), _source(d.get("source", ""))), (_("Feiten"), d.get("facts", ""))]
        if d.get("interpretation"):
            facts.append((_("Interpretatie"), d["interpretation"]))
        checklist = d.get("checklist") or {}
        facts.append((_("Checklist"), f"{checklist.get('kind', '')} v{checklist.get('version', '')}"))
    elif kind == EntryKind.OBSERVATIE:
        facts = [(_("Bron"), _source(d.get("source", ""))), (_("Feiten"), d.get("facts", ""))]
        if d.get("interpretation"):
            facts.append((_("Interpretatie"), d["interpretation"]))
    elif kind == EntryKind.KINDCHECK:
        facts = [(_("Moment"), _label(services.KINDCHECK_MOMENTS, d.get("moment")))]
        if d.get("problems"):
            facts.append((_("Problemen"), ", ".join(_label(services.KINDCHECK_PROBLEMS, p) for p in d["problems"])))
        children = str(d.get("children_count", 0))
        if d.get("children_ages"):
            children += " (" + _("leeftijden") + " " + ", ".join(str(a) for a in d["children_ages"]) + ")"
        if d.get("pregnant"):
            children += "; " + _("zwangerschap")
        facts.append((_("Kinderen"), children))
        if d.get("living_arrangement"):
            facts.append((_("Woonsituatie"), d["living_arrangement"]))
        if d.get("shared_care"):
            facts.append((_("Zorgt ook voor de kinderen"), d["shared_care"]))
        outcome = _label(mf.KINDCHECK_OUTCOMES, d.get("outcome"))
        facts.append((_("Uitkomst"), outcome + (f" — {d['handed_over_to']}" if d.get("handed_over_to") else "")))
    elif kind == EntryKind.CONSULTATIEVRAAG:
        who = _label(dict(Consultation.Kind.choices), d.get("kind"))
        lead = _("Gevraagd aan %(who)s (%(kind)s)") % {"who": d.get("to_name", ""), "kind": who}
        note = _("zonder namen") if d.get("anonymous") else _("met namen")
    elif kind == EntryKind.ADVIES_VEILIG_THUIS:
        lead = _label(services.VT_ADVICE_OUTCOMES, d.get("outcome"))
        note = _("anoniem gevraagd") if d.get("anonymous") else ""
    elif kind == EntryKind.DESKUNDIGE:
        lead, note = d.get("expertise", ""), d.get("expert", "")
    elif kind == EntryKind.GESPREK:
        facts = [
            (_("Met"), ", ".join(_label(mf.PARTICIPANTS, p) for p in d.get("participants", []))),
            (_("Reactie"), d.get("reaction", "")),
        ]
    elif kind == EntryKind.GEEN_GESPREK:
        lead = _label(services.CONVERSATION_EXCEPTIONS, d.get("reason"))
    elif kind == EntryKind.AFWEGING:
        afweging = afwegingskader.AFWEGINGEN.get(int(d.get("number", 0)))
        items = [str(afweging.question)] if afweging else []
        lead = _yes_no(d.get("answer"))
        note = _("samen met Veilig Thuis") if d.get("with_veilig_thuis") else ""
    elif kind == EntryKind.BESLUIT:
        lead = _label(mf.DECISION_LABELS, d.get("decision"))
        if d.get("help_agreements"):
            facts.append((_("Afspraken over de hulp"), d["help_agreements"]))
        if d.get("help_evaluation_on"):
            facts.append((_("Evaluatie op"), d["help_evaluation_on"]))
    elif kind == EntryKind.MELDING:
        informed = _yes_no(d.get("client_informed"))
        if not d.get("client_informed"):
            informed += f" — {d.get('not_informed_reason', '')}"
        facts = [
            (_("Veilig Thuis-regio"), d.get("vt_region", "")),
            (_("Betrokkenen vooraf ingelicht"), informed),
            (_("Terugkoppeling uiterlijk"), d.get("feedback_due", "")),
        ]
    elif kind == EntryKind.TERUGKOPPELING:
        lead = _label(services.VT_FEEDBACK_OUTCOMES, d.get("outcome"))
        note = _("op tijd") if d.get("on_time") else _("later dan de termijn")
    elif kind == EntryKind.STAP:
        items = [_("Van stap %(a)s naar stap %(b)s") % {"a": d.get("from"), "b": d.get("to")}]
    elif kind == EntryKind.CORRECTIE and e.corrects_id in by_id:
        corrected = by_id[e.corrects_id]
        e.corrects_label = _("%(kind)s van %(date)s") % {  # type: ignore[attr-defined]
            "kind": kinds.get(corrected.kind, corrected.kind),
            "date": corrected.occurred_on.strftime("%d-%m-%Y"),
        }
    return items, lead, note, facts


def label_entries(entries: list[Entry], *, base: str = "") -> None:
    """What the timeline shows of each entry, in Dutch, worked out once here rather than in the template."""
    by_id = {e.pk: e for e in entries}
    # get_kind_display() rebuilds the choices mapping on every call: look the labels up once.
    kinds = {value: str(label) for value, label in EntryKind.choices}
    for e in entries:
        e.items, e.lead, e.note, e.facts = _describe(e, by_id, kinds)  # type: ignore[attr-defined]
        e.title = kinds.get(e.kind, e.kind) + (f" {e.data.get('number')}" if e.kind == EntryKind.AFWEGING else "")  # type: ignore[attr-defined]
        e.byline = _("Vastgelegd door %(author)s (%(org)s) op %(at)s") % {  # type: ignore[attr-defined]
            "author": e.author,
            "org": e.organisation.name,
            "at": timezone.localtime(e.created_at).strftime("%d-%m-%Y %H:%M"),
        }
        e.correctable = e.kind in services.CORRECTABLE and not getattr(e, "is_corrected", False)  # type: ignore[attr-defined]
        e.correct_url = f"{base}corrigeren/{e.pk}/" if base else ""  # type: ignore[attr-defined]


# --- the forms of the traject page --------------------------------------------------------------


@dataclass
class Page:
    """What the forms of one traject page need, loaded once."""

    actor: Actor
    traject: Traject
    entries: list[Entry]
    evaluation: afwegingskader.Evaluation
    #: Whether the entries carry their authors and organisations (see ``_load_page``).
    with_people: bool = True

    def may_record(self) -> bool:
        """On the case team, so may record in the traject (whatever its status); asked once per page."""
        if not hasattr(self, "_may_record"):
            self._may_record = allows("meldcode.change_traject", self.actor, self.traject)
        return self._may_record

    def checklists(self) -> list[Any]:
        if not hasattr(self, "_checklists"):
            order = list(ChecklistKind.values)
            self._checklists = sorted(self.traject.checklists.all(), key=lambda c: order.index(c.kind))
        return self._checklists

    def candidates(self) -> list[tuple[int, str]]:
        if not hasattr(self, "_candidates"):
            self._candidates = selectors.consultation_candidate_choices(actor=self.actor)
        return self._candidates

    def allowed(self) -> list[str]:
        return [str(d) for d in afwegingskader.allowed_decisions(self.evaluation)]


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
    services.consultation_request(
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
    services.vt_advice_record(
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
    services.expert_consult_record(
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
    services.afweging_record(
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
    services.decision_record(
        actor=page.actor,
        traject=page.traject,
        data=services.DecisionData(
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
    services.melding_record(
        actor=page.actor,
        traject=page.traject,
        data=services.MeldingData(
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
    services.vt_feedback_record(
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
    "consultatie": Action(2, lambda p, d: mf.ConsultationRequestForm(d, candidates=p.candidates()), _do_consultation),
    "advies-veilig-thuis": Action(2, lambda p, d: mf.VtAdviceForm(d), _do_vt_advice),
    "deskundige": Action(2, lambda p, d: mf.ExpertForm(d), _do_expert),
    "gesprek": Action(3, lambda p, d: mf.ConversationForm(d), _do_conversation),
    "geen-gesprek": Action(3, lambda p, d: mf.ConversationSkipForm(d), _do_no_conversation),
    "afweging": Action(
        None,
        lambda p, d: mf.AfwegingForm(
            d,
            initial={
                "version": p.traject.version,
                "number": p.evaluation.next_question,
                "with_veilig_thuis": p.evaluation.with_veilig_thuis,
            },
        ),
        _do_afweging,
    ),
    "besluit": Action(5, lambda p, d: mf.DecisionForm(d, allowed=p.allowed(), **_version(p)), _do_decision),
    "melding": Action(5, lambda p, d: mf.MeldingForm(d), _do_melding),
    "terugkoppeling": Action(5, lambda p, d: mf.FeedbackForm(d), _do_feedback),
    "afsluiten": Action(None, lambda p, d: mf.CloseForm(d, **_version(p)), _do_close),
    "stap": Action(None, lambda p, d: mf.StepForm(d, **_version(p)), _do_step),
}


def _band_fits(band: str, age: int | None) -> bool:
    """Whether an age band such as "4-12" (from 4 up to 12) holds the child's age; unknown ages fit every band."""
    if age is None or band in ("", "alle"):
        return True
    low, _sep, high = band.partition("-")
    try:
        return int(low) <= age < int(high)
    except ValueError:
        return True


def _child_age(traject: Traject) -> int | None:
    born = traject.child.date_of_birth if traject.child_id and traject.child else None
    if born is None:
        return None
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _checklist_groups(checklists: list[Any], selected: set[str], age: int | None = None) -> list[dict[str, Any]]:
    """The traject's checklist versions with their items grouped by age band and group, in list order.

    Groups for other ages than the child's are kept apart (shown folded), never left out.
    """
    result = []
    for checklist in checklists:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for item in checklist.items:
            key = (item.get("age_band") or "", item.get("group") or "")
            value = f"{checklist.pk}:{item['code']}"
            groups.setdefault(key, []).append(
                {
                    "value": value,
                    "label": item["label"],
                    "id": f"sig-{checklist.pk}-{item['code']}",
                    "checked": value in selected,
                }
            )
        rows: list[dict[str, Any]] = [
            {"legend": _group_label(g, band), "items": items, "fits": _band_fits(band, age)}
            for (band, g), items in groups.items()
        ]
        others = [r for r in rows if not r["fits"]]
        result.append(
            {
                "checklist": checklist,
                "groups": [r for r in rows if r["fits"]],
                "others": others,
                "others_open": any(i["checked"] for r in others for i in r["items"]),
                "open": any(i["checked"] for items in groups.values() for i in items),
            }
        )
    return result


def _load_page(
    request: HttpRequest, reference: str, *, for_change: bool, audit_read: bool, with_people: bool = True
) -> Page:
    """The traject (through the policy) and its entries; ``with_people=False`` leaves out who recorded
    each entry, for the traject page, whose timeline is cached (``_timeline_html`` reads them when
    it renders)."""
    actor = actor_from_request(request)
    if for_change:
        traject = selectors.traject_for_change(actor=actor, reference=reference, audit_read=audit_read)
    else:
        traject = selectors.traject_get(actor=actor, reference=reference, audit_read=audit_read)
    entries = selectors.timeline(traject) if with_people else selectors.page_entries(traject)
    return Page(
        actor=actor,
        traject=traject,
        entries=entries,
        evaluation=selectors.evaluation(traject, entries),
        with_people=with_people,
    )


def traject_context(request: HttpRequest, reference: str) -> dict[str, Any]:
    """What every traject page shows: the traject, its timeline, the tree and the step progress (read-only)."""
    page = _load_page(request, reference, for_change=False, audit_read=True)
    _label_for_timeline(page)
    return _read_context(request, page)


def _label_for_timeline(page: Page) -> None:
    label_entries(page.entries, base=reverse("meldcode:traject", args=[page.traject.reference]))


def _read_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    traject = page.traject
    today = timezone.localdate()
    return {
        "traject": traject,
        "entries": page.entries,
        "evaluation": page.evaluation,
        "progress": selectors.progress(traject, page.entries),
        # Who may record is on the case team and so sees the names; others only when consulted with names.
        "show_names": page.may_record() or selectors.may_see_names(page.actor, traject),
        "feedback_overdue": bool(
            traject.vt_feedback_due and not traject.vt_feedback_on and traject.vt_feedback_due < today
        ),
    }


def _reanswer_form(page: Page, number: int, data: Any = None) -> mf.AfwegingForm:
    """The form to answer an afweging on the path again (the answers after it then drop from the tree)."""
    return mf.AfwegingForm(data, prefix=f"afw{number}", initial={"version": page.traject.version, "number": number})


def _afwegingen_walk(page: Page, bound: tuple[str, Any] | None, may_change: bool) -> list[dict[str, Any]]:
    """The afwegingen on the tree's path, in tree order, with the answer that counts and its entry."""
    latest: dict[int, Entry] = {}
    for e in page.entries:
        if e.kind == EntryKind.AFWEGING and not getattr(e, "is_corrected", False):
            latest[int(e.data["number"])] = e
    walk = []
    for n in page.evaluation.path:
        if n not in latest:
            continue
        form = None
        if may_change:
            again = bound[1] if bound and bound[0] == "afweging-opnieuw" and bound[1].number == n else None
            form = again or _reanswer_form(page, n)
        walk.append({"afweging": afwegingskader.AFWEGINGEN[n], "entry": latest[n], "form": form})
    return walk


def _render_page(
    request: HttpRequest,
    page: Page,
    *,
    bound: tuple[str, Any] | None = None,
    step: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _read_context(request, page)
    traject = page.traject
    may_change = page.may_record() and traject.status != Status.AFGESLOTEN
    shown = step or traject.current_step
    forms_: dict[str, Any] = {}
    if may_change:
        for name, action in ACTIONS.items():
            key = name.replace("-", "_")
            if bound and bound[0] == name:
                forms_[key] = bound[1]
            elif action.step == shown or name in ("afsluiten", "stap") or (name == "afweging" and shown in (4, 5)):
                forms_[key] = action.make(page, None)
    # A refused action whose form is not on the page (e.g. the traject was closed meanwhile): say why on top.
    action_errors = [str(m) for errors in bound[1].errors.values() for m in errors] if bound and not may_change else []
    signal_form = forms_.get("signalen")
    latest_decision = next(
        (e for e in reversed(page.entries) if e.kind == EntryKind.BESLUIT and not getattr(e, "is_corrected", False)),
        None,
    )
    context.update(
        {
            "may_change": may_change,
            "action_errors": action_errors,
            "shown_step": shown,
            "forms": forms_,
            "checklist_groups": _checklist_groups(
                page.checklists(), signal_form.selected() if signal_form else set(), _child_age(traject)
            )
            if signal_form
            else [],
            "afwegingen_walk": _afwegingen_walk(page, bound, may_change),
            "next_afweging": afwegingskader.AFWEGINGEN.get(page.evaluation.next_question or 0),
            "afweging5_waits": page.evaluation.next_question == 5
            and traject.status not in (Status.HULP, Status.GEMELD_EN_HULP),
            "latest_decision": latest_decision,
            "melding_due": latest_decision is not None
            and latest_decision.data.get("decision") in ("melden", "melden_en_hulp")
            and not any(
                e.kind == EntryKind.MELDING and e.created_at > latest_decision.created_at for e in page.entries
            ),
            "consultations": [e for e in page.entries if e.kind == EntryKind.CONSULTATIEVRAAG],
            "steps": [(n, label) for n, label in ((s.number, s.label) for s in context["progress"])],
            "report_url": _report_url(traject),
            "timeline_html": _timeline_html(page, may_change),
        }
    )
    return render(request, "meldcode/traject.html", context, status=status)


#: Seconds a rendered timeline is kept (author names could change meanwhile; nothing else can).
TIMELINE_CACHE_SECONDS = 5 * 60
#: Rendered timelines hold decrypted client data: kept in this process only.
_TIMELINES = ProcessCache(maxsize=256)


def _timeline_html(page: Page, may_change: bool) -> SafeString:
    """The rendered timeline of the traject page, kept per traject, entries, language and may_change
    for up to ``TIMELINE_CACHE_SECONDS``.

    Entries are append-only (a correction is a new entry that marks the old one), so the number of
    entries and the last id identify what the timeline shows. The entries were read through the
    case-team check of this request; the store only spares rendering them again.
    """
    entries = page.entries
    last = max(entries, key=lambda e: e.pk, default=None)
    stamp = f"{last.pk}@{last.created_at.timestamp()}" if last is not None else "0"
    period = int(time.time() // TIMELINE_CACHE_SECONDS)
    key = ("timeline", page.traject.reference, len(entries), stamp, may_change, get_language(), period)

    def render() -> str:
        if not page.with_people:
            # The same entries (append-only) with their authors and organisations, to render them.
            page.entries = selectors.timeline(page.traject)
        _label_for_timeline(page)
        return str(render_to_string("meldcode/_timeline.html", {"entries": page.entries, "may_change": may_change}))

    html = _TIMELINES.get_or_set(key, render)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine above, escaped there


def _report_url(traject: Traject) -> str:
    try:
        return reverse("meldcode:report", args=[traject.reference])
    except NoReverseMatch:  # the report view is optional for this page
        return ""


@requires("meldcode.view_trajecten")
@require_GET
def traject_detail(request: HttpRequest, reference: str) -> HttpResponse:
    page = _load_page(request, reference, for_change=False, audit_read=True, with_people=False)
    try:
        step = int(request.GET.get("stap", "0"))
    except ValueError:
        step = 0
    return _render_page(request, page, step=step if 1 <= step <= 5 else None)


@requires("meldcode.record_trajecten")
@require_POST
def traject_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Every form of the traject page: validate, call the service, redirect; 422 with the messages otherwise.

    Only the case team records: anyone else gets 404 before the form is looked at."""
    page = _load_page(request, reference, for_change=True, audit_read=False)
    form: Any
    run: Callable[[Page, Any], str]
    step: int | None
    if action == "afweging-opnieuw":
        try:
            number = int(request.POST.get("afweging", ""))
        except ValueError:
            raise Http404 from None
        if number not in afwegingskader.AFWEGINGEN:
            raise Http404
        form = _reanswer_form(page, number, request.POST)
        form.number = number  # type: ignore[attr-defined]
        run = _do_afweging
        step = page.traject.afwegingen_step
    else:
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        form = spec.make(page, request.POST)
        run = spec.run
        step = spec.step
    status = 422
    if form.is_valid():
        try:
            message = run(page, form)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, message)
            url = reverse("meldcode:traject", args=[reference])
            if step is not None and action not in ("stap",):
                url += f"?stap={step}"
            return redirect(url)
    # Show the page again as it is now, with this form and its messages.
    page = _load_page(request, reference, for_change=False, audit_read=True)
    if action in ("afweging", "afweging-opnieuw"):
        step = page.traject.afwegingen_step
    return _render_page(request, page, bound=(action, form), step=step, status=status)


@requires("meldcode.record_trajecten")
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, reference: str, entry_id: str) -> HttpResponse:
    """Correct one entry: the correction is a new entry; the old one stays, marked as corrected.

    Only the case team may (404 for everyone else, also on GET); the read of the form is audited."""
    page = _load_page(request, reference, for_change=True, audit_read=request.method == "GET")
    entry = next((e for e in page.entries if e.pk == int(entry_id)), None)
    if entry is None:
        raise Http404
    label_entries(page.entries)
    form = mf.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_correct(
                actor=page.actor, traject=page.traject, entry_id=entry.pk, correction=form.cleaned_data["correction"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De correctie is vastgelegd; de oorspronkelijke vastlegging blijft zichtbaar."))
            return redirect(reverse("meldcode:traject", args=[reference]) + f"#entry-{entry.pk}")
    return render(
        request,
        "meldcode/correction.html",
        {"traject": page.traject, "entries": [entry], "entry": entry, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- starting a traject -------------------------------------------------------------------------


@requires("meldcode.record_trajecten")
@require_POST
def traject_start(request: HttpRequest, reference: str) -> HttpResponse:
    """Start a traject from the dossier page, for one child or the whole family (the case team only)."""
    actor = actor_from_request(request)
    dossier = dossier_selectors.dossier_get(actor=actor, reference=reference, audit_read=False)
    check(request, "meldcode.start_traject", dossier)
    children = selectors.children_to_start(actor=actor, dossier=dossier)
    form = mf.TrajectStartForm(request.POST, children=children)
    if form.is_valid():
        try:
            traject = services.traject_start(actor=actor, dossier=dossier, child_id=form.child_id())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het meldcode-traject is gestart. Begin met het vastleggen van signalen."))
            return redirect("meldcode:traject", reference=traject.reference)
    return render(request, "meldcode/start.html", {"form": form, "dossier": dossier}, status=422)


@requires("dossiers.add_dossier")
@require_http_methods(["GET", "POST"])
def traject_new(request: HttpRequest) -> HttpResponse:
    """Start a traject "from scratch": the family, the child and the dossier are created with it."""
    form = mf.NewFamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            traject = services.traject_start_new_family(
                actor=actor_from_request(request),
                family_name=d["family_name"],
                child_first_name=d["first_name"],
                child_last_name=d["last_name"],
                child_date_of_birth=d.get("date_of_birth"),
                child_bsn=d.get("bsn") or "",
                confirm_duplicate=d.get("confirm_duplicate", False),
            )
        except DomainError as exc:
            if exc.field == "child":
                exc.field = None
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het dossier en het meldcode-traject zijn aangemaakt."))
            return redirect("meldcode:traject", reference=traject.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "meldcode/new.html", {"form": form}, status=status)


# --- the aandachtsfunctionaris ------------------------------------------------------------------


#: Rows per page of the organisation overview.
OVERVIEW_PAGE_SIZE = 50


@requires("meldcode.view_organisation_trajecten")
@require_GET
def organisation_overview(request: HttpRequest) -> HttpResponse:
    """All open trajecten of the aandachtsfunctionaris' organisation (names only where allowed)."""
    actor = actor_from_request(request)
    try:
        requested = int(request.GET.get("pagina", "1"))
    except ValueError:
        requested = 1
    found = selectors.organisation_overview_page(actor=actor, page=requested, page_size=OVERVIEW_PAGE_SIZE)
    # The counts cover all open trajecten; the table shows one page of them.
    page = Paginator(range(found.total), OVERVIEW_PAGE_SIZE).get_page(found.number)
    labels = {value: str(label) for value, label in Status.choices}
    for row in found.rows:
        row.status_label = labels.get(row.status, row.status)  # type: ignore[attr-defined]
    return render(
        request,
        "meldcode/organisation.html",
        {
            "rows": found.rows,
            "total": found.total,
            "page": page,
            "stalled": found.stalled,
            "overdue": found.feedback_overdue,
            "organisation": actor.membership.organisation if actor.membership else None,
        },
    )


# --- consultations ------------------------------------------------------------------------------


@requires("meldcode.view_trajecten")
@require_GET
def consultation_inbox(request: HttpRequest) -> HttpResponse:
    """The consultation requests addressed to the user: open ones, and the latest answered."""
    actor = actor_from_request(request)
    inbox = selectors.consultation_inbox_page(actor=actor)
    return render(request, "meldcode/inbox.html", {"open": inbox.open, "answered": inbox.answered})


@requires("meldcode.view_trajecten")
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation request with its traject; its addressee answers it here (404 for anyone else's answer)."""
    actor = actor_from_request(request)
    consultation = selectors.consultation_get(actor=actor, consultation_id=pk)
    if request.method == "POST":
        check(request, "meldcode.answer_consultation", consultation)
    context = traject_context(request, consultation.traject.reference)
    form = mf.AdviceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.consultation_answer(actor=actor, consultation=consultation, advice=form.cleaned_data["advice"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Uw advies is vastgelegd en de vrager is ingelicht."))
                return redirect("meldcode:inbox")
    context.update(
        consultation=consultation, form=form, is_addressee=may(request, "meldcode.answer_consultation", consultation)
    )
    return render(request, "meldcode/consultation.html", context, status=status)
