"""Routekaart for professionals: choose a wijk, read its routekaart, print it as an A4 PDF."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from keten.core.access import requires
from keten.core.actor import Actor, actor_from_request
from keten.core.audit import record
from keten.core.models import AuditAction
from keten.network.kaart import cache as kaart_cache
from keten.network.routekaart import selectors
from keten.network.routekaart.selectors import EMERGENCY_PHONE, VEILIG_THUIS_PHONE, Routekaart


def _routekaart(request: HttpRequest, wijk_id: int) -> tuple[Actor, Routekaart]:
    """The routekaart of a wijk of the actor's own municipality (NotFoundError, so 404, for another)."""
    actor = actor_from_request(request)
    return actor, selectors.routekaart_for_wijk(actor=actor, wijk_id=wijk_id)


def _context(kaart: Routekaart) -> dict[str, object]:
    return {
        "kaart": kaart,
        "vt_phone": VEILIG_THUIS_PHONE,
        "emergency_phone": EMERGENCY_PHONE,
        "contact_template": "network/routekaart/_contact.html",
    }


@requires("network.view")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    wijken = selectors.wijken_for_routekaart(actor=actor_from_request(request))
    return render(request, "network/routekaart/index.html", {"wijken": wijken})


@requires("network.view")
@require_GET
def detail(request: HttpRequest, wijk_id: int) -> HttpResponse:
    _unused, kaart = _routekaart(request, wijk_id)
    return render(request, "network/routekaart/detail.html", _context(kaart))


def pdf_html(request: HttpRequest, kaart: Routekaart) -> str:
    """The standalone HTML document the PDF is made from (print stylesheet inline, no remote resources)."""
    context = {**_context(kaart), "compact": True, "contact_template": "network/routekaart/_contact_compact.html"}
    return render_to_string("network/routekaart/pdf.html", context, request=request)


@requires("network.view")
@require_GET
def pdf(request: HttpRequest, wijk_id: int) -> HttpResponse:
    """The routekaart as A4 PDF. The rendered bytes are cached for a short while (see ``kaart_cache``)."""
    from weasyprint import HTML

    actor, kaart = _routekaart(request, wijk_id)
    assert actor.membership is not None  # routekaart_for_wijk raised NotFoundError otherwise
    key = kaart_cache.pdf_key(
        municipality_id=kaart.wijk.municipality_id,
        wijk_id=kaart.wijk.pk,
        organisation_id=actor.membership.organisation_id,
        language=get_language() or "",
    )
    document = cache.get(key)
    if document is None:
        document = HTML(string=pdf_html(request, kaart), base_url=request.build_absolute_uri("/")).write_pdf()
        cache.set(key, document, kaart_cache.TIMEOUT)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="routekaart",
        object_id=kaart.wijk.pk,
        details={"format": "pdf", "wijk": kaart.wijk.name},
    )
    response = HttpResponse(document, content_type="application/pdf")
    filename = slugify(kaart.wijk.name) or str(kaart.wijk.pk)
    response["Content-Disposition"] = f'inline; filename="routekaart-{filename}.pdf"'
    return response
