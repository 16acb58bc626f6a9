"""Root URLs of Keten.

Every view declares who may reach it (``keten.core.access``: ``requires``, ``signed_in``, ``public``,
``PolicyRequiredMixin``, or a class's ``keten_access``); the public class views below (login, single
sign-on) are opened without login by their own class. Library views routed as they are: Django's
``set_language`` (only sets the language cookie) and the OpenAPI schema (see ``api_urls``).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from keten.accounts.login.oidc import KetenOIDCCallbackView, KetenOIDCRequestView
from keten.accounts.login.views import KetenLoginView, otp_verify
from keten.accounts.own.views import KetenSetupCompleteView, device_replace
from keten.core import views as core_views

two_factor_patterns = (
    [
        path("inloggen/", KetenLoginView.as_view(), name="login"),
        # Replacing the app (verified sessions only); a first app comes only through a set-up link.
        path("tweestaps/instellen/", device_replace, name="setup"),
        path("tweestaps/klaar/", KetenSetupCompleteView.as_view(), name="setup_complete"),
    ],
    "two_factor",
)

urlpatterns = [
    path("", include(two_factor_patterns)),
    path("", include("keten.shell.urls")),
    path("account/code/", otp_verify, name="otp_verify"),
    path("account/", include("keten.accounts.urls")),
    path("dossiers/", include("keten.dossiers.urls")),
    path("meldingen/", include("keten.notifications.urls")),
    path("meldcode/", include("keten.meldcode.urls")),
    path("verwijsindex/", include("keten.verwijsindex.urls")),
    path("overleg/", include("keten.overleg.urls")),
    path("delen/inzage/", include("keten.sharing.inzage.urls")),
    path("delen/", include("keten.sharing.urls")),
    path("sociale-kaart/beheer/", include("keten.network.importing.urls")),
    path("sociale-kaart/", include("keten.network.urls")),
    path("routekaart/", include("keten.network.routekaart.urls")),
    path("publiek/", include("keten.network.public.urls")),
    path("api/v1/", include("keten.api_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
]

urlpatterns += [
    path("oidc/authenticate/", KetenOIDCRequestView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", KetenOIDCCallbackView.as_view(), name="oidc_authentication_callback"),
]

handler400 = "keten.core.views.bad_request"
handler403 = "keten.core.views.permission_denied"
handler404 = "keten.core.views.page_not_found"
handler500 = "keten.core.views.server_error"
