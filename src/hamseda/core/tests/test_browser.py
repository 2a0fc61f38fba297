import pytest
from hamseda.core.tests.browser import chromium_browser, web, log_in, screenshot  # noqa: F401

@pytest.mark.browser
def test_explore(django_db_serialized_rollback, transactional_db, world, web):
    page = web
    reqs = []
    page.context.on("request", lambda r: reqs.append(r.url))
    log_in(page, world.chair)
    print("REQS", reqs)
    print(page.evaluate("getComputedStyle(document.body).fontFamily"))
    print(page.evaluate("document.fonts.ready.then(() => [...document.fonts].map(f => [f.family, f.status]))"))
    page.goto(f"/directory/councils/{world.isfahan_council.pk}/edit/")
    open("/tmp/explore/edit.html","w").write(page.content())
    page.locator("#id_established_on").click()
    page.wait_for_timeout(500)
    open("/tmp/explore/picker.html","w").write(page.content())
    page.screenshot(path="/tmp/explore/picker.png")

@pytest.mark.browser
def test_explore2(django_db_serialized_rollback, transactional_db, world, web):
    log_in(web, world.secretary)
