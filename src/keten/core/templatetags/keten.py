from django import template

from keten.core.crypto import mask_bsn as _mask_bsn

register = template.Library()


@register.filter
def mask_bsn(value: str) -> str:
    """Show only the last four digits of a BSN."""
    return _mask_bsn(value) if value else ""
