"""Public routekaart pages for parents and citizens: no login, no session, no audit (no client data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from keten.core.access import public as open_to_everyone
from keten.core.errors import DomainError
from keten.network.kaart.selectors import parse_postcode
from keten.network.public import selectors as public

MAX_AGE_SECONDS = 300


@open_to_everyone(
    "the routekaart for parents and citizens: Veilig Thuis, 112 and the public entries of a wijk, the same "
    "for everybody; no client data and no professionals"
)
@require_GET
def routekaart(request: HttpRequest) -> HttpResponse:
    """The start page and, with ``postcode`` or ``wijk`` in the query, the routekaart of one wijk.

    A malformed or empty postcode answers 400 with the form and a message next to the field; an
    unknown postcode or wijk answers 200 with a message. Veilig Thuis and 112 are always on the page.
    """
    postcode = request.GET.get("postcode", "")[:20].strip()
    wijk_id = request.GET.get("wijk", "")[:20].strip()
    errors: dict[str, str] = {}
    status = 200
    result = None
    try:
        if "postcode" in request.GET:
            if not postcode:
                raise DomainError(_("Vul uw postcode in, bijvoorbeeld 1234 AB."), field="postcode")
            parse_postcode(postcode)
    except DomainError as exc:
        errors["postcode"] = exc.message
        status = 400
    if not errors:
        try:
            if postcode:
                result = public.public_routekaart(wijk=public.public_wijk_for_postcode(postcode))
            elif wijk_id:
                result = public.public_routekaart(wijk=public.public_wijk(wijk_id=wijk_id))
        except DomainError as exc:
            errors[exc.field or "postcode"] = exc.message
    context: dict[str, Any] = {
        "postcode": postcode,
        "wijk_id": str(result.wijk.pk) if result else wijk_id,
        "wijk_groups": public.public_wijk_choices(),
        "result": result,
        "errors": errors,
    }
    response = render(request, "network/publiek/routekaart.html", context, status=status)
    # The page is the same for everybody; a signed-in visitor's response may carry a session cookie,
    # so only anonymous answers may be kept by shared caches.
    scope = "private" if request.user.is_authenticated else "public"
    response["Cache-Control"] = f"{scope}, max-age={MAX_AGE_SECONDS}"
    return response
