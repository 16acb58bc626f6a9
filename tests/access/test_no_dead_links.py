"""No page shows a link that answers 404, 403 or 500 to the person who sees it.

The world is the route matrix's (:func:`keten.testing.route_matrix.world.build_world`: the demo
municipality plus a break-the-glass colleague, a beheerder of a wijkteam, a second municipality, a
ready inzage overview…). Every person in it is signed in (second factor verified) and crawls from the
start page through every internal link (:mod:`tests.access.crawler`). Besides dead links the crawl
fails on a page that answers 500 and on a page without a ``<title>`` or not in Dutch.
"""

from __future__ import annotations

import pytest
from django.test import Client

from keten.testing.auth import login_verified
from keten.testing.route_matrix.world import World
from tests.access.crawler import crawl

pytestmark = pytest.mark.crawl

#: Every signed-in subject of the route matrix, by its key in ``World.users``.
PEOPLE = (
    "professional",
    "collega",
    "bg_collega",
    "aandachtsfunctionaris",
    "teamleider",
    "veiligthuis",
    "beleid",
    "beheerder",
    "org_beheerder",
    "privacy",
    "superuser",
    "other_professional",
    "other_beheerder",
)

#: Fewer pages than this means the sign-in or the start page broke, not that there is little to see.
MINIMUM_PAGES = 10


def test_every_signed_in_subject_is_crawled(route_world: World, db: None) -> None:
    assert set(PEOPLE) == set(route_world.users)


@pytest.mark.parametrize("person", PEOPLE)
def test_no_page_links_to_what_its_viewer_may_not_open(person: str, route_world: World, db: None) -> None:
    client = login_verified(Client(), route_world.user(person))
    result = crawl(client)
    summary = f"{person}: {result.pages} pages, {result.requests} requests, {result.seconds:.1f} s"
    print(summary)  # noqa: T201 - the crawl's size, shown with -s or when the test fails
    assert result.pages >= MINIMUM_PAGES, f"{person} reached only {result.pages} pages"
    problems = "\n".join(str(problem) for problem in result.problems)
    assert not result.problems, f"{summary}; {len(result.problems)} problems:\n{problems}"
