"""The pages of a traject: the traject page with the forms of the step it shows, correcting an entry,
starting a traject (from a dossier or from scratch), and the aandachtsfunctionaris' overview.

Views translate HTTP to service and selector calls; they hold no rules. Every form of the traject page
posts to :func:`traject_action`, which looks the action up in :data:`~.actions.ACTIONS`, validates
the form, calls the service and redirects (post/redirect/get). Bad input re-renders the page with the
Dutch messages next to the fields and status 422; nothing is written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.listing import list_context
from keten.core.pages import or_404, submit
from keten.dossiers import selectors as dossier_selectors
from keten.meldcode.afwegingskader import tree
from keten.meldcode.models import Checklist, Entry, EntryKind, Status, Traject
from keten.meldcode.timeline.pages import Page, load_page, read_context, timeline_html
from keten.meldcode.timeline.rows import label_entries
from keten.meldcode.trajecten import selectors, services
from keten.meldcode.trajecten.actions import ACTIONS, Action, reanswer_form
from keten.meldcode.trajecten.forms import CorrectionForm, NewFamilyForm, TrajectStartForm

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


def _checklist_groups(checklists: list[Checklist], selected: set[str], age: int | None = None) -> list[dict[str, Any]]:
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
            again = bound[1] if bound and bound[0] == "afweging-opnieuw" and bound[1].reanswer_number == n else None
            form = again or reanswer_form(page, n)
        walk.append({"afweging": tree.AFWEGINGEN[n], "entry": latest[n], "form": form})
    return walk


def _render_page(
    request: HttpRequest,
    page: Page,
    *,
    bound: tuple[str, Any] | None = None,
    step: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = read_context(page)
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
            "next_afweging": tree.AFWEGINGEN.get(page.evaluation.next_question or 0),
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
            "timeline_html": timeline_html(page, may_change),
        }
    )
    return render(request, "meldcode/traject.html", context, status=status)


def _report_url(traject: Traject) -> str:
    try:
        return reverse("meldcode:report", args=[traject.reference])
    except NoReverseMatch:  # the report view is optional for this page
        return ""


@requires("meldcode.view_trajecten")
@require_GET
def traject_detail(request: HttpRequest, reference: str) -> HttpResponse:
    page = load_page(request, reference, for_change=False, audit_read=True, with_people=False)
    try:
        step = int(request.GET.get("stap", "0"))
    except ValueError:
        step = 0
    return _render_page(request, page, step=step if 1 <= step <= 5 else None)


@requires("meldcode.record_trajecten")
@require_POST
def traject_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Every form of the traject page: validate, call the service, redirect; 422 with the messages otherwise
    (409 when the traject changed meanwhile).

    Only the case team records: anyone else gets 404 before the form is looked at."""
    page = load_page(request, reference, for_change=True, audit_read=False)
    form: Any
    spec: Action | None
    step: int | None
    if action == "afweging-opnieuw":
        try:
            number = int(request.POST.get("afweging", ""))
        except ValueError:
            raise Http404 from None
        if number not in tree.AFWEGINGEN:
            raise Http404
        form = reanswer_form(page, number, request.POST)
        spec = ACTIONS["afweging"]
        step = page.traject.afwegingen_step
    else:
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        form = spec.make(page, request.POST)
        step = spec.step
    run = spec.run
    outcome = submit(form, lambda _data: run(page, form))
    if outcome.ok and outcome.value is not None:
        messages.success(request, outcome.value)
        url = reverse("meldcode:traject", args=[reference])
        if step is not None and action not in ("stap",):
            url += f"?stap={step}"
        return redirect(url)
    if outcome.conflict:
        form.add_error(None, outcome.error)
    # Show the page again as it is now, with this form and its messages.
    page = load_page(request, reference, for_change=False, audit_read=True)
    if action in ("afweging", "afweging-opnieuw"):
        step = page.traject.afwegingen_step
    return _render_page(request, page, bound=(action, form), step=step, status=outcome.status)


