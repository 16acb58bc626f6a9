"""The calendar: the actor's meetings as an iCalendar download, the subscription feed for an agenda app,
and revoking the subscription link (making one is shown on the overview, see ``keten.overleg.views``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keten.core.access import public, requires
from keten.core.actor import actor_for_user
from keten.core.pages import or_404
from keten.overleg.calendar import selectors, services
from keten.overleg.ical import meetings_ical
from keten.overleg.pages import USE, acting


@requires(USE)
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The actor's meetings as an iCalendar file: overleg name, time and place only."""
    meetings = selectors.calendar_export(actor=acting(request))
    response = HttpResponse(
        meetings_ical(meetings, name=_("Keten overleg")), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="keten-overleg.ics"'
    response["Cache-Control"] = "no-store"
    return response


def _feed_not_found() -> HttpResponse:
    """A bare 404 for the feed: an agenda app needs no page, and a caller learns nothing."""
    response = HttpResponseNotFound(b"", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@public(
    "the calendar subscription of an agenda app that cannot sign in: the secret token in the link is the "
    "credential (checked here against its stored hash; unknown, revoked or ownerless links answer 404), and "
    "the feed holds only the owner's meetings' name, time and place"
)
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar subscription: the owner's meetings for an agenda app that cannot sign in.

    The secret token in the URL is the only credential, so the feed holds exactly what the signed-in
    export holds (overleg name, time, place) and nothing about families. It answers 404 when the
    link is unknown or revoked, or its owner is inactive or has no active membership.
    """
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        return _feed_not_found()
    actor = actor_for_user(feed.user)
    if actor.membership is None:
        return _feed_not_found()
    meetings = selectors.calendar_meetings(actor=actor)
    services.calendar_feed_used(actor=actor, feed=feed)
    response = HttpResponse(
        meetings_ical(meetings, name=_("Keten overleg")), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@requires(USE)
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke the actor's subscription link: agenda apps that use it get no more updates."""
    if or_404(services.calendar_feed_revoke, actor=acting(request)):
        messages.success(
            request, _("De abonnementslink is ingetrokken. Uw agenda-app krijgt geen nieuwe bijeenkomsten meer.")
        )
    else:
        messages.info(request, _("Er was geen actieve abonnementslink."))
    return redirect(reverse("overleg:index") + "#agenda-abonnement")
