"""Background jobs of informatie delen: ending access grants whose period is over, and inzage overviews.

Access already stops at ``expires_at`` (the selectors check it); the daily job marks those grants
as ended so lists and counts are exact, and logs one audit event with the number. It also clears
overview PDFs whose download period is over. Running it twice on one day changes nothing the
second time.

The overview PDF of an inzage request is built here because a five-year dossier takes WeasyPrint
longer than a page request may; the professional gets a notification when it is ready.
"""

from __future__ import annotations

from django_tasks import task


@task()
def expire_grants() -> int:
    """Mark ended access grants as revoked and clear expired overview PDFs; returns how many grants ended."""
    from keten.sharing.inzage import inzage_exports_purge
    from keten.sharing.services import grants_expire

    inzage_exports_purge()
    return grants_expire()


@task()
def build_inzage_export(export_id: int) -> str:
    """Build one queued inzage overview PDF; returns its status."""
    from keten.sharing.inzage import inzage_export_build

    export = inzage_export_build(export_id)
    return export.status if export is not None else "onbekend"
