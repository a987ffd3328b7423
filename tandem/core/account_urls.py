"""Sign-in security pages: second factor, password change and reset."""

from django.urls import path

from .views import account

urlpatterns = [
    path("account/security/", account.account_security, name="account_security"),
    path("account/security/setup/", account.mfa_setup, name="mfa_setup"),
    path("account/security/verify/", account.mfa_verify, name="mfa_verify"),
    path("account/password/", account.password_change, name="password_change"),
    path("accounts/password-reset/", account.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", account.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", account.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", account.password_reset_complete, name="password_reset_complete"),
]
