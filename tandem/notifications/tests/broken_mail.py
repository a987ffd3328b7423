"""An e-mail backend that always fails (to test retries)."""

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("SMTP is down")
