"""Every route of the resolver that shows no client data, with the reason (for
``tests/test_client_reads_audited.py``, which lists the routes that do)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

#: Routes that show no client data (or only write), with the reason. A new route lands here only
#: with a reason a reviewer can check; a route that shows client data belongs in READS.
_WRITE = "write only (POST); the service's own audit event names the family"
_REDIRECT = "write only (POST): answers with a redirect, or shows only what was posted"
_REFERENCE = "reference data of the municipality or an organisation; no client data"
_ACCOUNTS = "accounts, login and second factor; professionals only, no client data"
_NETWORK = "sociale kaart, afspraken and routekaart; organisations only, no client data"
_AGGREGATES = "municipal figures: counts with small cells hidden, no client data (audited as a view of figures)"

NO_CLIENT_DATA: dict[str, str] = {
    # accounts, login, second factor, language, health
    **dict.fromkeys(
        [
            "accounts:beheer",
            "accounts:beheer_api_client",
            "accounts:beheer_api_client_create",
            "accounts:beheer_api_client_revoke",
            "accounts:beheer_membership_add",
            "accounts:beheer_membership_end",
            "accounts:beheer_membership_role",
            "accounts:beheer_organisation",
            "accounts:beheer_organisation_create",
            "accounts:beheer_organisation_deactivate",
            "accounts:beheer_organisation_edit",
            "accounts:beheer_organisation_reactivate",
            "accounts:beheer_organisations",
            "accounts:beheer_team_create",
            "accounts:beheer_team_edit",
            "accounts:beheer_user",
            "accounts:beheer_user_create",
            "accounts:beheer_user_deactivate",
            "accounts:beheer_user_edit",
            "accounts:beheer_user_reactivate",
            "accounts:beheer_user_reset",
            "accounts:beheer_reset_request",
            "accounts:beheer_reset_request_approve",
            "accounts:beheer_reset_request_decline",
            "accounts:beheer_reset_requests",
            "accounts:home",
            "accounts:no_second_factor",
            "accounts:password_change",
            "accounts:setup_link",
            "accounts:beheer_users",
            "accounts:beheer_wijk_create",
            "accounts:beheer_wijken",
            "accounts:logout",
            "api-organisations",
            "oidc_authentication_callback",
            "oidc_authentication_init",
            "otp_verify",
            "two_factor:login",
            "two_factor:setup",
            "two_factor:setup_complete",
            "set_language",
            "healthz",
            "api-schema",
        ],
        _ACCOUNTS,
    ),
    # sociale kaart, netwerkafspraken, routekaart (public and signed in)
    **dict.fromkeys(
        [
            "api-network-agreements",
            "api-network-organisations",
            "api-network-professionals",
            "api-network-routekaart",
            "network:agreement_create",
            "network:agreement_edit",
            "network:agreements",
            "network:entry_confirm",
            "network:entry_edit",
            "network:organisation",
            "network:search",
            "network_beheer:export",
            "network_beheer:import",
            "network_beheer:import_cancel",
            "network_beheer:import_preview",
            "network_beheer:import_template",
            "network_beheer:index",
            "network_beheer:postcode_range_delete",
            "network_beheer:postcode_ranges",
            "publiek:routekaart",
            "publiek:start",
            "routekaart:index",
            "routekaart:pdf",
            "routekaart:wijk",
        ],
        _NETWORK,
    ),
    **dict.fromkeys(
        [
            "network:gaps",
            "network:gaps_csv",
            "network:gaps_wijk",
            "network:gaps_wijk_csv",
            "network:gaps_wijk_xlsx",
            "network:gaps_xlsx",
            "shell:figures_csv",
            "api-figures-dossiers",
            "meldcode:figures",
            "meldcode:figures_csv",
            "overleg:figures",
            "sharing:counts",
            "verwijsindex:figures",
        ],
        _AGGREGATES,
    ),
    **dict.fromkeys(
        [
            "meldcode:checklist",
            "meldcode:checklist_publish",
            "meldcode:checklists",
            "overleg:type",
            "overleg:type_create",
            "overleg:type_meeting_add",
            "overleg:type_step_add",
            "overleg:types",
            "api-overleg-types",
            "sharing:convenant_create",
            "sharing:convenants",
            "api-sharing-convenant",
            "api-sharing-convenants",
            "verwijsindex:beheer",
            "verwijsindex:regievoerder_add",
            "verwijsindex:regievoerder_remove",
        ],
        _REFERENCE,
    ),
    # writes
    **dict.fromkeys(
        [
            "api-dossier-notes",
            "api-meldcode-afwegingen",
            "api-meldcode-decisions",
            "api-meldcode-signals",
            "api-overleg-agreement-close",
            "api-overleg-registration-admit",
            "api-overleg-registration-close",
            "api-overleg-registration-decline",
            "api-sharing-consent-withdraw",
            "api-vi-signals-bulk",
        ],
        _WRITE,
    ),
    **dict.fromkeys(
        [
            "dossiers:team_remove",
            "sharing:grant_revoke",
            "sharing_inzage:export_start",
            "notifications:read_all",
            "overleg:calendar_feed_create",
            "overleg:calendar_feed_revoke",
        ],
        _REDIRECT,
    ),
    "dossiers:create": "form for a new dossier: shows only what the professional types in",
    "dossiers:note_add": "the note form (by the dossier's reference) and, refused, what was posted; saving is "
    "audited by the service",
    "dossiers:team_add": "the candidates for the case team are professionals; the dossier only by reference",
    "dossiers:break_glass": "the break-the-glass form (the grant itself is audited as break_glass)",
    "dossiers:break_glass_review": "write only (POST): a review of a grant, audited as a write",
    "dossiers:access_request_create": "write only (POST): the request names no dossier to the requester",
    "dossiers:access_request_decide": "write only (POST): the decision, audited as a write",
    "meldcode:new": "form for a new family and traject: shows only what the professional types in",
    "verwijsindex:register": "registration form: shows only what the professional types in",
    "overleg:meeting_attendee_add": "the candidates for the attendance list are professionals; no case content",
    "overleg:calendar": "iCal of meetings: overleg name, time and place only",
    "overleg:calendar_feed": "the subscription feed: overleg name, time and place only",
    "api-overleg-meetings": "meetings as calendar data (name, time, place); no cases",
    "api-meldcode-consultations": "GET lists the colleagues who can be consulted; POST is a write",
    "api-vi-feed": "match events with professionals' contact details, never the young person's identity",
    "api-vi-webhook": "webhook settings of a partner system",
    "api-vi-webhook-deliveries": "delivery log of a webhook: status codes and times",
    "api-vi-webhooks": "webhook settings of a partner system",
    "shell:audit_log": "the audit log shows pseudonyms, never names or BSNs (reading it is audited itself)",
    "notifications:list": "notification titles carry references, never names (house rule)",
    "sharing:organisation": "disclosures of the organisation by reference, recipient and basis; no family names",
    "sharing:organisation_csv": "the same list as CSV (audited as export)",
    "verwijsindex:regie": "match numbers, professionals and counts; never the young person's identity",
    "sharing:shared_with_me": "grants by sharing organisation and date; the shared part is behind sharing:shared_view",
}


def routes(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from routes(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}"
