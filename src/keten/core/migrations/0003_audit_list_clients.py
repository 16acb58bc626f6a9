"""The families shown by an audited list read, one row each; append-only like the events (on
PostgreSQL the database refuses UPDATE and DELETE)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FORWARD = """
CREATE OR REPLACE FUNCTION keten_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER keten_audit_client_no_update BEFORE UPDATE ON core_auditeventclient
    FOR EACH ROW EXECUTE FUNCTION keten_append_only();
CREATE TRIGGER keten_audit_client_no_delete BEFORE DELETE ON core_auditeventclient
    FOR EACH ROW EXECUTE FUNCTION keten_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS keten_audit_client_no_update ON core_auditeventclient;
DROP TRIGGER IF EXISTS keten_audit_client_no_delete ON core_auditeventclient;
DROP FUNCTION IF EXISTS keten_append_only();
"""


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEventClient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pseudonym", models.CharField(max_length=32, verbose_name="cliëntpseudoniem")),
                (
                    "event",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="clients",
                        to="core.auditevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "gezin in een auditgebeurtenis",
                "verbose_name_plural": "gezinnen in auditgebeurtenissen",
                "indexes": [models.Index(fields=["pseudonym", "-event"], name="audit_list_client")],
                "constraints": [models.UniqueConstraint(fields=("event", "pseudonym"), name="audit_list_client_once")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
