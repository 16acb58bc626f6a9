"""The meldcode's part of the dossier timeline: trajecten started, and the entries recorded in them.

An entry is shown as the traject's own timeline shows it (its title and lead line, from
:mod:`keten.meldcode.timeline.rows`), with a link to the traject page; the free text stays on
that page. A traject is seen by whoever may see its dossier (the case team, a break-the-glass
reader), which the dossier timeline has checked; this source asks the meldcode's rule again.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except
from keten.dossiers.models import Dossier
from keten.dossiers.timeline import Cursor, TimelineEntry, TimelineSource, older_rows, shorten
from keten.meldcode.models import Entry, EntryKind, Traject
from keten.meldcode.timeline.rows import label_entries

TRAJECTEN = "meldcode.trajecten"
SIGNALS = "meldcode.signalen"
CONSULTATIONS = "meldcode.consultaties"
STEPS = "meldcode.stappen"
DECISIONS = "meldcode.besluiten"

#: The timeline kind of each entry kind.
ENTRY_KINDS: dict[str, str] = {
    EntryKind.SIGNAAL: SIGNALS,
    EntryKind.OBSERVATIE: SIGNALS,
    EntryKind.KINDCHECK: SIGNALS,
    EntryKind.CONSULTATIEVRAAG: CONSULTATIONS,
    EntryKind.CONSULTATIEADVIES: CONSULTATIONS,
    EntryKind.ADVIES_VEILIG_THUIS: CONSULTATIONS,
    EntryKind.DESKUNDIGE: CONSULTATIONS,
    EntryKind.GESPREK: STEPS,
    EntryKind.GEEN_GESPREK: STEPS,
    EntryKind.AFWEGING: STEPS,
    EntryKind.STAP: STEPS,
    EntryKind.CORRECTIE: STEPS,
    EntryKind.BESLUIT: DECISIONS,
    EntryKind.MELDING: DECISIONS,
    EntryKind.TERUGKOPPELING: DECISIONS,
    EntryKind.AFSLUITING: DECISIONS,
}

_LABELS = {
    TRAJECTEN: gettext_lazy("Meldcode-traject"),
    SIGNALS: gettext_lazy("Meldcode: signalen"),
    CONSULTATIONS: gettext_lazy("Meldcode: consultatie"),
    STEPS: gettext_lazy("Meldcode: stappen"),
    DECISIONS: gettext_lazy("Meldcode: besluiten"),
}


def _traject_url(reference: str) -> str:
    return reverse("meldcode:traject", args=[reference])


def collect(
    actor: Actor, dossier: Dossier, kinds: frozenset[str], before: Cursor | None, limit: int
) -> list[TimelineEntry]:
    """Trajecten started (1 query) and their entries of the asked kinds (1 query; none when the
    dossier has no traject).

    ``meldcode.view_traject`` is the case role and seeing the traject's dossier: asked once for the
    dossier (``meldcode.view_trajecten`` and ``dossiers.view_dossier``), which holds for each of
    its trajecten."""
    if (
        actor.user is None
        or not allows("meldcode.view_trajecten", actor)
        or not allows("dossiers.view_dossier", actor, dossier)
    ):
        return []
    found: list[TimelineEntry] = []
    no_trajecten = False  # known when the newest page found none: then there are no entries either
    if TRAJECTEN in kinds:
        trajecten = older_rows(
            Traject.objects.filter(dossier=dossier)
            .select_related("started_by", "organisation")
            .defer(
                *defer_except("started_by", User, USER_NAMES),
                *defer_except("organisation", Organisation, ORGANISATION_NAME),
            ),
            event="meldcode.traject",
            moment="started_at",
            before=before,
            limit=limit,
        )
        found += [
            TimelineEntry(
                kind=TRAJECTEN,
                kind_label=str(_LABELS[TRAJECTEN]),
                when=t.started_at,
                title=_("Meldcode-traject gestart"),
                detail=_("Traject %(reference)s, nu: %(status)s")
                % {"reference": t.reference, "status": t.get_status_display()},
                actor_name=str(t.started_by),
                organisation_name=t.organisation.name,
                url=_traject_url(t.reference),
                dossier_id=dossier.pk,
                event="meldcode.traject",
                row_id=t.pk,
            )
            for t in trajecten
        ]
        no_trajecten = before is None and not trajecten
    entry_kinds = [k for k, timeline_kind in ENTRY_KINDS.items() if timeline_kind in kinds]
    if entry_kinds and not no_trajecten:
        rows = older_rows(
            Entry.objects.filter(traject__dossier=dossier, kind__in=entry_kinds)
            .select_related("author", "organisation", "traject")
            .defer(
                *defer_except("author", User, USER_NAMES),
                *defer_except("organisation", Organisation, ORGANISATION_NAME),
                *defer_except("traject", Traject, ("reference",)),
                "text",
            ),
            event="meldcode.entry",
            moment="occurred_on",
            is_date=True,
            before=before,
            limit=limit,
        )
        for row in label_entries(rows):
            entry = row.entry
            detail = row.lead or "; ".join(row.items)
            if row.note:
                detail = f"{detail} — {row.note}" if detail else row.note
            if row.corrects_label:
                detail = _("Corrigeert %(what)s") % {"what": row.corrects_label}
            kind = ENTRY_KINDS[entry.kind]
            found.append(
                TimelineEntry(
                    kind=kind,
                    kind_label=str(_LABELS[kind]),
                    when=entry.occurred_on,
                    title=row.title,
                    detail=shorten(
                        _("Traject %(reference)s, stap %(step)s")
                        % {"reference": entry.traject.reference, "step": entry.step}
                        + (f": {detail}" if detail else "")
                    ),
                    actor_name=str(entry.author),
                    organisation_name=entry.organisation.name,
                    url=_traject_url(entry.traject.reference) + f"#entry-{entry.pk}",
                    dossier_id=dossier.pk,
                    event="meldcode.entry",
                    row_id=entry.pk,
                )
            )
    return found


SOURCE = TimelineSource(
    name="meldcode",
    order=10,
    kinds=[(key, _LABELS[key]) for key in (TRAJECTEN, SIGNALS, CONSULTATIONS, STEPS, DECISIONS)],
    collect=collect,
)
