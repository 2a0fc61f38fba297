from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "hamseda.meetings"
    label = "meetings"
    verbose_name = _("جلسات شورا")

    def ready(self) -> None:
        from hamseda.meetings import demo, generate, indicators, panels  # noqa: F401  (registers hooks)
