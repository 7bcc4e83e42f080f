from django import template

from claims.models import Claim

register = template.Library()

# Status is never colour alone: each has a glyph and a label too (PRODUCT.md).
GLYPHS = {
    Claim.Status.SUPPORTED: "✓",
    Claim.Status.PARTLY_SUPPORTED: "◐",
    Claim.Status.REFUTED: "✗",
    Claim.Status.UNSUPPORTED: "?",
    Claim.Status.OUTDATED: "⌛",
    Claim.Status.IN_REVIEW: "…",
    Claim.Status.UNVERIFIED: "",
}
LABELS = dict(Claim.Status.choices)


@register.inclusion_tag("claims/_status_badge.html")
def status_badge(status):
    return {"status": status, "glyph": GLYPHS.get(status, ""), "label": LABELS.get(status, status)}


@register.inclusion_tag("claims/_status_bar.html")
def status_bar(counts, width=240, height=14):
    """A stacked bar of claims by status, drawn as SVG attributes (no inline style)."""
    total = sum(counts.get(s, 0) for s in Claim.Status.values)
    segments, x = [], 0.0
    for status in Claim.Status.values:
        n = counts.get(status, 0)
        if not n:
            continue
        w = width * n / total
        segments.append(
            {"status": status, "label": LABELS[status], "n": n, "x": round(x, 2), "w": round(w, 2)}
        )
        x += w
    return {"segments": segments, "total": total, "width": width, "height": height}


@register.filter
def status_label(status):
    return LABELS.get(status, status)


@register.filter
def pair_with(first, second):
    """[first, second], to loop over the two sides of a pair."""
    return [first, second]
