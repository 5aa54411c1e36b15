"""URLs of accounts, one pattern list per area (combined into `urlpatterns` at the end)."""

from django.urls import path

from . import views

app_name = "accounts"

# The signed-in person's own account: password, sessions, second factor.
account_patterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("2fa/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/disable/", views.otp_disable, name="otp_disable"),
    path("session/ping/", views.session_ping, name="session_ping"),
    path("session/resumed/", views.session_resumed, name="session_resumed"),
]

# People of the school: staff accounts, credentials and their slips, consents.
people_patterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.staff_new, name="staff_new"),
    path("people/slips/", views.issue_slips, name="issue_slips"),
    path("people/slips/confirm/", views.issue_confirm, name="issue_confirm"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("people/<int:pk>/active/", views.set_active, name="set_active"),
    path("credentials/<int:pk>/signed/", views.credential_signed, name="credential_signed"),
]

# Compromised accounts and the records they voided.
compromise_patterns = [
    path("compromise/", views.compromises, name="compromises"),
    path("compromise/<int:pk>/", views.compromise, name="compromise"),
    path("compromise/<int:pk>/pdf/", views.compromise_pdf, name="compromise_pdf"),
]

urlpatterns = [*account_patterns, *people_patterns, *compromise_patterns]
