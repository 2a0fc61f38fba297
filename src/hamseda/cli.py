"""The ``hamseda`` command.

hamseda demo [--port N]   data folder, database, demo data, site, worker and messenger fakes
hamseda serve             production: gunicorn with settings from the environment
hamseda <command>         any Django management command (migrate, generate, ...)
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

SETTINGS = "hamseda.settings"


def _fail(message: str) -> int:
    print(f"hamseda: {message}", file=sys.stderr)
    return 2


def _safe_url(url: str) -> str:
    """The database URL without its password, to name it in an error."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def prepare_broker() -> None:
    from hamseda.core.health import prepare_broker as prepare

    prepare()


def _check_database() -> str | None:
    """None when the database answers, else one line saying what failed."""
    from django.conf import settings

    from hamseda.core.health import check_database

    check = check_database()
    if check.ok:
        return None
    detail = check.detail.splitlines()[0] if check.detail else "no answer"
    return f"cannot reach the database {_safe_url(settings.DATABASE_URL)}: {detail}"


def _prepare_demo_environment(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ["HAMSEDA_DATA_DIR"] = str(data_dir)
    os.environ["HAMSEDA_DEMO"] = "1"
    os.environ.setdefault("HAMSEDA_SECRET_KEY", key_file.read_text(encoding="utf-8").strip())


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="hamseda demo", description="Run the demo site.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HAMSEDA_PORT", 8000)))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-worker", action="store_true", help="do not start the worker")
    args = parser.parse_args(argv)

    data_dir = Path(os.environ.get("HAMSEDA_DATA_DIR", "var")).resolve()
    _prepare_demo_environment(data_dir)
    _setup()
    if error := _check_database():
        return _fail(error)
    prepare_broker()

    from django.conf import settings
    from django.core.management import call_command

    print(f"hamseda: data folder {data_dir}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=1)
    from hamseda.monitoring.demo import point_demo_feeds
    from hamseda.social.demo import point_demo_channels

    point_demo_feeds(f"http://{args.host}:{args.port}")
    # The demo's channels publish to the local messenger fakes started below.
    point_demo_channels(args.host, args.port)

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    env = os.environ.copy()
    # Celery warns at length when started as root (as in a container); the demo
    # is a single-user tool, so that warning would only confuse a newcomer.
    env["PYTHONWARNINGS"] = "ignore::UserWarning:celery.platforms"
    # fmt: off
    web = [sys.executable, "-m", "gunicorn", "hamseda.wsgi:application",
           "--bind", f"{args.host}:{args.port}",
           *"--workers 2 --threads 4 --graceful-timeout 5 --log-level warning".split()]
    # fmt: on
    processes = [subprocess.Popen(web, env=env)]
    # Local fakes of the Bot API (Bale, Telegram), Eitaayar and Rubika on the
    # next three ports, accepting any token and chat: the demo's worker
    # delivers its scheduled post there (hamseda.social.demo).
    # fmt: off
    fakes = [sys.executable, "-m", "hamseda.social.fakes", "--open", "--quiet",
             "--host", args.host, "--port", str(args.port + 1)]
    # fmt: on
    processes.append(subprocess.Popen(fakes, env=env))
    if not args.no_worker:
        # One worker process that also runs beat (-B) is enough for the demo.
        # fmt: off
        worker = [sys.executable, "-m", "celery", "-A", "hamseda", "worker", "-B",
                  *"--pool solo --loglevel WARNING".split(),
                  "--schedule", str(data_dir / "celerybeat-schedule")]
        # fmt: on
        processes.append(subprocess.Popen(worker, env=env))
    print(f"hamseda: http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed else 0


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="hamseda serve", description="Run the site (gunicorn).")
    parser.add_argument("--bind", default=os.environ.get("HAMSEDA_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("HAMSEDA_WEB_WORKERS", (os.cpu_count() or 1) * 2 + 1)),
    )
    parser.add_argument("--migrate", action="store_true", help="apply migrations first")
    args, rest = parser.parse_known_args(argv)
    _setup()
    if error := _check_database():
        return _fail(error)
    prepare_broker()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "hamseda.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        *rest,
    ]
    run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import InterfaceError, OperationalError

    try:
        if argv and argv[0] == "demo":
            return demo(argv[1:])
        if argv and argv[0] == "serve":
            return serve(argv[1:])
        from django.core.management import execute_from_command_line

        execute_from_command_line(["hamseda", *argv])
        return 0
    except ImproperlyConfigured as exc:
        return _fail(f"configuration: {exc}")
    except (OperationalError, InterfaceError) as exc:
        from django.conf import settings

        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _fail(f"cannot reach the database {_safe_url(settings.DATABASE_URL)}: {first}")


if __name__ == "__main__":
    sys.exit(main())
