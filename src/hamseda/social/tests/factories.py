"""Social channels and posts for tests (factory_boy), on top of the ``world``
fixture's offices (``src/hamseda/conftest.py``).

``SocialAccountFactory(office=world.chair_office, platform=Platform.BALE,
base_url=fake_botapi.base_url)`` makes a channel whose bot token ("test-token"
unless ``token=`` says otherwise) is stored encrypted like the service does, and
whose chat is ``@hamseda_test`` (a chat the fakes know). ``PostFactory`` makes a
DRAFT post of that office; pass ``accounts=[...]`` to choose its channels. Release
it with ``services.posts.post_release(post)`` (or ``post_publish_now``) to get its
deliveries.
"""

from __future__ import annotations

import factory

from hamseda.directory.tests.factories import OfficeFactory
from hamseda.social import crypto
from hamseda.social.models import Platform, Post, PostStatus, Protocol, SocialAccount, protocol_of

TOKEN = "test-token"
CHAT = "@hamseda_test"


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount
        exclude = ("token", "base_url")

    office = factory.SubFactory(OfficeFactory)
    platform = Platform.BALE
    title = factory.Sequence(lambda n: f"کانال آزمایشی {n}")
    # Manual platforms have no chat to address and no token.
    chat_id = factory.LazyAttribute(
        lambda o: "" if protocol_of(o.platform) == Protocol.MANUAL else CHAT
    )
    url = ""
    token = factory.LazyAttribute(
        lambda o: "" if protocol_of(o.platform) == Protocol.MANUAL else TOKEN
    )
    base_url = ""
    api_base_url = factory.LazyAttribute(lambda o: o.base_url)
    token_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt(o.token) if o.token else "")
    token_hint = factory.LazyAttribute(lambda o: crypto.hint(o.token) if o.token else "")
    is_active = True


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    text = "پیشرفت ساخت واحدهای نهضت ملی مسکن در اصفهان؛ بازدید از کارگاه‌ها"
    status = PostStatus.DRAFT
    append_hashtags = True

    @factory.post_generation
    def accounts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.accounts.set(list(extracted))
