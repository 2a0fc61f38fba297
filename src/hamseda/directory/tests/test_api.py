import json
import pytest
from rest_framework.test import APIClient

def show(r):
    try:
        print(r.status_code, json.dumps(r.json(), ensure_ascii=False)[:600])
    except Exception:
        print(r.status_code, r.content.decode()[:3000])

def test_probe(world):
    c = APIClient()
    show(c.get("/api/v1/me/"))
    show(c.get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc"))
    show(c.get("/api/docs/"))
    for i in range(6):
        c.post("/api/v1/auth/token/", {"username": "chair", "password": "bad"}, format="json")
    show(c.post("/api/v1/auth/token/", {"username": "chair", "password": "pass-1404-word"}, format="json"))
    c.force_authenticate(world.chair)
    show(c.get("/api/v1/agencies/99999999999999999999/"))
    show(c.patch(f"/api/v1/agencies/{world.chair_office.agency.pk}/", {"parent": 10**20}, format="json"))
    show(c.post(f"/api/v1/councils/{world.isfahan_council.pk}/members/", {"office": 10**20, "role": "member"}, format="json"))
    for u in ["/api/v1/offices/?province=99999999999999999999","/api/v1/people/?office=99999999999999999999","/api/v1/people/?office=-99999999999999999999","/api/v1/people/99999999999999999999/", "/api/v1/offices/99999999999999999999/","/api/v1/councils/99999999999999999999/"]:
        try:
            show(c.get(u))
        except Exception as e:
            print(u, "EXC", type(e))
    show(c.delete(f"/api/v1/councils/{world.isfahan_council.pk}/members/99999999999999999999/"))
    show(c.get("/api/v1/people/?office=99999999999999999999"))
    show(c.patch(f"/api/v1/councils/{world.isfahan_council.pk}/", {"secretary": 10**20}, format="json"))
