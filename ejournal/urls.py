from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.forms import LoginForm
from journal import views as journal_views

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("", journal_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The translations of static/js (locale/*/LC_MESSAGES/djangojs.po), for every page incl. the login page.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("journal/", include("journal.urls")),
    path("diary/", include("diary.urls")),
    path("reports/", include("reports.urls")),
    path("archive/", include("reports.urls_archive")),
]
