from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Evidence files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
