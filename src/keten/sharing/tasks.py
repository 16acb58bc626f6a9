"""Background jobs of informatie delen: ending access grants whose period is over.

Access already stops at ``expires_at`` (the selectors check it); the daily job marks those grants
as ended so lists and counts are exact, and logs one audit event with the number. Running it twice
on one day changes nothing the second time.
"""

from __future__ import annotations

from django_tasks import task


@task()
def expire_grants() -> int:
    """Mark ended access grants as revoked; returns how many."""
    from keten.sharing.services import grants_expire

    return grants_expire()
