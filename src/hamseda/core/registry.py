"""Hooks other apps plug into without ``core`` naming them: demo data, the
national-scale generator and the panels of the home page. An app registers in
its ``AppConfig.ready``; the hooks run in INSTALLED_APPS order, so the directory
comes first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hook:
    app: str
    run: Callable[..., Any]


DEMO_LOADERS: list[Hook] = []
GENERATORS: list[Hook] = []
# A panel is ``run(viewer) -> {"template": ..., **context} | None`` (None: nothing
# to show this viewer); the home page draws them in INSTALLED_APPS order, each
# template reading its data as ``panel.<key>``.
HOME_PANELS: list[Hook] = []


def demo_loader(app: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        DEMO_LOADERS.append(Hook(app, func))
        return func

    return register


def generator(app: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        GENERATORS.append(Hook(app, func))
        return func

    return register


def home_panel(app: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        HOME_PANELS.append(Hook(app, func))
        return func

    return register


def ordered(hooks: list[Hook]) -> list[Hook]:
    from django.conf import settings

    order = {label: i for i, label in enumerate(settings.INSTALLED_APPS)}
    return sorted(hooks, key=lambda hook: order.get(hook.app, len(order)))
