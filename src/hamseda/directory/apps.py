from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "hamseda.directory"
    label = "directory"
    verbose_name = _("فهرست دستگاه‌ها و افراد")

    def ready(self) -> None:
        from hamseda.directory import demo, generate  # noqa: F401  (registers hooks)
