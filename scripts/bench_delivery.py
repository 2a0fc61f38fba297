"""Deliver posts to the local messenger fakes from several threads at once, with every
delivery dispatched more than once, and count what reached the platforms (not a test).

    python scripts/bench_delivery.py [--posts 200] [--threads 4] [--duplicates 3]
        [--rate-limit-every 10] [--drop-every 25] [--latency-ms 20]
        [--database-url postgres://postgres@127.0.0.1:5432/hamseda_bench_delivery]

Three fakes run in this process (``hamseda.social.fakes``: the Telegram Bot API
protocol for Bale, Eitaayar, Rubika), each answering after --latency-ms. One office
has a channel on each; --posts posts are released to all three, so there are 3 ×
--posts deliveries. Every delivery id is put --duplicates times in one shared work
list (a duplicated task message, the sweep and a retry racing, two workers), which
--threads threads drain calling ``services.delivery.deliver`` as the Celery task
does. Every --rate-limit-every-th publishing call to the Bot API fake answers 429
with retry_after 1 (0: never); the delivery goes back to the queue and a second
pass, after the wait, sends what is due. Every --drop-every-th call to Eitaa is
accepted and the connection closed without a reply (0: never): those deliveries
must end *uncertain* and never be sent again.

Printed: deliveries per second over the first pass, calls that found nothing to
claim, messages each fake received, and the two numbers that must be zero —
messages received more than once for one delivery, and deliveries sent but not
received. The database is a fresh SQLite file in a temporary folder, or the
PostgreSQL database of --database-url (dropped and created; never point it at a
database you care about).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4, help="0: drain in the main thread")
    parser.add_argument("--duplicates", type=int, default=3)
    parser.add_argument("--rate-limit-every", type=int, default=10)
    parser.add_argument("--drop-every", type=int, default=25)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def _postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1", "test"}:
        sys.exit(f"refusing to use the database {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    args = _args()
    data_dir = Path(tempfile.mkdtemp(prefix="hamseda-bench-delivery-"))
    os.environ["HAMSEDA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-delivery-" + "x" * 40)
    # Tasks queued on commit go to an in-memory broker nobody reads: the threads
    # below are the workers.
    os.environ["HAMSEDA_BROKER_URL"] = "memory://"
    os.environ.pop("HAMSEDA_REDIS_URL", None)
    if args.database_url:
        _postgres(args.database_url)
        os.environ["HAMSEDA_DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)

    from hamseda.directory.models import Agency, AgencyKind, Office, Province
    from hamseda.social import crypto
    from hamseda.social.fakes import FakeMessenger, ok, rate_limited, slow
    from hamseda.social.fakes import accept_and_drop as dropped
    from hamseda.social.models import (
        Delivery,
        DeliveryStatus,
        Platform,
        Post,
        PostStatus,
        SocialAccount,
    )
    from hamseda.social.services.delivery import deliver
    from hamseda.social.services.posts import post_release

    chat, token = "@bench_channel", "bench-token"
    fakes = {
        Platform.BALE: FakeMessenger("botapi", tokens=[token], chats=[chat]).start(),
        Platform.EITAA: FakeMessenger("eitaayar", tokens=[token], chats=[chat]).start(),
        Platform.RUBIKA: FakeMessenger("rubika", tokens=[token], chats=[chat]).start(),
    }

    # The migrations load the 31 provinces.
    province = Province.objects.filter(name_en="Isfahan").first() or Province.objects.create(
        name="اصفهان", name_en="Isfahan", code="isfahan"
    )
    agency = Agency.objects.create(
        name="اداره کل راه و شهرسازی استان اصفهان", kind=AgencyKind.choices[0][0], province=province
    )
    office = Office.objects.create(name="روابط عمومی راه و شهرسازی", agency=agency)
    accounts = [
        SocialAccount.objects.create(
            office=office,
            platform=platform,
            title=f"کانال {platform}",
            chat_id=chat,
            api_base_url=fake.base_url,
            token_encrypted=crypto.encrypt(token),
            token_hint=crypto.hint(token),
        )
        for platform, fake in fakes.items()
    ]
    for n in range(args.posts):
        post = Post.objects.create(
            office=office,
            text=f"گزارش شماره {n} از پیشرفت طرح‌های راه‌سازی؛ نیم‌فاصله‌ها دست‌نخورده",
            status=PostStatus.DRAFT,
        )
        post.accounts.set(accounts)
        post_release(post)

    ids = list(Delivery.objects.values_list("pk", flat=True))
    latency = args.latency_ms / 1000

    def reply(platform: str, n: int) -> object:
        if platform == Platform.BALE and args.rate_limit_every and n % args.rate_limit_every == 0:
            return rate_limited(1)
        if platform == Platform.EITAA and args.drop_every and n % args.drop_every == 0:
            return dropped()
        return slow(latency) if latency else ok()

    # One scripted answer per publishing call (the fakes answer normally after the script).
    for platform, fake in fakes.items():
        fake.script(*[reply(platform, n) for n in range(1, args.posts + 1)])  # type: ignore[arg-type]

    work = [pk for pk in ids for _ in range(args.duplicates)]
    work.reverse()
    lock = threading.Lock()
    outcomes: Counter[str] = Counter()

    def drain() -> None:
        try:
            while True:
                with lock:
                    if not work:
                        return
                    pk = work.pop()
                result = deliver(pk)
                with lock:
                    outcomes[result] += 1
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=drain) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not threads:  # --threads 0: in this thread (for a profiler)
        drain()
    first_pass = time.perf_counter() - started

    # The rate-limited ones wait at least retry_after; then what is due goes again.
    waiting = Delivery.objects.filter(status=DeliveryStatus.QUEUED).count()
    second: Counter[str] = Counter()
    if waiting:
        time.sleep(1.2)
        for pk in Delivery.objects.filter(status=DeliveryStatus.QUEUED).values_list(
            "pk", flat=True
        ):
            second[deliver(pk)] += 1

    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    received = {str(platform): len(fake.received) for platform, fake in fakes.items()}
    sent_ids = {
        platform: set(
            Delivery.objects.filter(platform=platform, status=DeliveryStatus.SENT).values_list(
                "remote_id", flat=True
            )
        )
        for platform in fakes
    }
    # One message per post per fake: a text carries the post's number.
    duplicates = 0
    for fake in fakes.values():
        texts = Counter(message.text for message in fake.received)
        duplicates += sum(count - 1 for count in texts.values() if count > 1)
    missing = 0
    for platform, fake in fakes.items():
        got = {str(message.message_id) for message in fake.received}
        missing += len(sent_ids[platform] - got)

    print(f"database: {connection.vendor}; {len(ids)} deliveries × {args.duplicates} dispatches")
    print(f"threads: {args.threads}; fake latency {args.latency_ms} ms")
    print(
        f"first pass: {first_pass:.2f} s, {len(ids) / first_pass:.0f} deliveries/s; "
        f"outcomes {dict(outcomes)}"
    )
    print(f"second pass after retry_after: {dict(second)}")
    print(f"final statuses: {dict(statuses)}")
    print(f"messages received per fake: {received}")
    print(f"received more than once: {duplicates}   sent but not received: {missing}")
    for fake in fakes.values():
        fake.stop()
    if duplicates or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
