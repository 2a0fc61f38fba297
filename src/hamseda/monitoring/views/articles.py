"""HTML pages of the articles: the search with its filters (and the Excel export
of what it found), one article, correcting the tone of an article toward an
agency."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Person
from hamseda.monitoring import exports, search, selectors
from hamseda.monitoring.feeds import plain_text
from hamseda.monitoring.forms import ArticleFilterForm, ToneForm
from hamseda.monitoring.models import Article
from hamseda.monitoring.selectors import ArticleFilters, Capped
from hamseda.monitoring.services import stories as services

PER_PAGE = 25
SNIPPET_WIDTH = 260
# The snippet is looked for in the text's start only: a page of 25 long articles
# must not cost a scan of every word of each.
SNIPPET_SCAN = 6000

# --- highlighting ------------------------------------------------------------------

# A word as written: letters and digits, with half-spaces and diacritics inside.
_WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u200c\u064b-\u065f\u0670])*")


@lru_cache(maxsize=50_000)
def _key(word: str) -> str:
    return persian.compact_key(word)


def _matches(key: str, alternatives: list[search.Alternatives]) -> bool:
    for alt in alternatives:
        if key == alt.word or (alt.prefix and key.startswith(alt.word)) or key in alt.joined:
            return True
    return False


def _marked_spans(text: str, alternatives: list[search.Alternatives]) -> list[tuple[int, int]]:
    """Where the words of a query are in ``text``, by the rules of full-text search
    (``monitoring.search``): any spelling of a word, a word as a prefix, a
    compound written with a half-space, a space or joined."""
    words = [(m.start(), m.end(), _key(m.group())) for m in _WORD_RE.finditer(text)]
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        start, end, key = words[index]
        if _matches(key, alternatives):
            spans.append((start, end))
        elif index + 1 < len(words) and _matches(key + words[index + 1][2], alternatives):
            # "راه آهن" in the text for "راهآهن" in the query: both words are marked.
            spans.append((start, words[index + 1][1]))
            index += 1
        index += 1
    return spans


def highlight(text: str, query: str, *, width: int | None = None) -> SafeString:
    """``text`` escaped, the query's words in ``<mark>``; with ``width``, only a
    window of about that many characters around the first of them (the text's
    start when there is none), with "…" where it was cut."""
    alternatives = search.query_alternatives(query) if query else []
    if width is not None:
        text = text[:SNIPPET_SCAN]
    spans = _marked_spans(text, alternatives) if alternatives else []
    begin, end = 0, len(text)
    if width is not None and len(text) > width:
        anchor = spans[0][0] if spans else 0
        # A match near the start is shown from the start; a later one with some
        # words before it.
        begin = 0 if anchor < width * 2 // 3 else anchor - width // 3
        if begin:
            space = text.find(" ", begin)
            begin = space + 1 if 0 <= space < anchor else begin
        end = min(len(text), begin + width)
        if end < len(text):
            space = text.rfind(" ", begin, end)
            end = space if space > begin else end
    parts: list[str] = ["… "] if begin else []
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    # Every piece of the text was escaped above; only the <mark> tags are ours.
    return mark_safe("".join(parts))


# --- list and export -----------------------------------------------------------------


def require_view(user: Person) -> None:
    if policy.reach(user, "monitoring.view") == Reach.NONE:
        raise PermissionDenied


def _filter_form(request: HttpRequest, user: Person) -> tuple[ArticleFilterForm, ArticleFilters]:
    form = ArticleFilterForm(request.GET or None, viewer=user)
    return form, form.filters() if form.is_bound else ArticleFilters()


def list_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    require_view(user)
    form, filters = _filter_form(request, user)
    found = Capped(selectors.article_list(viewer=user, filters=filters))
    page = page_of(request, found, per_page=PER_PAGE)
    articles: list[Article] = list(page.object_list)
    for article in articles:
        article.title_html = highlight(article.title, filters.q)  # type: ignore[attr-defined]
        article.snippet = highlight(article.text, filters.q, width=SNIPPET_WIDTH)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "page_obj": page,
        "articles": articles,
        "more": found.more,
        "form": form,
        "filters": filters,
        "query": list_query(request),
        "show_province": form.sees_every_province,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "monitoring/articles/_results.html", context)
    return render(request, "monitoring/articles/article_list.html", context)


@login_required
def article_export(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    require_view(user)
    _form, filters = _filter_form(request, user)
    body = exports.articles_xlsx(selectors.article_list(viewer=user, filters=filters))
    stamp = jalali.format_date(jalali.today(), "input").replace("/", "-")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition(
        f"{_('خبرها')} {stamp}.xlsx", "articles.xlsx"
    )
    return response


# --- one article -----------------------------------------------------------------------


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    user = signed_in(request)
    article = selectors.article_get(viewer=user, article_id=article_id)
    mentions = list(article.mentions.all())
    for mention in mentions:
        mention.can_correct = policy.can(user, "monitoring.link", mention)  # type: ignore[attr-defined]
        mention.tone_form = ToneForm(  # type: ignore[attr-defined]
            initial={"tone": mention.tone}, prefix=f"m{mention.pk}"
        )
    # Many feeds give the whole text as the summary: shown once.
    summary = persian.compact_key(plain_text(article.summary_html))
    context = {
        "article": article,
        "show_text": bool(article.text) and persian.compact_key(article.text) != summary,
        "mentions": mentions,
        "others": selectors.story_for_article(article),
        "history": audit_history(viewer=user, target=article),
    }
    return render(request, "monitoring/articles/article_detail.html", context)


@login_required
@require_POST
def mention_tone(request: HttpRequest, mention_id: int) -> HttpResponse:
    user = signed_in(request)
    mention = selectors.mention_get(viewer=user, mention_id=mention_id)
    policy.require(user, "monitoring.link", mention)
    form = ToneForm(request.POST, prefix=f"m{mention.pk}")
    if not form.is_valid():
        # The form is one select of three values: only a forged request gets here.
        messages.error(request, _("لحن را از میان مثبت، خنثی و منفی انتخاب کنید."))
        return redirect(mention.article)
    try:
        services.mention_correct_tone(actor=user, mention=mention, tone=form.cleaned_data["tone"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("لحن خبر نسبت به «%(agency)s» ثبت شد.") % {"agency": mention.agency.name},
        )
    return redirect(mention.article)
