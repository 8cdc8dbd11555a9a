"""Template helpers for course pages: video embed addresses and accessible progress bars."""

from django import template

from courses.blocks import embed_src

register = template.Library()


@register.filter
def video_embed_src(url: str) -> str:
    return embed_src(url) or ""


@register.inclusion_tag("tags/progress_bar.html")
def progress_bar(percent, label: str = ""):
    """A progress bar with its value for screen readers (role=progressbar)."""
    try:
        value = max(0, min(100, int(percent)))
    except (TypeError, ValueError):
        value = 0
    return {"percent": value, "label": label}