@requires("meldcode.record_trajecten")
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, reference: str, entry_id: str) -> HttpResponse:
    """Correct one entry: the correction is a new entry; the old one stays, marked as corrected.

    Only the case team may (404 for everyone else, also on GET); the read of the form is audited."""
    page = load_page(request, reference, for_change=True, audit_read=request.method == "GET")
    row = next((r for r in label_entries(page.entries) if r.pk == int(entry_id)), None)
    if row is None:
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            form,
            lambda d: services.entry_correct(
                actor=page.actor, traject=page.traject, entry_id=row.pk, correction=d["correction"]
            ),
        )
        if outcome.ok:
            messages.success(request, _("De correctie is vastgelegd; de oorspronkelijke vastlegging blijft zichtbaar."))
            return redirect(reverse("meldcode:traject", args=[reference]) + f"#entry-{row.pk}")
        if outcome.conflict:
            form.add_error(None, outcome.error)
    return render(
        request,
        "meldcode/correction.html",
        {"traject": page.traject, "entries": [row], "entry": row, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@requires("meldcode.record_trajecten")
@require_POST
def traject_start(request: HttpRequest, reference: str) -> HttpResponse:
    """Start a traject from the dossier page, for one child or the whole family (the case team only)."""
    actor = actor_from_request(request)
    dossier = or_404(dossier_selectors.dossier_get, actor=actor, reference=reference, audit_read=False)
    check(request, "meldcode.start_traject", dossier)
    children = selectors.children_to_start(actor=actor, dossier=dossier)
    form = TrajectStartForm(request.POST, children=children)
    outcome = submit(form, lambda _data: services.traject_start(actor=actor, dossier=dossier, child_id=form.child_id()))
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("Het meldcode-traject is gestart. Begin met het vastleggen van signalen."))
        return redirect("meldcode:traject", reference=outcome.value.reference)
    if outcome.conflict:
        form.add_error(None, outcome.error)
    return render(request, "meldcode/start.html", {"form": form, "dossier": dossier}, status=422)


@requires("dossiers.add_dossier")
@require_http_methods(["GET", "POST"])
def traject_new(request: HttpRequest) -> HttpResponse:
    """Start a traject "from scratch": the family, the child and the dossier are created with it."""
    form = NewFamilyForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(form, lambda d: _start_new_family(request, d))
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("Het dossier en het meldcode-traject zijn aangemaakt."))
            return redirect("meldcode:traject", reference=outcome.value.reference)
        if outcome.conflict:
            form.add_error(None, outcome.error)
    status = 422 if request.method == "POST" else 200
    return render(request, "meldcode/new.html", {"form": form}, status=status)


def _start_new_family(request: HttpRequest, d: dict[str, Any]) -> Traject:
    try:
        return services.traject_start_new_family(
            actor=actor_from_request(request),
            family_name=d["family_name"],
            child_first_name=d["first_name"],
            child_last_name=d["last_name"],
            child_date_of_birth=d.get("date_of_birth"),
            child_bsn=d.get("bsn") or "",
            confirm_duplicate=d.get("confirm_duplicate", False),
        )
    except DomainError as exc:
        if exc.field == "child":  # the form has no field for the child: the message goes above it
            exc.field = None
        raise


#: Rows per page of the organisation overview.
OVERVIEW_PAGE_SIZE = 50


@requires("meldcode.view_organisation_trajecten")
@require_GET
def organisation_overview(request: HttpRequest) -> HttpResponse:
    """All open trajecten of the aandachtsfunctionaris' organisation (names only where allowed)."""
    actor = actor_from_request(request)
    listing = replace(selectors.ORGANISATION_OVERVIEW, page_size=OVERVIEW_PAGE_SIZE).parse(request.GET)
    found = selectors.organisation_overview_page(actor=actor, listing=listing)
    # The counts cover all open trajecten; the table shows one page of those that match the filters.
    htmx = getattr(request, "htmx", False)
    return render(
        request,
        "meldcode/_organisation_rows.html" if htmx else "meldcode/organisation.html",
        {
            "rows": found.rows,
            "total": found.total,
            "listing": list_context(listing, found.page, url=reverse("meldcode:organisation"), target_id="trajecten"),
            "stalled": found.stalled,
            "overdue": found.feedback_overdue,
            "organisation": actor.membership.organisation if actor.membership else None,
        },
    )
