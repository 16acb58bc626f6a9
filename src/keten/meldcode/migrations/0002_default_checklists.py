from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from keten.meldcode.reference import load_default_checklists

    load_default_checklists(apps.get_model("meldcode", "Checklist"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("meldcode", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
