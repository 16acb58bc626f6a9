"""Webhook attempts record a generic error word; earlier rows with exception text are rewritten."""

from typing import Any

from django.db import migrations, models

UNREACHABLE, INVALID_RESPONSE, TIMEOUT = "niet bereikbaar", "ongeldig antwoord", "time-out"
_INVALID = ("badstatusline", "remotedisconnected", "incompleteread", "linetoolong", "httpexception")


def _generic(error: str) -> str:
    text = error.lower()
    if "timeout" in text or "timed out" in text:
        return TIMEOUT
    if any(name in text for name in _INVALID):
        return INVALID_RESPONSE
    return UNREACHABLE


def forget_exception_texts(apps: Any, schema_editor: Any) -> None:
    """Exception texts (addresses, ports, reasons) are not for the subscriber: keep only the word."""
    attempt = apps.get_model("verwijsindex", "WebhookAttempt")
    rows = attempt.objects.exclude(error__in=["", UNREACHABLE, INVALID_RESPONSE, TIMEOUT]).values_list("pk", "error")
    by_word: dict[str, list[int]] = {}
    for pk, error in rows.iterator():
        by_word.setdefault(_generic(error), []).append(pk)
    for word, ids in by_word.items():
        for start in range(0, len(ids), 1000):
            attempt.objects.filter(pk__in=ids[start : start + 1000]).update(error=word)


class Migration(migrations.Migration):
    dependencies = [
        ("verwijsindex", "0002_delivery"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookattempt",
            name="error",
            field=models.CharField(
                blank=True,
                choices=[
                    ("niet bereikbaar", "Niet bereikbaar"),
                    ("ongeldig antwoord", "Ongeldig antwoord"),
                    ("time-out", "Time-out"),
                ],
                max_length=200,
            ),
        ),
        migrations.RunPython(forget_exception_texts, migrations.RunPython.noop),
    ]
