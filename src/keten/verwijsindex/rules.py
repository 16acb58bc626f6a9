"""Who may use the verwijsindex: its rules, registered with the one policy.

Asked through :func:`keten.core.policy.allows`.
"""

from __future__ import annotations

import rules

from keten.core.policy import has_case_role, is_functioneel_beheerder, works_for_gemeente

rules.add_perm("verwijsindex.register", has_case_role)
rules.add_perm("verwijsindex.manage", is_functioneel_beheerder & works_for_gemeente)
