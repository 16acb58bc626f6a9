"""Keten: the platform for the local approach to child abuse in a Dutch municipality."""
