from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files uploaded by a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_as():
    """``api_as(person)``: an API client authenticated as that person."""

    def sign_in(person) -> APIClient:
        client = APIClient()
        client.force_authenticate(person)
        return client

    return sign_in
