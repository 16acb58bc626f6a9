"""What the timeline of a traject shows of each entry, in Dutch: a typed row per entry.

The labels are worked out once here rather than in the template; the rows carry the entry they
describe, and the template reads the entry's own fields (date, step, text) through the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from keten.meldcode.afwegingskader import tree
from keten.meldcode.afwegingskader.forms import DECISION_LABELS
from keten.meldcode.models import Consultation, Entry, EntryKind
from keten.meldcode.vocabulary import (
    CONVERSATION_EXCEPTIONS,
    CORRECTABLE,
    KINDCHECK_MOMENTS,
    KINDCHECK_OUTCOMES,
    KINDCHECK_PROBLEMS,
    PARTICIPANTS,
    SOURCE_SELF,
    VT_ADVICE_OUTCOMES,
    VT_FEEDBACK_OUTCOMES,
)


@dataclass(frozen=True)
class TimelineRow:
    """One entry as the timeline shows it: a title, a byline, a list, a lead line (bold) with a note
    after it, label/value facts, and whether (and where) it may be corrected."""

    entry: Entry
    title: str
    byline: str
    items: list[str]
    lead: str
    note: str
    facts: list[tuple[str, str]]
    corrects_label: str
    correctable: bool
    correct_url: str

    @property
    def pk(self) -> int:
        return int(self.entry.pk)

    @property
    def kind(self) -> str:
        return str(self.entry.kind)

    @property
    def step(self) -> int:
        return int(self.entry.step)

    @property
    def occurred_on(self) -> date:
        return self.entry.occurred_on

    @property
    def text(self) -> str | None:
        return self.entry.text

    @property
    def corrects_id(self) -> int | None:
        return self.entry.corrects_id

    @property
    def is_corrected(self) -> bool:
        return bool(getattr(self.entry, "is_corrected", False))


def _label(mapping: dict[str, Any], code: Any) -> str:
    return str(mapping.get(code, code or ""))


def _yes_no(value: Any) -> str:
    return _("Ja") if value else _("Nee")


def _source(value: str) -> str:
    return _("Zelf waargenomen") if value == SOURCE_SELF else value


def _describe(
    e: Entry, by_id: dict[int, Entry], kinds: dict[str, str]
) -> tuple[list[str], str, str, list[tuple[str, str]], str]:
    """What the timeline shows of one entry: a list, a lead line (bold), a note after it, label/value facts,
    and for a correction what it corrects."""
    d: dict[str, Any] = e.data or {}
    items: list[str] = []
    lead = note = corrects_label = ""
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
        facts = [(_("Moment"), _label(KINDCHECK_MOMENTS, d.get("moment")))]
        if d.get("problems"):
            facts.append((_("Problemen"), ", ".join(_label(KINDCHECK_PROBLEMS, p) for p in d["problems"])))
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
        outcome = _label(KINDCHECK_OUTCOMES, d.get("outcome"))
        facts.append((_("Uitkomst"), outcome + (f" — {d['handed_over_to']}" if d.get("handed_over_to") else "")))
    elif kind == EntryKind.CONSULTATIEVRAAG:
        who = _label(dict(Consultation.Kind.choices), d.get("kind"))
        lead = _("Gevraagd aan %(who)s (%(kind)s)") % {"who": d.get("to_name", ""), "kind": who}
        note = _("zonder namen") if d.get("anonymous") else _("met namen")
    elif kind == EntryKind.ADVIES_VEILIG_THUIS:
        lead = _label(VT_ADVICE_OUTCOMES, d.get("outcome"))
        note = _("anoniem gevraagd") if d.get("anonymous") else ""
    elif kind == EntryKind.DESKUNDIGE:
        lead, note = d.get("expertise", ""), d.get("expert", "")
    elif kind == EntryKind.GESPREK:
        facts = [
            (_("Met"), ", ".join(_label(PARTICIPANTS, p) for p in d.get("participants", []))),
            (_("Reactie"), d.get("reaction", "")),
        ]
    elif kind == EntryKind.GEEN_GESPREK:
        lead = _label(CONVERSATION_EXCEPTIONS, d.get("reason"))
    elif kind == EntryKind.AFWEGING:
        afweging = tree.AFWEGINGEN.get(int(d.get("number", 0)))
        items = [str(afweging.question)] if afweging else []
        lead = _yes_no(d.get("answer"))
        note = _("samen met Veilig Thuis") if d.get("with_veilig_thuis") else ""
    elif kind == EntryKind.BESLUIT:
        lead = _label(DECISION_LABELS, d.get("decision"))
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
        lead = _label(VT_FEEDBACK_OUTCOMES, d.get("outcome"))
        note = _("op tijd") if d.get("on_time") else _("later dan de termijn")
    elif kind == EntryKind.STAP:
        items = [_("Van stap %(a)s naar stap %(b)s") % {"a": d.get("from"), "b": d.get("to")}]
    elif kind == EntryKind.CORRECTIE and e.corrects_id in by_id:
        corrected = by_id[e.corrects_id]
        corrects_label = _("%(kind)s van %(date)s") % {
            "kind": kinds.get(corrected.kind, corrected.kind),
            "date": corrected.occurred_on.strftime("%d-%m-%Y"),
        }
    return items, lead, note, facts, corrects_label


def label_entries(entries: list[Entry], *, base: str = "") -> list[TimelineRow]:
    """The timeline's row of each entry, in Dutch, worked out once here rather than in the template."""
    by_id = {e.pk: e for e in entries}
    # get_kind_display() rebuilds the choices mapping on every call: look the labels up once.
    kinds = {value: str(label) for value, label in EntryKind.choices}
    rows = []
    for e in entries:
        items, lead, note, facts, corrects_label = _describe(e, by_id, kinds)
        rows.append(
            TimelineRow(
                entry=e,
                title=kinds.get(e.kind, e.kind) + (f" {e.data.get('number')}" if e.kind == EntryKind.AFWEGING else ""),
                byline=_("Vastgelegd door %(author)s (%(org)s) op %(at)s")
                % {
                    "author": e.author,
                    "org": e.organisation.name,
                    "at": timezone.localtime(e.created_at).strftime("%d-%m-%Y %H:%M"),
                },
                items=items,
                lead=lead,
                note=note,
                facts=facts,
                corrects_label=corrects_label,
                correctable=e.kind in CORRECTABLE and not getattr(e, "is_corrected", False),
                correct_url=f"{base}corrigeren/{e.pk}/" if base else "",
            )
        )
    return rows
