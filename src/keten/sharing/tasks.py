"""Scheduled jobs of informatie delen: ending access grants whose period is over.

Access already stops at ``expires_at`` (the selectors check it); the daily job marks those grants
as ended so lists and counts are exact, and logs one audit event with the number. It also clears
overview PDFs whose download period is over. Running it twice on one day changes nothing the
second time.

The overview PDF of an inzage request is built by the job that its service enqueues,
:func:`keten.sharing.inzage.services.build_inzage_export`.
"""

from __future__ import annotations

from django_tasks import task

from keten.sharing.inzage.services import build_inzage_export, inzage_exports_purge
from keten.sharing.services import grants_expire

#: Jobs queued before the export job moved beside its service name this module; the name keeps them
#: working (the worker looks a job up by the path it was queued with).
__all__ = ["build_inzage_export", "expire_grants"]


@task()
def expire_grants() -> int:
    """Mark ended access grants as revoked and clear expired overview PDFs; returns how many grants ended."""
    inzage_exports_purge()
    return grants_expire()
