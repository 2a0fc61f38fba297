"""The demo's own news feeds (``monitoring.demo``), served to the demo's poller.

Public: the poller has no session. The ETag is a hash of the document as served
today, so a poll that brings back the ETag it was given gets a 304 until an item
appears (items dated later today are left out until their time) or the day turns.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from hamseda.monitoring import demo


@require_safe
def demo_feed(request: HttpRequest, name: str) -> HttpResponse:
    document = demo.feed_document(name)
    if document is None:
        raise Http404
    etag = demo.document_etag(document)
    response = HttpResponse(document.body, content_type=document.content_type)
    response["ETag"] = etag
    # Ask again every time; the ETag makes that cheap.
    response["Cache-Control"] = "no-cache"
    last_modified = None
    if document.last_modified is not None:
        last_modified = int(document.last_modified.timestamp())
        response["Last-Modified"] = http_date(last_modified)
    # A 304 (or 412) when the poller's conditions hold, else the document.
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    return conditional or response
