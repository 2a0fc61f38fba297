from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "hamseda.activities"
    label = "activities"
    verbose_name = _("فعالیت‌ها و تقویم مشترک")

    def ready(self) -> None:
        from hamseda.activities import (  # noqa: F401  (registers hooks)
            demo,
            generate,
            indicators,
            panels,
        )
