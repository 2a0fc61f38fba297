from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "hamseda.social"
    label = "social"
    verbose_name = _("شبکه‌های اجتماعی")

    def ready(self) -> None:
        # Indicator providers, demo loader and home panel register themselves on import.
        from hamseda.social import demo, generate, indicators, panels  # noqa: F401
