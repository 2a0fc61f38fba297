"""``hamseda ingest PATH_OR_URL``: push a feed (a file or a URL) or, with ``--text``,
a plain-text article through the monitoring pipeline, as the poller would.

The articles go to ``--source`` (an id or the exact name of a source); without it,
to the source whose feed address is the URL, else the one whose site is the
feed's host, else the manual clippings of ``--province`` (national without it).
``--json`` prints one object per article: id, whether it is new, title, the
agencies matched with the tone toward each, the campaigns, the story and the
article's overall tone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamseda.campaigns.models import Campaign
from hamseda.directory.models import Agency, Province
from hamseda.monitoring.feeds import ParsedItem, article_from_text, parse_feed, site_host
from hamseda.monitoring.fetch import fetch
from hamseda.monitoring.models import ArticleVia, Source
from hamseda.monitoring.services.ingest import IngestResult, clippings_source, ingest_items
from hamseda.monitoring.tone import tone_of

BATCH = 500
_TONE_ORDER = {"negative": 0, "neutral": 1, "positive": 2}


class Command(BaseCommand):
    help = (
        "Ingest a feed (file or URL) or, with --text, a plain-text article into media monitoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="a feed file, an http(s) feed URL, or '-' for stdin")
        parser.add_argument(
            "--text", action="store_true", help="the target is a plain-text article, not a feed"
        )
        parser.add_argument("--title", default="", help="the article's title (with --text)")
        parser.add_argument("--url", default="", help="the article's address (with --text)")
        parser.add_argument("--source", default="", help="id or exact name of the source")
        parser.add_argument(
            "--province", default="", help="province code of the clippings source when none fits"
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        target: str = options["target"]
        is_url = target.startswith(("http://", "https://"))
        content = self._read(target, is_url=is_url)
        if options["text"]:
            text = content.decode("utf-8-sig", errors="replace")
            items = [article_from_text(text, url=options["url"], title=options["title"])]
            via = ArticleVia.COMMAND
            problems: list[str] = []
            link = options["url"]
        else:
            parsed = parse_feed(content, url=target if is_url else "")
            items, problems, via = parsed.items, parsed.problems, ArticleVia.FEED
            link = target if is_url else next((item.url for item in items if item.url), "")
        if not items or not any(item.title or item.text for item in items):
            raise CommandError("nothing to ingest: " + ("; ".join(problems) or "no items"))
        source = self._source(
            options["source"], target if is_url else "", link, options["province"]
        )
        results: list[IngestResult] = []
        for start in range(0, len(items), BATCH):
            results.extend(ingest_items(source=source, items=items[start : start + BATCH], via=via))
        if options["json"]:
            self._print_json(items, results)
        else:
            new = sum(result.created for result in results)
            self.stdout.write(
                f"{source.name}: {len(results)} article(s), {new} new, "
                f"{len(results) - new} already stored"
            )
        for problem in problems:
            self.stderr.write(f"warning: {problem}")

    def _read(self, target: str, *, is_url: bool) -> bytes:
        if target == "-":
            return sys.stdin.buffer.read()
        if is_url:
            result = fetch(target)
            if not result.ok:
                raise CommandError(f"cannot read {target}: {result.error or result.status}")
            return result.content
        path = Path(target)
        if not path.is_file():
            raise CommandError(f"no such file: {target}")
        return path.read_bytes()

    def _source(self, wanted: str, feed_url: str, link: str, province_code: str) -> Source:
        if wanted:
            found = (
                Source.objects.filter(pk=int(wanted)).first()
                if wanted.isdigit()
                else Source.objects.filter(name=wanted).first()
            )
            if found is None:
                raise CommandError(f"no source {wanted!r}")
            return found
        if feed_url and (found := Source.objects.filter(feed_url=feed_url).first()):
            return found
        host = site_host(link)
        if host and (found := Source.objects.filter(host=host).order_by("pk").first()):
            return found
        province = None
        if province_code:
            province = Province.objects.filter(code=province_code).first()
            if province is None:
                raise CommandError(f"no province {province_code!r}")
        return clippings_source(province)

    def _print_json(self, items: list[ParsedItem], results: list[IngestResult]) -> None:
        agency_ids = {agency_id for result in results for agency_id in result.agency_ids}
        campaign_ids = {campaign_id for result in results for campaign_id in result.campaign_ids}
        agency_names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
        campaign_titles = dict(
            Campaign.objects.filter(pk__in=campaign_ids).values_list("pk", "title")
        )
        output = []
        for item, result in zip(items, results, strict=True):
            tones = list(result.tones.values())
            overall = (
                min(tones, key=_TONE_ORDER.__getitem__)
                if tones
                else str(tone_of(f"{item.title}\n{item.text}").tone)
            )
            output.append(
                {
                    "id": result.article_id,
                    "created": result.created,
                    "title": item.title,
                    "agencies": [
                        {"id": pk, "name": agency_names.get(pk, ""), "tone": result.tones.get(pk)}
                        for pk in result.agency_ids
                    ],
                    "campaigns": [
                        {"id": pk, "title": campaign_titles.get(pk, "")}
                        for pk in result.campaign_ids
                    ],
                    "story": result.story_id,
                    "tone": overall,
                }
            )
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
