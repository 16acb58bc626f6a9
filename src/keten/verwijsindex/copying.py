"""Multi-row inserts of plain values for the busiest tables of a registration.

On PostgreSQL the rows go in with ``COPY … FROM STDIN`` (psycopg adapts each value in C), which
for thousands of rows costs a fraction of ``bulk_create`` (field preparation per value and a query
string built and escaped in Python). Other databases get ``bulk_create``. Values are given in
Python form (ints, strings, dates, aware datetimes, dicts and lists for JSON columns); encrypted
fields are encrypted here, as the model field would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from encrypted_fields.fields import EncryptedFieldMixin
from psycopg.types.json import Jsonb


def any_of(values: Sequence[object]) -> str:
    """The test "is one of these values" of a column (``col {any_of(v)}``), with :func:`any_args`
    as its parameters.

    PostgreSQL gets one array parameter (``= ANY(%s)``): a statement with a placeholder per value
    costs psycopg a Python-side parse of the query text and the server a longer parse per call.
    """
    if connection.vendor == "postgresql":
        return "= ANY(%s)"
    return "IN (" + ", ".join(["%s"] * len(values)) + ")"


def any_args(values: Sequence[Any]) -> list[Any]:
    """The parameters of :func:`any_of` for these values."""
    if connection.vendor == "postgresql":
        return [list(values)]
    return list(values)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *, ids: bool = False
) -> list[int]:
    """Insert ``rows`` (values in the order of ``columns``, attribute names); returns the new ids
    in row order when ``ids`` is set (taken from the table's sequence first on PostgreSQL)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows])
        return [int(m.pk) for m in made] if ids else []
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    # Encrypted fields encrypt in their own preparation step; plain values go as they are.
    prepare_at = [i for i, f in enumerate(fields) if isinstance(f, EncryptedFieldMixin)]
    names = [str(f.column) for f in fields]
    new_ids: list[int] = []
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            new_ids = sorted(int(r[0]) for r in cursor.fetchall())
            names = [str(meta.pk.column), *names]
        quoted = ", ".join(connection.ops.quote_name(n) for n in names)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for index, row in enumerate(rows):
                values = list(row)
                for i in json_at:
                    values[i] = Jsonb(values[i])
                for i in prepare_at:
                    values[i] = fields[i].get_db_prep_save(values[i], connection)
                copy.write_row([new_ids[index], *values] if ids else values)
    return new_ids
