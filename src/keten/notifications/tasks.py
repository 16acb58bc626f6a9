"""Background jobs of notifications."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django_tasks import task

from keten.accounts.models import User


@task()
def send_notification_email(user_id: int) -> None:
    """Tell a professional by e-mail that something waits in Keten; the mail holds no client data."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    send_mail(
        subject=_("Nieuwe melding in Keten"),
        message=_(
            "Er staat een nieuwe melding voor u klaar in Keten. Log in om deze te bekijken.\n\n"
            "Dit bericht bevat bewust geen gegevens over cliënten."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
