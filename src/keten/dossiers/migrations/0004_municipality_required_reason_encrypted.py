import django.db.models.deletion
import encrypted_fields.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_fill_municipality_encrypt_break_glass_reason"),
    ]

    operations = [
        migrations.AlterField(
            model_name="family",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.municipality",
                verbose_name="gemeente",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.municipality",
                verbose_name="gemeente",
            ),
        ),
        migrations.RemoveField(model_name="breakglassaccess", name="reason"),
        migrations.RenameField(model_name="breakglassaccess", old_name="reason_secret", new_name="reason"),
        migrations.AlterField(
            model_name="breakglassaccess",
            name="reason",
            field=encrypted_fields.fields.EncryptedTextField(verbose_name="reden"),
        ),
    ]
