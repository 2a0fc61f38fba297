from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "hamseda.evaluation"
    label = "evaluation"
    verbose_name = _("ارزیابی و رتبه‌بندی")

    def ready(self) -> None:
        from hamseda.evaluation import demo, panels  # noqa: F401  (registers hooks)
