"""Root URLs of Keten."""

from django.conf import settings
from django.urls import include, path
from two_factor.views import QRGeneratorView

from keten.accounts.views import KetenLoginView, KetenSetupCompleteView, KetenSetupView
from keten.core import views as core_views

two_factor_patterns = (
    [
        path("inloggen/", KetenLoginView.as_view(), name="login"),
        path("tweestaps/instellen/", KetenSetupView.as_view(), name="setup"),
        path("tweestaps/qrcode/", QRGeneratorView.as_view(), name="qr"),
        path("tweestaps/klaar/", KetenSetupCompleteView.as_view(), name="setup_complete"),
    ],
    "two_factor",
)

urlpatterns = [
    path("", include(two_factor_patterns)),
    path("", include("keten.core.urls")),
    path("account/", include("keten.accounts.urls")),
    path("dossiers/", include("keten.dossiers.urls")),
    path("meldingen/", include("keten.notifications.urls")),
    path("api/v1/", include("keten.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.KETEN_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "keten.core.views.bad_request"
handler403 = "keten.core.views.permission_denied"
handler404 = "keten.core.views.page_not_found"
handler500 = "keten.core.views.server_error"
