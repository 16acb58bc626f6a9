"""Sociale kaart pages. Views translate HTTP to service and selector calls; they hold no rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keten.accounts.models import Organisation
from keten.accounts.selectors import wijk_choices
from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import DomainError
from keten.core.forms import apply_domain_error
from keten.core.pages import attempt, or_404, submit
from keten.network.kaart import cache as kaart_cache
from keten.network.kaart import selectors, services
from keten.network.kaart.forms import AgreementForm, ContactRequestForm, EntryEditorForm, EntryForm, SearchForm
from keten.network.models import Agreement, OrganisationEntry

#: Organisations per page of the search, and agreements shown on each card (the rest on its own page).
SEARCH_PAGE_SIZE = 25
CARD_AGREEMENTS = 3


@requires("network.view")
@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    assert actor.membership is not None  # network.view asks for a membership
    municipality_id = actor.membership.organisation.municipality_id
    # The kaart version is read once: the wijken, the search and the cards are cached under it.
    version = kaart_cache.version(municipality_id)
    wijken_key = kaart_cache.wijken_key(municipality_id=municipality_id, known_version=version)
    wijken: list[tuple[int, str]] | None = cache.get(wijken_key)
    if wijken is None:
        wijken = wijk_choices(actor=actor)
        cache.set(wijken_key, wijken, kaart_cache.TIMEOUT)
    criteria = request.GET.copy()
    criteria.pop("pagina", None)
    form = SearchForm(criteria or None, wijken=wijken)
    try:
        page_number = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page_number = 1
    matches = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            matches = selectors.sociale_kaart_matches(
                actor=actor,
                query=data.get("q") or "",
                wijk_id=data.get("wijk"),
                postcode=data.get("postcode") or "",
                org_type=data.get("soort") or "",
                role=data.get("rol") or "",
                age=data.get("leeftijd"),
                use_cache=True,
                kaart_version=version,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
    elif not criteria:
        matches = selectors.sociale_kaart_matches(actor=actor, use_cache=True, kaart_version=version)
    page = cards = None
    if matches is not None:
        page = Paginator(matches.ids, SEARCH_PAGE_SIZE).get_page(page_number)
        cards = _search_cards(matches, list(page.object_list), version)
    context = {
        "form": form,
        "matches": matches,
        "cards": cards,
        "page": page,
        "may_manage_agreements": may(request, "network.manage_agreements"),
    }
    return render(request, "network/search.html", context, status=422 if form.errors else 200)


def _search_cards(matches: selectors.SearchMatches, ids: list[int], version: int) -> list[str]:
    """The rendered card of each organisation on the page, from the card cache where it can.

    A card shows nothing that depends on the reader (every reader of the sociale kaart sees the same
    contact details), only on the organisation, the wijk searched in, the language and the day; its
    key holds the kaart version, so any change to the sociale kaart renders it afresh.
    """
    prefix = kaart_cache.card_key_prefix(
        municipality_id=matches.municipality_id,
        wijk_id=matches.wijk.pk if matches.wijk else None,
        language=get_language() or "",
        day=timezone.localdate().isoformat(),
        known_version=version,
    )
    keys = {pk: kaart_cache.card_key(prefix, pk) for pk in ids}
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in cached]
    if missing:
        fresh = {}
        for organisation in selectors.organisations_for_cards(
            matches=matches, ids=missing, top_agreements=CARD_AGREEMENTS
        ):
            fresh[keys[organisation.pk]] = render_to_string(
                "network/_card.html", {"organisation": organisation, "heading_level": 3, "summary": True}
            )
        cache.set_many(fresh, kaart_cache.TIMEOUT)
        cached.update(fresh)
    return [mark_safe(cached[keys[pk]]) for pk in ids if keys[pk] in cached]  # noqa: S308 (rendered by our template)


@requires("network.view")
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    found = or_404(selectors.organisation_detail, actor=actor, organisation_id=pk)
    if request.method == "POST":
        check(request, "network.request_contact")
    may_request = may(request, "network.request_contact")
    people = [(m.user.pk, str(m.user)) for m in found.officers]
    form = ContactRequestForm(request.POST or None, people=people) if may_request else None
    if request.method == "POST":
        assert form is not None
        outcome = submit(
            form,
            lambda data: services.contact_request_create(
                actor=actor,
                to_organisation=found.organisation,
                kind=data["kind"],
                message=data["message"],
                to_user_id=data.get("to_user"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Uw vraag is verstuurd naar %(name)s.") % {"name": found.name})
            return redirect("network:organisation", pk=pk)
    context = {
        "organisation": found,
        "form": form,
        "may_edit": may(request, "network.edit_entry", found.organisation),
    }
    return render(request, "network/organisation.html", context, status=422 if request.method == "POST" else 200)


def _entry_initial(entry: OrganisationEntry) -> dict[str, Any]:
    return {
        "description": entry.description,
        "visiting_address": entry.visiting_address,
        "postcode": entry.postcode,
        "phone": entry.phone,
        "secure_email": entry.secure_email,
        "website": entry.website,
        "opening_hours": entry.opening_hours,
        "expertise": ", ".join(entry.expertise),
        "age_min": entry.age_min,
        "age_max": entry.age_max,
        "is_public": entry.is_public,
        "version": entry.version,
    }


def _entry_data(data: dict[str, Any]) -> services.EntryData:
    return services.EntryData(
        description=data.get("description") or "",
        visiting_address=data.get("visiting_address") or "",
        postcode=data.get("postcode") or "",
        phone=data.get("phone") or "",
        secure_email=data.get("secure_email") or "",
        website=data.get("website") or "",
        opening_hours=data.get("opening_hours") or "",
        expertise=[t for t in (data.get("expertise") or "").split(",") if t.strip()],
        age_min=data.get("age_min"),
        age_max=data.get("age_max"),
        is_public=bool(data.get("is_public")),
    )


def _editor_post(request: HttpRequest, actor: Actor, found: Organisation, form: EntryEditorForm) -> HttpResponse | None:
    """Add or remove a designated editor; a redirect when done, None when the form shows an error."""
    if request.POST.get("action") == "editor_add":
        added = submit(
            form, lambda data: services.entry_editor_add(actor=actor, organisation=found, user_id=data["user"])
        )
        if not added.ok:
            return None
        messages.success(request, _("De medewerker mag de gegevens nu bijwerken."))
        return redirect("network:entry_edit", pk=found.pk)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError as exc:
        raise Http404 from exc
    removed = attempt(lambda: services.entry_editor_remove(actor=actor, organisation=found, user_id=user_id))
    if removed.ok:
        messages.success(request, _("De medewerker mag de gegevens niet meer bijwerken."))
    else:
        messages.error(request, removed.error)
    return redirect("network:entry_edit", pk=found.pk)


@requires("network.view")
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    found, entry = or_404(selectors.entry_for_edit, actor=actor, organisation_id=pk)
    check(request, "network.edit_entry", found)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in {"editor_add", "editor_remove"}:
        check(request, "network.manage_entry_editors", found)
    editors = None
    editor_form = None
    if may(request, "network.manage_entry_editors", found):
        editors, candidates = selectors.entry_editors(actor=actor, organisation=found)
        editor_form = EntryEditorForm(request.POST if action == "editor_add" else None, people=candidates)
    if action in {"editor_add", "editor_remove"}:
        assert editor_form is not None
        done = _editor_post(request, actor, found, editor_form)
        if done is not None:
            return done
    form = EntryForm(request.POST if request.method == "POST" and not action else None, initial=_entry_initial(entry))
    if request.method == "POST" and not action:
        outcome = submit(
            form,
            lambda data: services.entry_update(
                actor=actor, organisation=found, expected_version=data["version"], data=_entry_data(data)
            ),
        )
        if outcome.conflict:
            messages.error(request, outcome.error)
            return redirect("network:entry_edit", pk=pk)
        if outcome.ok:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("network:organisation", pk=pk)
    status = 422 if request.method == "POST" else 200
    context = {
        "form": form,
        "organisation": found,
        "entry": entry,
        "is_stale": entry.last_confirmed_at is None or entry.last_confirmed_at < selectors.stale_before(),
        "editors": editors,
        "editor_form": editor_form,
    }
    return render(request, "network/entry_edit.html", context, status=status)


@requires("network.view")
@require_POST
def entry_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    found, _entry = or_404(selectors.entry_for_edit, actor=actor, organisation_id=pk)
    check(request, "network.edit_entry", found)
    or_404(services.entry_confirm, actor=actor, organisation=found)
    messages.success(request, _("De gegevens zijn bevestigd."))
    return redirect("network:organisation", pk=pk)


@requires("network.view")
def agreement_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    agreements = selectors.agreements_list(actor=actor, include_ended=True)
    context = {"agreements": agreements, "may_manage": may(request, "network.manage_agreements")}
    return render(request, "network/agreement_list.html", context)


def _agreement_data(data: dict[str, Any], agreement: Agreement | None = None) -> services.AgreementData:
    """The agreement as the form gives it; an edit keeps the teams and contact persons it had."""
    return services.AgreementData(
        type=data["type"],
        title=data["title"],
        promise=data["promise"],
        party_ids=list(data.get("parties") or []),
        wijk_ids=list(data.get("wijken") or []),
        start_date=data["start_date"],
        review_date=data.get("review_date"),
        end_date=data.get("end_date"),
        bestuurlijk_vastgesteld=bool(data.get("bestuurlijk_vastgesteld")),
        source_url=data.get("source_url") or "",
        team_ids=[t.pk for t in agreement.teams.all()] if agreement is not None else [],
        contact_person_ids=[u.pk for u in agreement.contact_persons.all()] if agreement is not None else [],
    )


@requires("network.manage_agreements")
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = AgreementForm(
        request.POST or None,
        organisations=selectors.organisation_choices(actor=actor),
        wijken=wijk_choices(actor=actor),
    )
    if request.method == "POST":
        outcome = submit(form, lambda data: services.agreement_create(actor=actor, data=_agreement_data(data)))
        if outcome.ok:
            messages.success(request, _("De samenwerkingsafspraak is vastgelegd."))
            return redirect("network:agreements")
    status = 422 if request.method == "POST" else 200
    return render(request, "network/agreement_form.html", {"form": form, "agreement": None}, status=status)


@requires("network.manage_agreements")
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    agreement = or_404(selectors.agreement_get, actor=actor, agreement_id=pk)
    initial = {
        "type": agreement.type,
        "title": agreement.title,
        "promise": agreement.promise,
        "parties": [p.pk for p in agreement.parties.all()],
        "wijken": [w.pk for w in agreement.wijken.all()],
        "start_date": agreement.start_date,
        "review_date": agreement.review_date,
        "end_date": agreement.end_date,
        "bestuurlijk_vastgesteld": agreement.bestuurlijk_vastgesteld,
        "source_url": agreement.source_url,
        "version": agreement.version,
    }
    form = AgreementForm(
        request.POST or None,
        initial=initial,
        organisations=selectors.organisation_choices(actor=actor),
        wijken=wijk_choices(actor=actor),
    )
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.agreement_update(
                actor=actor,
                agreement=agreement,
                expected_version=data.get("version") or 0,
                data=_agreement_data(data, agreement),
            ),
        )
        if outcome.conflict:
            messages.error(request, outcome.error)
            return redirect("network:agreement_edit", pk=pk)
        if outcome.ok:
            messages.success(request, _("De samenwerkingsafspraak is bijgewerkt."))
            return redirect("network:agreements")
    status = 422 if request.method == "POST" else 200
    return render(request, "network/agreement_form.html", {"form": form, "agreement": agreement}, status=status)
