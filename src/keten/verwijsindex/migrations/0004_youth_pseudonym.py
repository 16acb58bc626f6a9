"""Give every young person in the index a random pseudonym (``J-…``) for the audit log, instead of
the database id that audit rows carried until now."""

from typing import Any

from django.db import migrations, models

import keten.verwijsindex.models

BATCH = 5000


def fill(apps: Any, schema_editor: Any) -> None:
    youth = apps.get_model("verwijsindex", "Youth")
    last = 0
    while True:
        ids = list(
            youth.objects.filter(pk__gt=last, pseudonym__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return
        youth.objects.bulk_update(
            [youth(pk=pk, pseudonym=keten.verwijsindex.models.youth_pseudonym()) for pk in ids], ["pseudonym"]
        )
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("verwijsindex", "0003_webhook_attempt_generic_errors"),
    ]

    operations = [
        migrations.AddField(
            model_name="youth",
            name="pseudonym",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="pseudoniem"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="youth",
            name="pseudonym",
            field=models.CharField(
                default=keten.verwijsindex.models.youth_pseudonym,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="pseudoniem",
            ),
        ),
    ]
