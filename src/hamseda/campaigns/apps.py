from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "hamseda.campaigns"
    label = "campaigns"
    verbose_name = _("پویش‌ها و قرارگاه‌های رسانه‌ای")

    def ready(self) -> None:
        from hamseda.campaigns import demo, generate, indicators  # noqa: F401  (registers hooks)
