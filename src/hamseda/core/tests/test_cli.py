"""The ``hamseda`` command as a newcomer and an operator meet it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from hamseda.core.models import AuditEvent
from hamseda.directory.models import Agency, Council, Person

HAMSEDA = [sys.executable, "-m", "hamseda.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAMSEDA_", "PYTEST"))}
    env.update({"HAMSEDA_DATA_DIR": str(tmp_path / "data"), **extra})
    return env


def test_unreachable_database_is_one_clear_line_not_a_traceback(tmp_path):
    # given a PostgreSQL address where nothing listens
    env = _env(
        tmp_path,
        HAMSEDA_SECRET_KEY="x" * 50,
        HAMSEDA_DATABASE_URL="postgres://hamseda:secret@127.0.0.1:1/hamseda",
    )
    # when an operator migrates
    result = subprocess.run(
        [*HAMSEDA, "migrate"], env=env, capture_output=True, text=True, timeout=60
    )
    # then one line names what failed, without the password
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "hamseda: cannot reach the database postgres://hamseda:***@127.0.0.1:1/"
    )
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_secret_key_says_so(tmp_path):
    result = subprocess.run(
        [*HAMSEDA, "serve"], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "HAMSEDA_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates():
    # when the demo data is loaded twice
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = (
        Agency.objects.count(),
        Person.objects.count(),
        Council.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("load_demo", stdout=second)
    # then the second run adds nothing and both list the same demo users
    assert (
        Agency.objects.count(),
        Person.objects.count(),
        Council.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert first.getvalue() == second.getvalue()
    # and the Isfahan council is as in the reference report
    isfahan = Council.objects.get(province__code="isfahan")
    assert isfahan.memberships.get(role="chair").office.agency.name == (
        "اداره کل راه و شهرسازی استان اصفهان"
    )
    assert isfahan.memberships.filter(role="member").count() == 8
    assert set(
        isfahan.memberships.filter(role="partner").values_list("office__agency__kind", flat=True)
    ) == {"governorate", "partner_agency"}
    assert isfahan.secretary.username == "isf-secretary"
    roles = set(Person.objects.values_list("role", flat=True))
    assert roles == {
        "admin",
        "ministry_centre",
        "council_chair",
        "council_secretary",
        "office_staff",
        "partner",
        "evaluator",
    }
    assert "isf-secretary" in first.getvalue()


@pytest.mark.django_db
def test_generate_builds_councils_for_the_requested_provinces():
    out = StringIO()
    call_command("generate", provinces=3, years=1, seed=7, stdout=out)
    assert Council.objects.count() == 3
    assert Agency.objects.count() >= 3 * 11
    assert Person.objects.filter(role="council_chair").count() == 3
    assert all(c.memberships.filter(role="chair").count() == 1 for c in Council.objects.all())
    # and generated names carry the derived search keys
    assert not Agency.objects.filter(name_key="").exists()
    assert "directory: 3 councils" in out.getvalue()
    # the meetings and follow-ups generators added a year of monthly meetings
    from hamseda.followups.models import FollowUp
    from hamseda.meetings.models import Decision, Meeting, Resolution
    from hamseda.meetings.search import council_search

    assert (
        Meeting.objects.filter(
            council__province__code=Council.objects.first().province.code
        ).count()
        >= 12
    )
    tracked = Resolution.objects.filter(decision__in=(Decision.ASSIGNED, Decision.REFERRED))
    assert FollowUp.objects.count() == tracked.count() > 0
    assert Person.objects.filter(role="ministry_centre").count() == 3
    # and bulk-loaded text is searchable (its search keys were filled in)
    ministry = Person.objects.filter(role="ministry_centre").first()
    assert council_search(viewer=ministry, query="سفرهای تابستانی").total > 0
    assert "meetings: " in out.getvalue()
    assert "followups: " in out.getvalue()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"demo exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


def _run_demo(tmp_path: Path, port: int, *, wait_for_worker: bool = False) -> tuple[dict, str]:
    env = _env(tmp_path)
    process = subprocess.Popen(
        [*HAMSEDA, "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        health = _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        deadline = time.monotonic() + 90
        while wait_for_worker and not health["checks"]["worker"]["ok"]:
            # beat -> filesystem broker -> worker -> database, all for real
            assert time.monotonic() < deadline, health
            time.sleep(1)
            health = _wait_for(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        # Ctrl-C, as a user stops the demo; then make sure nothing outlives the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    return health, output


def test_demo_starts_on_an_empty_folder_and_reuses_its_data(tmp_path):
    port = _free_port()
    # when the demo runs on an empty data folder
    health, output = _run_demo(tmp_path, port, wait_for_worker=True)
    # then it made its folder, database and secret, answered /healthz and listed users
    assert health["status"] == "ok"
    assert health["checks"]["worker"]["ok"] is True
    assert (tmp_path / "data" / "hamseda.sqlite3").exists()
    assert (tmp_path / "data" / "secret_key").exists()
    assert "isf-secretary" in output
    key = (tmp_path / "data" / "secret_key").read_text()
    # and a second run reuses the same database and secret
    health, output = _run_demo(tmp_path, _free_port())
    assert health["status"] == "ok"
    assert (tmp_path / "data" / "secret_key").read_text() == key
    assert "Traceback" not in output


def test_serve_runs_the_production_stack(tmp_path):
    # given production settings: a secret key, collected static files, migrations
    env = _env(tmp_path, HAMSEDA_SECRET_KEY="s" * 50)
    subprocess.run(
        [*HAMSEDA, "collectstatic", "--noinput", "-v0"], env=env, check=True, timeout=120
    )
    port = _free_port()
    process = subprocess.Popen(
        [*HAMSEDA, "serve", "--migrate", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # when the site is up
        health = _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as response:
            login = response.read().decode()
        # then pages link static files by their hashed names, and those are served
        css = re.search(
            r'href="(/static/vendor/bootstrap/bootstrap\.rtl\.min\.[0-9a-f]+\.css)"', login
        )
        assert css, login[:2000]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css.group(1)}") as response:
            assert response.status == 200
            assert "max-age" in response.headers["Cache-Control"]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=60)
    assert health["status"] == "ok"
