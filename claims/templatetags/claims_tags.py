import html
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

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


# The tags below run once per claim or per answer on a document page, so they build their
# HTML in Python with the standard library's escape (what Django's own escape calls) and mark
# the whole result safe once: an included template per claim, or format_html per piece, made
# the page several times slower. Every value from the database goes through escape().


def escape(text):
    """html.escape, for text that holds something to escape. A page escapes some 660 pieces,
    most with nothing to replace: five membership tests cost a third of five replacements."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text)
    return text


STATUSES = Claim.Status.values  # the enum builds this list anew on every access


@lru_cache
def _badge(status):
    # Statuses are few; a claim's badge is the same for every claim with its status.
    glyph = GLYPHS.get(status, "")
    glyph_html = f'<span class="glyph" aria-hidden="true">{escape(glyph)}</span> ' if glyph else ""
    label = escape(str(LABELS.get(status, status)))
    return f'<span class="badge status-{escape(status)}">{glyph_html}{label}</span>'


@register.simple_tag
def status_badge(status):
    return mark_safe(_badge(status))


CONTESTED_BADGE = ' <span class="badge contested" title="Contradicted by another claim">⇄</span>'
NO_SOURCE = '<span class="card-source">No source cited yet</span>'


@register.simple_tag
def claim_text(pieces, current=None):
    """A paragraph of answer text with its claims marked: check-worthy claims as links with a
    status label and a hover card, the rest as plain spans. `pieces` come from
    Answer.paragraphs; `current` is the claim the page is about, if any."""
    return mark_safe(_paragraph(pieces, current))


@register.simple_tag
def answer_section(answer):
    """A question and its answer on the document page: the heading, a status bar of the
    answer's claims with their counts in words, and each of its paragraphs (`answer.rendered`,
    from Answer.paragraphs) marked as claim_text marks one. `answer.status_counts` holds the
    counts of its check-worthy claims by status."""
    number = int(answer.number)
    url = _claim_url()
    paragraphs = "\n".join(f"<p>{_paragraph(pieces, None, url)}</p>" for pieces in answer.rendered)
    return mark_safe(
        f'<section class="qa" id="q{number}">\n'
        f'  <h2><span class="qnum">{number}.</span> {escape(answer.question)}</h2>\n'
        f'  <div class="answer-chart">{status_bar(answer.status_counts, 240, 10)} '
        f'<span class="muted">{_summary(answer.status_counts)}</span></div>\n'
        f'  <div class="answer">\n{paragraphs}\n  </div>\n'
        f"</section>"
    )


@register.simple_tag
def question_list(answers):
    """The document page's list of its questions, each a link to its section. In Python for
    the same reason as answer_section: a template loop cost more than the list is worth."""
    items = "".join(
        f'<li value="{int(answer.number)}"><a href="#q{int(answer.number)}">'
        f"{escape(answer.question)}</a></li>"
        for answer in answers
    )
    return mark_safe(f"<ol>{items}</ol>")


def _paragraph(pieces, current, url=None):
    """`url`: _claim_url(), when the caller marks several paragraphs."""
    url = url or _claim_url()
    return "".join([_piece(text, claim, current, url) for text, claim in pieces])


def _claim_url():
    # Once per answer, not per paragraph or claim: the script prefix is a thread local (an
    # asgiref Local), and reading it for each of the seed's 76 paragraphs cost about 4% of the
    # document page's instructions.
    return escape(_claim_url_pattern(get_script_prefix()))


ZERO = "00000000-0000-0000-0000-000000000000"


@lru_cache
def _claim_url_pattern(script_prefix):
    # reverse() costs more than the rest of a claim's mark-up; resolve the pattern once per
    # script prefix and fill in each claim's uuid.
    return reverse("claim", args=[ZERO]).replace(ZERO, "{}")


@lru_cache
def _status_parts(status):
    """A status as a claim's mark shows it: (class suffix, badge, label), escaped. Worked out
    once: the labels are lazy translations, looked up again on every use otherwise (the site
    has one language)."""
    return escape(status), _badge(status), escape(str(LABELS.get(status, status)))


def _piece(text, claim, current, url):
    if claim is None:
        return escape(text)
    if not claim.checkworthy:
        return f'<span class="nonclaim" data-kind="{escape(claim.kind)}">{escape(text)}</span>'
    contested = getattr(claim, "contested", False)
    cited = getattr(claim, "cited", None)  # (stance label, source title)
    if cited:
        source = f'<span class="card-source">{escape(str(cited[0]))}: {escape(cited[1])}</span>'
    else:
        source = "" if current else NO_SOURCE
    status, badge, label = _status_parts(claim.status)
    uuid = str(claim.uuid)  # hex digits and hyphens: nothing to escape
    return (
        f'<a class="claim status-{status}{" current" if claim == current else ""}" '
        f'href="{url.format(uuid)}" data-status="{status}" '
        f'aria-describedby="card-{uuid}">{escape(text)}<span class="claim-label">'
        f"{badge}{CONTESTED_BADGE if contested else ''}</span>"
        f'<span class="card" role="tooltip" id="card-{uuid}"><span class="card-status">'
        f"{label}</span>"
        f"{' · contradicted by another claim' if contested else ''}{source}</span></a>"
    )


@register.simple_tag
def status_bar(counts, width=240, height=14):
    """A stacked bar of claims by status, drawn as SVG attributes (no inline style). Built in
    Python like the tags above: a document page draws one per answer."""
    total = sum(counts.get(s, 0) for s in STATUSES)
    if not total:
        return mark_safe('<span class="muted">no claims</span>')
    rects, x = [], 0.0
    for status in STATUSES:
        n = counts.get(status, 0)
        if not n:
            continue
        w = width * n / total
        name, _, label = _status_parts(status)
        rects.append(
            f'<rect class="fill-{name}" x="{round(x, 2)}" y="0" width="{round(w, 2)}" '
            f'height="{height}"><title>{n} {label}</title></rect>'
        )
        x += w
    return mark_safe(
        f'<svg class="status-bar" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
        f'aria-label="{_summary(counts)}">{"".join(rects)}</svg>'
    )


def _summary(counts):
    """ "3 unverified, 1 in review": the counts in words, in status order."""
    return ", ".join(
        f"{counts[s]} {_status_parts(s)[2].lower()}" for s in STATUSES if counts.get(s)
    )


@register.filter
def status_label(status):
    return LABELS.get(status, status)


@register.filter
def pair_with(first, second):
    """[first, second], to loop over the two sides of a pair."""
    return [first, second]
