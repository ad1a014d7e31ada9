from django import template
from django.utils.html import format_html

from luoshi.audit.routine import latest_checkpoint_id
from luoshi.audit.stamp import PROPERTY

register = template.Library()


@register.simple_tag
def audit_checkpoint_meta():
    """The checkpoint as a PDF keyword (WeasyPrint lower-cases custom metadata names, and
    every PDF reader shows Keywords): "LuoshiAuditCheckpoint=32470:1a2b…"."""
    return format_html(
        '<meta name="keywords" content="{}={}">', PROPERTY, latest_checkpoint_id() or "none"
    )
