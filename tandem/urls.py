from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (language is chosen by cookie, not URL prefix)
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from tandem.api import api
from tandem.core.permissions import SIGNED_IN, mark, public
from tandem.core.views import health

urlpatterns = [
    path("", include("tandem.core.urls")),
    *(path("", include(f"tandem.{app}.urls")) for app in settings.TANDEM_APPS),
    path("", include("tandem.core.account_urls")),
    path("accounts/login/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("accounts/logout/", mark(auth_views.LogoutView.as_view(), SIGNED_IN), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# The error page shows the request's correlation id and works without the database.
handler500 = "tandem.core.views.errors.server_error"
handler400 = "tandem.core.views.errors.bad_request"
