"""What people change on stories and articles: which news release of an office a
story came from, and the tone of an article toward an agency when the tone
reader got it wrong.

Both are corrections of what ingestion found, so both are kept from it: a story
linked by a person has ``activity_auto`` False, a mention corrected by a person
has ``tone_by`` set, and ingestion overwrites neither.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import Activity, ActivityKind
from hamseda.core import policy
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.directory.models import Person
from hamseda.monitoring.models import Mention, Story, Tone

register_events(
    {
        "story_release_linked": _("رویداد خبری به خبر ارسالی دستگاه پیوند خورد"),
        "story_release_unlinked": _("پیوند رویداد خبری با خبر ارسالی دستگاه برداشته شد"),
        "mention_tone_corrected": _("لحن خبر نسبت به دستگاه اصلاح شد"),
    },
    fields={"mention_tone": _("لحن نسبت به دستگاه")},
)


@transaction.atomic
def story_link_activity(*, actor: Person, story: Story, activity: Activity | None) -> Story:
    """Link ``story`` to ``activity``, the office's news release it came from
    (None: unlink). Allowed to whoever may link for the release's office (its
    own office, the council's chair and secretary of its province, the
    ministry centre); replacing or removing a link needs the same right over
    the release linked before."""
    if activity is not None:
        policy.require(actor, "monitoring.link", activity)
        if activity.kind != ActivityKind.NEWS_RELEASE:
            raise ValidationError({"activity": _g("تنها خبر و اطلاعیه دستگاه پیوند می‌خورد.")})
        if activity.merged_into_id is not None:
            raise ValidationError({"activity": _g("این فعالیت در فعالیت دیگری ادغام شده است.")})
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.activity_id == (activity.pk if activity is not None else None):
        if activity is not None and story.activity_auto:
            # A person confirms what ingestion guessed: ingestion may no longer undo it.
            story.activity_auto = False
            story.save(update_fields=["activity_auto", "updated_at"])
        return story
    previous = story.activity
    if previous is not None:
        previous = Activity.objects.prefetch_related("partners").get(pk=previous.pk)
        policy.require(actor, "monitoring.link", previous)
    before = snapshot(story, ["activity"])
    story.activity = activity
    story.activity_auto = False
    story.save(update_fields=["activity", "activity_auto", "updated_at"])
    audit_record(
        actor=actor,
        event="story_release_linked" if activity is not None else "story_release_unlinked",
        target=story,
        changes=diff(before, snapshot(story, ["activity"])),
    )
    return story


@transaction.atomic
def mention_correct_tone(*, actor: Person, mention: Mention, tone: str) -> Mention:
    """Set the tone of an article toward one agency, as a person reads it. Allowed
    to whoever may link for the agency's office ("monitoring.link" on the
    mention: its office, the chair and secretary of its province, the ministry
    centre). Ingestion keeps a corrected tone."""
    policy.require(actor, "monitoring.link", mention)
    if tone not in Tone.values:
        raise ValidationError({"tone": _g("لحن را از میان مثبت، خنثی و منفی انتخاب کنید.")})
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("agency", "article__source")
        .get(pk=mention.pk)
    )
    labels = dict(Tone.choices)
    before = mention.tone
    mention.tone = tone
    mention.tone_by = actor
    mention.save(update_fields=["tone", "tone_by"])
    if before != tone:
        name = mention.agency.short_name or mention.agency.name
        audit_record(
            actor=actor,
            event="mention_tone_corrected",
            target=mention.article,
            changes={
                "mention_tone": [f"{name}: {labels[before]}", f"{name}: {labels[tone]}"],
            },
        )
    return mention
