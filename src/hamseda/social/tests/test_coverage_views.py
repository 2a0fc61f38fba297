"""The coverage pages and their Excel export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.social.tests.test_coverage import adopt, build_scenario, make_joint


@pytest.fixture
def scenario(world):
    return build_scenario(world)


def test_council_member_sees_the_matrix_of_its_council_in_persian(world, scenario, login):
    response = login(world.member_staff).get(reverse("social:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.chair_office.name in page
    assert world.partner_office.name in page
    assert world.fars_office.name not in page
    # overall 25%, the chair's Bale cell with 2 posts and 150 views, Persian digits
    assert "۲۵٫۰٪" in page
    assert "۲ فرسته" in page
    assert "۱۵۰ بازدید" in page
    assert 'id="id_province"' not in page


def test_ministry_reads_one_line_per_province_then_picks_one(world, scenario, login):
    client = login(world.ministry)
    everything = client.get(reverse("social:coverage")).content.decode()
    assert 'id="id_province"' in everything
    # one line per province, each a link to its matrix; Isfahan's offices at 25%
    isfahan = world.isfahan_council.province
    line = everything[everything.index(f'href="?province={isfahan.pk}"') :]
    line = line[: line.index("</tr>")]
    assert isfahan.name in line
    assert "۲۵٫۰٪" in line
    assert f'href="?province={world.fars_council.province.pk}"' in everything
    assert world.chair_office.name not in everything
    # every office of every province on request
    offices = client.get(reverse("social:coverage"), {"province": "all", "offices": "1"})
    offices = offices.content.decode()
    assert world.fars_office.name in offices
    assert world.chair_office.name in offices
    fars = world.fars_council.province
    one = client.get(reverse("social:coverage"), {"province": fars.pk}).content.decode()
    assert world.fars_office.name in one
    assert world.chair_office.name not in one
    # an unknown province is "all", not an error
    assert client.get(reverse("social:coverage"), {"province": "x"}).status_code == 200


def test_excel_export_is_right_to_left_with_the_matrix_numbers(world, scenario, login):
    response = login(world.chair).get(reverse("social:coverage_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert header[1] == "دستگاه"
    assert header[2] == "بله: وضعیت"
    by_office = {row[1]: row for row in rows[2:-1]}
    chair = by_office[world.chair_office.name]
    assert chair[2:5] == ("فعال", 2, 150)  # Bale
    assert chair[5:8] == ("فعال", 1, None)  # Eitaa
    assert chair[-1] == 50.0
    partner = by_office[world.partner_office.name]
    assert partner[2:5] == ("بدون کانال", 0, None)
    totals = rows[-1]
    assert totals[0] == "جمع"
    assert totals[3:5] == (3, 150)
    assert totals[-1] == 25.0


def test_campaign_coverage_page_shows_each_invited_office(world, scenario, login):
    campaign = make_campaign(world)
    joint = make_joint(world, campaign)
    adopt(joint, world.member_office, scenario.member_bale)
    response = login(world.staff).get(reverse("social:campaign_coverage", args=[campaign.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert joint.title in page
    assert "همه کانال‌ها" in page
    assert "کانال فعال ندارد" in page
    assert "۱ از ۳ دستگاه در همه کانال‌ها" in page
    # and the matrix page links to it
    matrix = login(world.staff).get(reverse("social:coverage")).content.decode()
    assert reverse("social:campaign_coverage", args=[campaign.pk]) in matrix


def test_another_province_cannot_open_a_campaign_coverage(world, scenario, login):
    campaign = make_campaign(world)
    response = login(world.fars_chair).get(reverse("social:campaign_coverage", args=[campaign.pk]))
    # the campaign is shared with every province; its offices' channels are not
    assert response.status_code == 403


def test_coverage_needs_sign_in(client):
    response = client.get(reverse("social:coverage"))
    assert response.status_code == 302


def test_home_panel_shows_the_office_on_the_four_messengers(world, scenario, login):
    page = login(world.staff).get(reverse("home")).content.decode()
    assert "دستگاه شما در پیام‌رسان‌ها" in page
    # Bale and Eitaa active (2 and 1 posts), Rubika and Telegram without a channel
    assert "۲ فرسته" in page
    assert "پوشش ۵۰٪" in page
    assert page.count("بدون کانال") >= 2


def test_home_panel_needs_an_office(world, login):
    page = login(world.admin).get(reverse("home")).content.decode()
    assert "دستگاه شما در پیام‌رسان‌ها" not in page
