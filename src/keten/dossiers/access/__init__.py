"""Access outside the case team: break the glass (with its review) and access requests."""
