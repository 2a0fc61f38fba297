"""What every API view shares: strict input, errors as 400 with field messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

# The largest id a BigAutoField holds. A larger number in a filter is not an id:
# SQLite cannot even bind it (OverflowError, a 500), PostgreSQL shrugs it off.
MAX_ID = 2**63 - 1


def validated(serializer_class: type, request: Request, **kwargs: Any) -> dict[str, Any]:
    """The input serializer's validated data; its errors become a 400."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def int_query_param(request: Request, name: str) -> int | None:
    """A whole-number filter of an API list; anything else is a 400 naming it."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise serializers.ValidationError({name: [_("یک عدد صحیح وارد کنید.")]}) from None
    if abs(number) > MAX_ID:
        raise serializers.ValidationError({name: [_("این شناسه معتبر نیست.")]})
    return number


def paginated(request: Request, view: APIView, queryset: Any, serializer: type) -> Response:
    """One page of a list in the count/next/previous/results envelope. List views
    name their paginator in ``pagination_class``: drf-spectacular reads it to
    document the same envelope and the ``limit``/``offset`` parameters."""
    paginator_class = getattr(view, "pagination_class", None) or LimitOffsetPagination
    paginator = paginator_class()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class StrictInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An input serializer that rejects fields it does not know. DRF drops them
    silently, so a client misspelling ``emial`` would believe it had saved."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("این فیلد شناخته‌شده نیست.")] for name in unknown}
                )
        return super().to_internal_value(data)


def _django_errors(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError (raised by services) as 400
    with the same field/message shape as serializer errors."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
