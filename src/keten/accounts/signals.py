"""Signal handlers of accounts (none yet beyond the login audit in keten.core.signals)."""
