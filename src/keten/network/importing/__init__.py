"""Bulk import and export of the sociale kaart: organisations, professionals and postcode ranges.

An import is two steps. :func:`read_upload` turns an uploaded CSV or XLSX file into plain records
(row number and a dict of cells per column key); the view keeps those records in the session.
:func:`import_preview` classifies every record against the database (new / changed / unchanged /
error, with Dutch messages per row) without writing anything. :func:`import_apply` classifies again
inside one transaction, refuses when the classification differs from the one the user saw, and then
writes through the existing services (organisations, entries, professionals, memberships, postcode
ranges) plus one audit event with the counts. When any row has an error nothing is written unless
the caller asks for the valid rows only.

Only a functioneel beheerder of the gemeente organisation may import or export, and only for the
own municipality; anyone else gets :class:`NotFoundError`. Professionals (accounts) are imported for
the gemeente organisation itself only: the accounts of another organisation are managed by that
organisation's own beheerder (``accounts.manage_account`` in ``keten.core.policy``).

The package follows those steps: ``columns`` (the kinds of import and their columns), ``reading``
(files into records), ``rows`` (one row's classification), ``validating`` (classifying the records),
``services`` (applying them), ``exporting`` (the same data out as CSV or XLSX), ``scope`` (who may
import) and ``selectors`` (the postcode ranges of the beheer page).
"""
