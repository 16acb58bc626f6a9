"""The report of a meldcode-traject as an A4 PDF: the whole record, for the dossier.

It holds the meldcode version and the checklist versions the traject used, every entry with its
step, author, organisation and date (corrected entries marked, corrections pointing back), the
afwegingen with their answers and motivations, the decision, the melding and the feedback of
Veilig Thuis. Whoever may view the traject may download it; the download is audited as an export.
Family names appear only for those who may see them (the case team, or a consultee asked with names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from keten.core import audit
from keten.core.access import requires
from keten.core.actor import Actor, actor_from_request
from keten.core.models import AuditAction
from keten.meldcode.afwegingskader import tree as afwegingskader
from keten.meldcode.afwegingskader.selectors import evaluation
from keten.meldcode.models import Consultation, Entry, EntryKind, Traject
from keten.meldcode.record import selectors
from keten.meldcode.vocabulary import (
    CONVERSATION_EXCEPTIONS,
    KINDCHECK_MOMENTS,
    KINDCHECK_PROBLEMS,
    SOURCE_SELF,
    VT_ADVICE_OUTCOMES,
    VT_FEEDBACK_OUTCOMES,
)

DECISIONS = {
    "afsluiten": _l("Afsluiten: geen vermoeden meer"),
    "hulp": _l("Hulp bieden of organiseren"),
    "melden": _l("Melden bij Veilig Thuis"),
    "melden_en_hulp": _l("Melden bij Veilig Thuis en hulp bieden"),
}
PARTICIPANTS = {
    "ouders": _l("ouders"),
    "verzorgers": _l("verzorgers"),
    "kind": _l("kind"),
    "jongere": _l("jongere"),
    "client": _l("cliënt"),
}
KINDCHECK_OUTCOMES = {
    "negatief": _l("Negatief: geen zorgen over kinderen"),
    "positief": _l("Positief: verder met de meldcode"),
    "overgedragen": _l("Overgedragen"),
}


@dataclass
class ReportEntry:
    entry: Entry
    number: int
    corrected: bool
    corrects_number: int | None
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    traject: Traject
    show_names: bool
    family_name: str
    child_name: str
    checklists: list[Any]
    entries: list[ReportEntry]
    afwegingen: list[ReportEntry]
    evaluation: afwegingskader.Evaluation
    generated_at: datetime


def _yes_no(value: Any) -> str:
    return _("Ja") if value else _("Nee")


def _label(mapping: dict[str, Any], key: str) -> str:
    return str(mapping.get(key, key or ""))


def entry_facts(entry: Entry) -> list[tuple[str, str]]:
    """The structured content of one entry as (label, value) pairs in Dutch."""
    data: dict[str, Any] = entry.data or {}
    kind = entry.kind
    facts: list[tuple[str, str]] = []
    if kind == EntryKind.SIGNAAL:
        checklist = data.get("checklist", {})
        facts.append((_("Checklist"), f"{checklist.get('kind', '')} v{checklist.get('version', '')}"))
        facts.append(
            (
                _("Signalen"),
                "; ".join(
                    f"{c} {label}" for c, label in zip(data.get("codes", []), data.get("labels", []), strict=False)
                ),
            )
        )
    if kind in (EntryKind.SIGNAAL, EntryKind.OBSERVATIE):
        source = data.get("source", "")
        facts.append((_("Bron"), _("Zelf waargenomen") if source == SOURCE_SELF else source))
        facts.append((_("Feiten"), data.get("facts", "")))
        if data.get("interpretation"):
            facts.append((_("Interpretatie"), data["interpretation"]))
    elif kind == EntryKind.KINDCHECK:
        facts.append((_("Moment"), _label(KINDCHECK_MOMENTS, data.get("moment", ""))))
        problems = [_label(KINDCHECK_PROBLEMS, p) for p in data.get("problems", [])]
        if problems:
            facts.append((_("Problemen"), ", ".join(problems)))
        facts.append((_("Zorgt voor minderjarigen"), _yes_no(data.get("cares_for_minors"))))
        facts.append((_("Woont met minderjarigen"), _yes_no(data.get("lives_with_minors"))))
        facts.append((_("Zwanger"), _yes_no(data.get("pregnant"))))
        ages = ", ".join(str(a) for a in data.get("children_ages", []))
        facts.append((_("Aantal kinderen"), f"{data.get('children_count', 0)}" + (f" ({ages})" if ages else "")))
        if data.get("living_arrangement"):
            facts.append((_("Woonsituatie"), data["living_arrangement"]))
        if data.get("shared_care"):
            facts.append((_("Zorgt ook voor de kinderen"), data["shared_care"]))
        outcome = _label(KINDCHECK_OUTCOMES, data.get("outcome", ""))
        if data.get("handed_over_to"):
            outcome += f" — {data['handed_over_to']}"
        facts.append((_("Uitkomst"), outcome))
    elif kind == EntryKind.CONSULTATIEVRAAG:
        consultation_kind = data.get("kind", "")
        kind_label = Consultation.Kind(consultation_kind).label if consultation_kind in Consultation.Kind.values else ""
        facts.append((_("Gevraagd aan"), f"{data.get('to_name', '')} ({kind_label})"))
        facts.append((_("Met namen van het gezin"), _yes_no(not data.get("anonymous", True))))
    elif kind == EntryKind.ADVIES_VEILIG_THUIS:
        facts.append((_("Advies"), _label(VT_ADVICE_OUTCOMES, data.get("outcome", ""))))
        facts.append((_("Anoniem gevraagd"), _yes_no(data.get("anonymous"))))
    elif kind == EntryKind.DESKUNDIGE:
        facts.append((_("Deskundigheid"), data.get("expertise", "")))
        facts.append((_("Geraadpleegd"), data.get("expert", "")))
    elif kind == EntryKind.GESPREK:
        facts.append((_("Met"), ", ".join(_label(PARTICIPANTS, p) for p in data.get("participants", []))))
        facts.append((_("Reactie"), data.get("reaction", "")))
    elif kind == EntryKind.GEEN_GESPREK:
        facts.append((_("Reden"), _label(CONVERSATION_EXCEPTIONS, data.get("reason", ""))))
    elif kind == EntryKind.AFWEGING:
        afweging = afwegingskader.AFWEGINGEN.get(int(data.get("number", 0)))
        if afweging is not None:
            facts.append((_("Afweging %(n)d") % {"n": afweging.number}, str(afweging.question)))
        facts.append((_("Antwoord"), _yes_no(data.get("answer"))))
        if data.get("with_veilig_thuis"):
            facts.append((_("Samen met Veilig Thuis"), _("Ja")))
    elif kind == EntryKind.BESLUIT:
        facts.append((_("Besluit"), _label(DECISIONS, data.get("decision", ""))))
        if data.get("meldnorm"):
            facts.append(
                (_("Meldnorm"), str(afwegingskader.MELDNORM_TEXT.get(afwegingskader.Meldnorm(data["meldnorm"]), "")))
            )
        if data.get("help_agreements"):
            facts.append((_("Afspraken over de hulp"), data["help_agreements"]))
        if data.get("help_evaluation_on"):
            facts.append((_("Evaluatie op"), data["help_evaluation_on"]))
    elif kind == EntryKind.MELDING:
        facts.append((_("Veilig Thuis-regio"), data.get("vt_region", "")))
        informed = _yes_no(data.get("client_informed"))
        if not data.get("client_informed") and data.get("not_informed_reason"):
            informed += f" — {data['not_informed_reason']}"
        facts.append((_("Betrokkenen vooraf ingelicht"), informed))
        facts.append((_("Melder anoniem"), _yes_no(data.get("anonymous_melder"))))
        facts.append((_("Terugkoppeling uiterlijk"), data.get("feedback_due", "")))
    elif kind == EntryKind.TERUGKOPPELING:
        facts.append((_("Besluit van Veilig Thuis"), _label(VT_FEEDBACK_OUTCOMES, data.get("outcome", ""))))
        facts.append((_("Binnen de termijn"), _yes_no(data.get("on_time"))))
    elif kind == EntryKind.STAP:
        facts.append((_("Stap"), _("Van stap %(a)s naar stap %(b)s") % {"a": data.get("from"), "b": data.get("to")}))
    if entry.text:
        labels: dict[str, str] = {
            EntryKind.AFWEGING: _("Motivering"),
            EntryKind.BESLUIT: _("Motivering"),
            EntryKind.AFSLUITING: _("Motivering"),
            EntryKind.GEEN_GESPREK: _("Motivering"),
            EntryKind.MELDING: _("Gedeelde informatie"),
            EntryKind.CORRECTIE: _("Correctie en reden"),
            EntryKind.CONSULTATIEVRAAG: _("Vraag"),
            EntryKind.GESPREK: _("Besproken"),
        }
        facts.append((labels.get(kind, _("Toelichting")), entry.text))
    return [(str(k), str(v)) for k, v in facts]


def build_report(*, actor: Actor, reference: str) -> Report:
    """Everything the report shows; NotFoundError for those who may not view the traject. Audited as export."""
    traject = selectors.traject_get(actor=actor, reference=reference, audit_read=False)
    show_names = selectors.may_see_names(actor, traject)
    timeline = selectors.timeline(traject)
    numbers = {e.pk: n for n, e in enumerate(timeline, start=1)}
    entries = [
        ReportEntry(
            entry=e,
            number=numbers[e.pk],
            corrected=bool(getattr(e, "is_corrected", False)),
            corrects_number=numbers.get(e.corrects_id) if e.corrects_id else None,
            facts=entry_facts(e),
        )
        for e in timeline
    ]
    child_name = ""
    if traject.child is not None:
        child_name = traject.child.full_name if show_names else traject.child.pseudonym
    report = Report(
        traject=traject,
        show_names=show_names,
        family_name=traject.dossier.family.name if show_names else "",
        child_name=child_name,
        checklists=list(traject.checklists.order_by("kind", "organisation_type", "version")),
        entries=entries,
        afwegingen=[r for r in entries if r.entry.kind == EntryKind.AFWEGING],
        evaluation=evaluation(traject, timeline),
        generated_at=timezone.localtime(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="meldcode.traject",
        object_id=traject.reference,
        client_pseudonym=traject.dossier.family.pseudonym,
        details={"format": "pdf", "entries": len(entries)},
    )
    return report


def report_html(request: HttpRequest | None, report: Report) -> str:
    return render_to_string(
        "meldcode/report/pdf.html",
        {
            "report": report,
            "traject": report.traject,
            "meldnorm_text": afwegingskader.MELDNORM_TEXT.get(report.evaluation.meldnorm)
            if report.evaluation.meldnorm
            else "",
            "decision_label": _label(DECISIONS, report.traject.outcome) if report.traject.outcome else "",
        },
        request=request,
    )


def report_pdf(request: HttpRequest | None, report: Report) -> bytes:
    from weasyprint import HTML

    base_url = request.build_absolute_uri("/") if request is not None else None
    return bytes(HTML(string=report_html(request, report), base_url=base_url).write_pdf())


@requires("meldcode.view_trajecten")
@require_GET
def report_view(request: HttpRequest, reference: str) -> HttpResponse:
    """/meldcode/<reference>/rapport.pdf — for those who may view the traject, 404 otherwise."""
    report = build_report(actor=actor_from_request(request), reference=reference)
    response = HttpResponse(report_pdf(request, report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meldcode-{report.traject.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
