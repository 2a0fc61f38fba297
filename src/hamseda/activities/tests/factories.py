"""Factories of activity records for tests (factory_boy)."""

from __future__ import annotations

import datetime

import factory

from hamseda.activities.models import Activity, ActivityKind, ActivityStatus
from hamseda.directory.tests.factories import OfficeFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity of an Isfahan office (OfficeFactory's default province); the
    province follows the lead office, a one-day period unless ``end_date`` is
    given. Not indexed for overlaps: call ``overlap.index_activity``."""

    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"فعالیت آزمایشی شماره {n}")
    description = ""
    kind = ActivityKind.NEWS_RELEASE
    status = ActivityStatus.PLANNED
    start_date = factory.LazyFunction(datetime.date.today)
    end_date = factory.LazyAttribute(lambda a: a.start_date)
    lead_office = factory.SubFactory(OfficeFactory)
    province = factory.LazyAttribute(lambda a: a.lead_office.agency.province)
