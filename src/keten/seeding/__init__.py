"""Data profiles for ``manage.py seed``: ``demo``, ``large`` and ``national``.

A plain package (no models): each profile writes through the normal models, so client data is
encrypted per field on save and looked up through the blind indexes of :mod:`keten.core.crypto`.
Audit events written for seeded history are hash-chained exactly as :func:`keten.core.audit.record`
chains them (see :class:`keten.seeding.common.AuditChainWriter`).
"""
