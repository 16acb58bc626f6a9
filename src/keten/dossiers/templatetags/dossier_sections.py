"""``{% dossier_section section %}``: render one registered section of the dossier page."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from keten.dossiers.sections import RenderedSection

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_section(context: Context, section: RenderedSection) -> SafeString:
    """The section's template, with the page's context and what the section adds (like ``{% include %}``)."""
    assert context.template is not None
    found = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return found.render(context)
