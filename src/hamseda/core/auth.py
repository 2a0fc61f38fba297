"""Authentication backend that loads the signed-in person with their office,
agency and province in one query: ``core.policy`` reads ``province_id`` on every
request, which would otherwise cost three queries more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from hamseda.directory.models import Person


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("office__agency__province").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def signed_in(request: Any) -> Person:
    """The person behind a request that the view's authentication already
    required (``login_required`` or DRF's ``IsAuthenticated``)."""
    user = request.user
    if not user.is_authenticated:  # a view wired without its login check
        raise PermissionDenied
    return user
