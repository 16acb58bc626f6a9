"""The health check and the error pages (HTML for pages, the uniform JSON body for the API)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from keten.core.access import public


@public("the health check of the load balancer: answers only whether the database is reachable")
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public("the 404 page: shown for anything that does not exist or may not be seen; it reveals nothing")
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from keten.core.api.errors import error_body

        return JsonResponse(error_body(404, "not_found", str(_("Niet gevonden."))), status=404)
    return render(request, "404.html", status=404)


@public("the 500 page: rendered without request context or data")
def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without request context, so it renders even when the database is gone."""
    import sys

    from keten.core.middleware import database_unavailable_response, is_database_unavailable

    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        from keten.core.api.errors import error_body

        return JsonResponse(error_body(500, "server_error", str(_("Er ging iets mis aan onze kant."))), status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


@public("the 400 page: no data")
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from keten.core.api.errors import error_body

        return JsonResponse(error_body(400, "bad_request", str(_("Ongeldig verzoek."))), status=400)
    return render(request, "400.html", status=400)


@public("the 403 handler answers as the 404 page, so that a refusal does not reveal that something exists")
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Access to something one may not see is answered as "not found": its existence must not leak.
    return page_not_found(request, exception)


@public("the page for a form without a valid CSRF token: no data")
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
