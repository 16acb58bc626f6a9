"""Beheer pages of the functioneel beheerder: organisations, teams, wijken, professionals, API clients, resets.

Views translate HTTP to selector and service calls; they hold no rules. Each page asks the policy
through ``keten.core.access``: ``@requires("accounts.manage")`` (or ``accounts.manage_municipality``)
for the page, then ``check(...)`` for the object a selector loaded. Anyone without the functioneel
beheerder role gets 404 on every page here (a superuser too); so does anything outside the
beheerder's scope (the rules and their row filters are in ``keten.accounts.rules``): the accounts of
another organisation, an organisation of another municipality, the municipality's organisations and
wijken for anyone but the gemeente's beheerder. Only then is the HTTP method checked (405).

A generated API token is shown exactly once, on the page the form redirects to, and then removed
from the session; passwords are never shown (set-up links, see :mod:`.resets`).
"""
