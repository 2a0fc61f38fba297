"""HTML pages of stories (the articles of several outlets that tell one news):
the list, one story with its outlets and tones, linking it to the office's
news release."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.activities import selectors as activity_selectors
from hamseda.activities.models import Activity
from hamseda.core import policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.listing import page_of
from hamseda.directory.models import Person
from hamseda.monitoring import selectors
from hamseda.monitoring.forms import StoryFilterForm, StoryLinkForm
from hamseda.monitoring.models import Story
from hamseda.monitoring.selectors import ArticleFilters, Capped
from hamseda.monitoring.services import stories as services
from hamseda.monitoring.views.articles import PER_PAGE, highlight, list_query, require_view


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    require_view(user)
    form = StoryFilterForm(request.GET or None, viewer=user)
    filters = form.filters() if form.is_bound else ArticleFilters()
    found = Capped(selectors.story_list(viewer=user, filters=filters))
    page = page_of(request, found, per_page=PER_PAGE)
    stories: list[Story] = list(page.object_list)
    summaries = selectors.story_agency_summaries([story.pk for story in stories])
    for story in stories:
        story.title_html = highlight(story.title, filters.q)  # type: ignore[attr-defined]
        story.agency_tones = summaries.get(story.pk, [])  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "page_obj": page,
        "stories": stories,
        "more": found.more,
        "form": form,
        "query": list_query(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "monitoring/stories/_results.html", context)
    return render(request, "monitoring/stories/story_list.html", context)


def _may_relink(user: Person, story: Story) -> bool:
    """Whether ``user`` may change the story's link: a link made to another
    office's release is theirs to undo."""
    current: Activity | None = story.activity
    return current is None or policy.can(user, "monitoring.link", current)


def _detail(
    request: HttpRequest, user: Person, story: Story, *, link_form: StoryLinkForm | None = None
) -> HttpResponse:
    candidates = selectors.release_candidates(viewer=user, story=story)
    # A form sent back with its error is shown even when nothing is offered.
    can_link = (bool(candidates) or link_form is not None) and _may_relink(user, story)
    if link_form is None:
        link_form = StoryLinkForm(initial={"activity": story.activity_id}, candidates=candidates)
    context = {
        "story": story,
        "outlets": selectors.story_outlets(story),
        "agencies": selectors.story_agencies(story),
        "can_link": can_link,
        "link_form": link_form,
        "history": audit_history(viewer=user, target=story),
    }
    return render(request, "monitoring/stories/story_detail.html", context)


@login_required
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    user = signed_in(request)
    story = selectors.story_get(viewer=user, story_id=story_id)
    return _detail(request, user, story)


@login_required
@require_POST
def story_link(request: HttpRequest, story_id: int) -> HttpResponse:
    user = signed_in(request)
    story = selectors.story_get(viewer=user, story_id=story_id)
    candidates = selectors.release_candidates(viewer=user, story=story)
    form = StoryLinkForm(request.POST, candidates=candidates)
    if not form.is_valid():
        return _detail(request, user, story, link_form=form)
    chosen: int | None = form.cleaned_data["activity"]
    activity = form.candidates.get(chosen) if chosen is not None else None
    if chosen is not None and activity is None:
        # Not offered (an id typed by hand, an older release): found if the
        # person may see it, then the service applies the policy as to any.
        activity = activity_selectors.activity_get_for(viewer=user, activity_id=chosen)
    try:
        services.story_link_activity(actor=user, story=story, activity=activity)
    except ValidationError as error:
        for message in error.messages:
            form.add_error("activity", message)
        return _detail(request, user, story, link_form=form)
    if activity is not None:
        messages.success(request, _("رویداد خبری به خبر ارسالی دستگاه پیوند خورد."))
    else:
        messages.success(request, _("پیوند رویداد خبری با خبر ارسالی برداشته شد."))
    return redirect(story)
