from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "hamseda.followups"
    label = "followups"
    verbose_name = _("پیگیری مصوبات")

    def ready(self) -> None:
        from hamseda.followups import generate, indicators, panels  # noqa: F401  (registers hooks)
