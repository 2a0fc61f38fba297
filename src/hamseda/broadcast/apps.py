from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastConfig(AppConfig):
    name = "hamseda.broadcast"
    label = "broadcast"
    verbose_name = _("سوژه‌ها و ارتباط با صدا و سیما")

    def ready(self) -> None:
        from hamseda.broadcast import demo, generate, indicators, panels  # noqa: F401  (registers hooks)
