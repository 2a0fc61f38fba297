from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "hamseda.monitoring"
    label = "monitoring"
    verbose_name = _("رصد رسانه‌ای")

    def ready(self) -> None:
        from hamseda.monitoring import (  # noqa: F401  (registers hooks)
            demo,
            generate,
            indicators,
            panels,
        )
