"""Every existing organisation gets a sociale kaart entry with its search text."""

import unicodedata

from django.db import migrations


def _normalise(text):
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.casefold().split())


def create_entries(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    OrganisationEntry = apps.get_model("network", "OrganisationEntry")
    existing = set(OrganisationEntry.objects.values_list("organisation_id", flat=True))
    OrganisationEntry.objects.bulk_create(
        OrganisationEntry(organisation_id=o.pk, search_text=_normalise(f"{o.name} {o.type}"))
        for o in Organisation.objects.exclude(pk__in=existing)
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_entries, migrations.RunPython.noop)]
