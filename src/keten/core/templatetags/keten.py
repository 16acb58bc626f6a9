from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from keten.core.crypto import mask_bsn as _mask_bsn
from keten.core.smallcells import HIDDEN_MARK

register = template.Library()


@register.filter
def mask_bsn(value: str) -> str:
    """Show only the last four digits of a BSN."""
    return _mask_bsn(value) if value else ""


@register.filter
def figure(value: object) -> object:
    """A count on a figures page, or the mark "x" when it is not shown (see keten.core.smallcells)."""
    if value is None:
        return hidden_figure()
    return value


@register.simple_tag
def hidden_figure() -> SafeString:
    """The mark of a count that is not shown, with its meaning for screen readers."""
    return format_html('{}<span class="keten-visually-hidden"> ({})</span>', HIDDEN_MARK, gettext("niet getoond"))


@register.inclusion_tag("keten/_breadcrumb.html")
def breadcrumb(*parts: object) -> dict[str, object]:
    """The breadcrumb trail: ``{% breadcrumb href1 label1 href2 label2 %}`` (pairs, outermost first)."""
    if len(parts) % 2:
        raise template.TemplateSyntaxError("breadcrumb takes pairs of a link and its text")
    return {"crumbs": list(zip(parts[::2], parts[1::2], strict=True))}
