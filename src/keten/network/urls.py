"""The ``network`` namespace (mounted at /sociale-kaart/): the sociale kaart and Samenwerking in beeld.

The beheer pages (``importing``), the routekaart and the public routekaart have their own namespaces
and are mounted in ``keten.urls``.
"""

from django.urls import URLPattern

from keten.network.gaps import urls as gaps_urls
from keten.network.kaart import urls as kaart_urls

app_name = "network"

urlpatterns: list[URLPattern] = [*kaart_urls.urlpatterns, *gaps_urls.urlpatterns]
