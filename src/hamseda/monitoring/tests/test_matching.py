"""Matching agencies and campaigns in Persian news (hamseda.monitoring.matching)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hamseda.core.persian import compact_key
from hamseda.monitoring.matching import (
    MIN_JOINED_LENGTH,
    AgencyNames,
    Hit,
    Matcher,
    agency_patterns,
    fold_key,
)

ZWNJ = "\u200c"
DATA = Path(__file__).parent / "data"
# A copy of /work/shared/reference/council-meeting-news.fa.txt: half-spaces stripped.
REFERENCE_NEWS = (DATA / "council-meeting-news.fa.txt").read_text(encoding="utf-8")

ISFAHAN = "اصفهان"
# The council of isfahan-council.csv (ids are the row order), the ministry and its centre.
ISFAHAN_AGENCIES = [
    AgencyNames("roads-urban", "اداره کل راه و شهرسازی استان اصفهان", province=ISFAHAN),
    AgencyNames(
        "road-maintenance", "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان", (), ISFAHAN
    ),
    AgencyNames("railway", "اداره کل راه‌آهن منطقه اصفهان", province=ISFAHAN),
    AgencyNames("airports", "اداره کل فرودگاه‌های استان اصفهان", province=ISFAHAN),
    AgencyNames("meteorology", "اداره کل هواشناسی استان اصفهان", province=ISFAHAN),
    AgencyNames("baharestan", "شرکت عمران شهر جدید بهارستان", province=ISFAHAN),
    AgencyNames("majlesi", "شرکت عمران شهر جدید مجلسی", province=ISFAHAN),
    AgencyNames("fouladshahr", "شرکت عمران شهر جدید فولادشهر", province=ISFAHAN),
    AgencyNames("infrastructure", "مجری طرح‌های زیربنایی حمل و نقل استان اصفهان", (), ISFAHAN),
    AgencyNames("governorate", "استانداری اصفهان", province=ISFAHAN),
    AgencyNames("housing-foundation", "بنیاد مسکن انقلاب اسلامی استان اصفهان", (), ISFAHAN),
    AgencyNames("engineering", "سازمان نظام مهندسی ساختمان استان اصفهان", (), ISFAHAN),
    AgencyNames("broadcaster", "صدا و سیمای مرکز اصفهان", ("شبکه اصفهان",), ISFAHAN),
    AgencyNames("ministry-centre", "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی"),
    AgencyNames("ministry", "وزارت راه و شهرسازی"),
]
HOUSING = ("campaign", "national-housing-movement")
NOWRUZ = ("campaign", "nowruz-travel")
CAMPAIGN_PATTERNS = [
    ("نهضت ملی مسکن", HOUSING),
    ("#نهضت_ملی_مسکن", HOUSING),
    ("سفرهای نوروزی", NOWRUZ),
    ("ستاد سفرهای نوروزی", NOWRUZ),
    ("#سفر_نوروزی", NOWRUZ),
]


def agency(key: str) -> tuple[str, str]:
    return ("agency", key)


@pytest.fixture(scope="module")
def council_matcher() -> Matcher:
    patterns = [*agency_patterns(ISFAHAN_AGENCIES, home_province=ISFAHAN), *CAMPAIGN_PATTERNS]
    return Matcher.build(patterns)


def targets(matcher: Matcher, text: str) -> set[object]:
    return {hit.target for hit in matcher.find(text)}


def one(matcher: Matcher, text: str) -> Hit:
    hits = matcher.find(text)
    assert len(hits) == 1, hits
    return hits[0]


# --- spelling variants -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "جلسه در اداره کل راه و شهرسازی استان اصفهان برگزار شد",  # as the pattern
        "جلسه در اداره كل راه و شهرسازي استان اصفهان برگزار شد",  # Arabic ي and ك
        "جلسه در ادارهکل راه و شهرسازی استان اصفهان برگزار شد",  # half-space dropped
        f"جلسه در اداره{ZWNJ}کل راه و شهرسازی استان اصفهان برگزار شد",  # half-space
        "جلسه در ادارهکلراهوشهرسازیاستاناصفهان برگزار شد",  # every space dropped
        "جلسه در اداره\u00a0کل راه و شهرسازی استان اصفهان برگزار شد",  # no-break space
        "جلسه در اداره  کلِ راه و شهرسازیِ استانِ اصفهان برگزار شد",  # diacritics, 2 spaces
    ],
)
def test_spelling_variants_of_a_name_match_it(text: str) -> None:
    # given
    matcher = Matcher.build([("اداره کل راه و شهرسازی استان اصفهان", "roads")])
    # when
    hit = one(matcher, text)
    # then
    assert hit.target == "roads"
    assert text[hit.first :].startswith("اداره")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (f"راه{ZWNJ}آهن", "قطار راه آهن اصفهان"),  # half-space written as a space
        ("راه آهن", f"قطار راه{ZWNJ}آهن اصفهان"),  # pattern spaced, text half-spaced
        ("راه آهن", "قطار راهآهن اصفهان"),  # pattern spaced, text joined
        ("سامانه ۱۳۷", "با سامانه 137 تماس بگیرید"),  # Persian digits vs Latin
        ("سامانه 137", "با سامانه ١٣٧ تماس بگیرید"),  # Latin vs Arabic-Indic
        ("Isfahan Metro", "the ISFAHAN metro line"),  # Latin case
        ("هیئت دولت", "مصوبهٔ هيئت دولت"),  # Arabic yeh, hamza above
    ],
)
def test_variant_spellings_match(pattern: str, text: str) -> None:
    assert targets(Matcher.build([(pattern, "target")]), text) == {"target"}


def test_folding_agrees_with_compact_key_on_the_reference_report() -> None:
    # The per-character folding must give the project's compact key wherever no
    # sentence punctuation separates the words.
    for line in REFERENCE_NEWS.splitlines():
        for sentence in line.replace("(", ".").replace(")", ".").split("."):
            for part in sentence.replace(":", "؛").split("؛"):
                assert fold_key(part) == compact_key(part)


# --- boundaries --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("قم", "این رقم بالاست"),
        ("قم", "شهر قمصر"),
        ("راه", "راهنما و راهکار"),
        ("اصفهان", "فرش اصفهانی"),
        ("مسکن", "داروی مسکنی"),
        ("شهرسازی", "راهوشهرسازی"),  # 7 letters, glued to the words before it
    ],
)
def test_short_pattern_is_not_found_inside_a_longer_word(pattern: str, text: str) -> None:
    assert Matcher.build([(pattern, "target")]).find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "استان قم، شهر قم و قم.",
        "«قم» و (قم) و قم‌ها و قم؛",
        "قمِ مقدس و قم‌",
    ],
)
def test_short_pattern_is_found_between_separators(text: str) -> None:
    hit = one(Matcher.build([("قم", "qom")]), text)
    assert hit.count == text.count("قم")
    assert hit.first == text.index("قم")


def test_long_pattern_is_found_with_a_suffix_glued_by_a_stripped_half_space() -> None:
    # given: half-spaces stripped, so the plural suffix is glued to the name
    text = "روابطعمومیهای دستگاههای اجرایی و استانداریاصفهانها"
    matcher = Matcher.build([("روابط عمومی", "pr"), ("استانداری اصفهان", "gov")])
    # when / then
    assert targets(matcher, text) == {"pr", "gov"}


def test_the_joined_length_threshold_is_eight_letters() -> None:
    # given: a 7-letter and an 8-letter single word, each glued to a suffix
    seven, eight = "فرودگاه", "هواشناسی"
    assert (len(compact_key(seven)), len(compact_key(eight))) == (7, MIN_JOINED_LENGTH)
    matcher = Matcher.build([(seven, "seven"), (eight, "eight")])
    # when / then
    assert targets(matcher, "فرودگاهها و هواشناسیها") == {"eight"}
    assert targets(matcher, f"فرودگاه{ZWNJ}ها و هواشناسی{ZWNJ}ها") == {"seven", "eight"}


def test_a_name_does_not_match_across_sentence_punctuation() -> None:
    # given
    matcher = Matcher.build([("راه و شهرسازی اصفهان", "directorate"), ("راه و شهرسازی", "x")])
    # when / then: parentheses and full stops are hard separators, commas are not
    assert targets(matcher, "وزارت راه و شهرسازی (اصفهان)") == {"x"}
    assert targets(matcher, "راه و شهرسازی. اصفهان") == {"x"}
    assert targets(matcher, "راه و شهرسازی، اصفهان") == {"directorate"}


# --- overlaps ----------------------------------------------------------------------


def test_longest_pattern_wins_over_its_prefix_for_another_target() -> None:
    # given
    matcher = Matcher.build(
        [("راه و شهرسازی", "field"), ("راه و شهرسازی استان اصفهان", "directorate")]
    )
    text = "راه و شهرسازی استان اصفهان گفت در حوزه راه و شهرسازی کار می‌کند"
    # when
    hits = matcher.find(text)
    # then
    assert hits == [
        Hit("directorate", 1, 0),
        Hit("field", 1, text.rindex("راه و شهرسازی")),
    ]


def test_overlapping_matches_at_different_starts_keep_the_longest() -> None:
    matcher = Matcher.build(
        [("وزارت راه و شهرسازی", "ministry"), ("راه و شهرسازی استان اصفهان", "directorate")]
    )
    assert targets(matcher, "وزارت راه و شهرسازی استان اصفهان") == {"directorate"}
    assert targets(matcher, "وزارت راه و شهرسازی در استان اصفهان") == {"ministry"}


def test_a_boundary_rejected_match_does_not_hide_a_shorter_valid_one() -> None:
    # given: «قم ر» folds to «قمر», found over «قم رقم» but rejected (3 letters, ending
    # inside «رقم»); it overlaps the valid «قم» and is longer
    matcher = Matcher.build([("قم ر", "rejected"), ("قم", "qom")])
    # when / then
    assert matcher.find("قم رقم") == [Hit("qom", 1, 0)]


def test_same_key_for_two_targets_counts_for_both() -> None:
    matcher = Matcher.build([("نهضت ملی مسکن", "campaign"), ("نهضت‌ملی‌مسکن", "programme")])
    assert targets(matcher, "طرح نهضت ملی مسکن") == {"campaign", "programme"}
    assert len(matcher) == 1


def test_nested_patterns_of_one_target_count_once() -> None:
    matcher = Matcher.build([("سفرهای نوروزی", "nowruz"), ("ستاد سفرهای نوروزی", "nowruz")])
    assert matcher.find("در ستاد سفرهای نوروزی") == [Hit("nowruz", 1, 3)]


# --- hashtags ----------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["#نهضت_ملی_مسکن", "نهضت ملی مسکن"])
@pytest.mark.parametrize(
    "text",
    [
        "پیشرفت #نهضت_ملی_مسکن در استان",
        "پیشرفت نهضت ملی مسکن در استان",
        "پیشرفت #نهضت_ملي_مسكن در استان",
        "پیشرفت #نهضتملیمسکن در استان",
    ],
)
def test_hashtag_and_keyword_match_each_other(pattern: str, text: str) -> None:
    hit = one(Matcher.build([(pattern, "housing")]), text)
    assert text[hit.first :].lstrip("#").startswith("نهضت")


# --- counts, offsets, order --------------------------------------------------------


def test_counts_offsets_and_order() -> None:
    # given
    matcher = Matcher.build([("استانداری اصفهان", "gov"), ("نهضت ملی مسکن", "housing")])
    text = (
        "نهضت ملی مسکن در استانداری اصفهان بررسی شد؛ "
        "استانداري اصفهان و #نهضت_ملی_مسکن و استانداری‌ اصفهان."
    )
    # when
    hits = matcher.find(text)
    # then
    assert hits == [Hit("gov", 3, text.index("استانداری")), Hit("housing", 2, 0)]


def test_offsets_are_in_the_original_text_after_dropped_and_expanded_characters() -> None:
    # given: diacritics and half-spaces (dropped) and a lam-alef ligature (ﻻ folds to
    # two letters) before the name
    text = f"اطلاع{ZWNJ}رسانیِ ﻻزم دربارهٔ صدا و سیمای اصفهان"
    matcher = Matcher.build([("صدا و سیمای اصفهان", "irib")])
    # when
    hit = one(matcher, text)
    # then
    assert hit.first == text.index("صدا")


def test_empty_patterns_and_empty_matcher() -> None:
    assert len(Matcher.build([("، .", "nothing")])) == 0
    assert Matcher.build([]).find("هر متنی") == []
    assert Matcher.build([("قم", "qom")]).find("") == []


# --- agency patterns ---------------------------------------------------------------


def forms(agency_names: AgencyNames, home: str | None = None) -> set[str]:
    return {compact_key(p) for p, _ in agency_patterns([agency_names], home_province=home)}


def test_directorate_gets_national_short_forms_that_keep_the_province() -> None:
    directorate = ISFAHAN_AGENCIES[0]
    assert forms(directorate) == {
        compact_key(form)
        for form in [
            "اداره کل راه و شهرسازی استان اصفهان",
            "اداره کل راه و شهرسازی اصفهان",
            "راه و شهرسازی استان اصفهان",
            "راه و شهرسازی اصفهان",
        ]
    }


def test_home_province_adds_local_forms_but_never_the_bare_field() -> None:
    local = forms(ISFAHAN_AGENCIES[0], home=ISFAHAN)
    assert compact_key("راه و شهرسازی استان") in local
    assert compact_key("اداره کل راه و شهرسازی") in local
    assert compact_key("راه و شهرسازی") not in local
    assert forms(ISFAHAN_AGENCIES[0], home="یزد") == forms(ISFAHAN_AGENCIES[0])


def test_governorate_and_ministry_keep_their_names_only() -> None:
    assert forms(ISFAHAN_AGENCIES[9], home=ISFAHAN) == {compact_key("استانداری اصفهان")}
    assert forms(ISFAHAN_AGENCIES[-1]) == {compact_key("وزارت راه و شهرسازی")}


def test_broadcaster_forms() -> None:
    broadcaster = ISFAHAN_AGENCIES[12]
    national = {compact_key(f) for f in ["صداوسیما اصفهان", "صدا و سیمای اصفهان", "شبکه اصفهان"]}
    assert national <= forms(broadcaster)
    assert compact_key("صدا و سیما") not in forms(broadcaster)
    assert compact_key("صدا و سیما") in forms(broadcaster, home=ISFAHAN)


def test_agency_patterns_accept_tuples_objects_and_joined_heads() -> None:
    # given: a plain tuple whose head and province are written with half-spaces
    class Agency:
        id = 7
        name = "اداره‌کل راه و شهرسازی استان چهارمحال‌وبختیاری"
        aliases = ("راه و شهرسازی شهرکرد",)
        province = "چهارمحال و بختیاری"

    as_tuple = (7, Agency.name, Agency.aliases, Agency.province)
    # when
    from_tuple = list(agency_patterns([as_tuple]))
    from_object = list(agency_patterns([Agency()]))
    # then
    assert from_tuple == from_object
    assert {target for _, target in from_tuple} == {("agency", 7)}
    keys = {compact_key(pattern) for pattern, _ in from_tuple}
    assert compact_key("راه و شهرسازی چهارمحال و بختیاری") in keys
    assert compact_key("راه و شهرسازی شهرکرد") in keys


def test_company_without_province_in_its_name_only_loses_its_head() -> None:
    assert forms(ISFAHAN_AGENCIES[5], home=ISFAHAN) == {
        compact_key("شرکت عمران شهر جدید بهارستان"),
        compact_key("عمران شهر جدید بهارستان"),
    }


# --- done when: the reference report -----------------------------------------------

EXPECTED_IN_REFERENCE = {
    # target: the mention as the report writes it (half-spaces stripped)
    agency("ministry-centre"): "مرکز ارتباطات و اطلاعرسانی وزارت راه و شهرسازی",
    agency("roads-urban"): "ادارهکل راه و شهرسازی استان اصفهان",
    agency("governorate"): "استانداری اصفهان",
    agency("engineering"): "نظام مهندسی ساختمان استان",
    agency("broadcaster"): "صدا و سیما",
    agency("ministry"): "وزارت راه و شهرسازی",
    NOWRUZ: "ستاد سفرهای نوروزی",
    HOUSING: "نهضت ملی مسکن",
}


def expected_counts(text: str) -> dict[object, int]:
    ministry_in_centre = text.count(EXPECTED_IN_REFERENCE[agency("ministry-centre")])
    counts: dict[object, int] = {
        target: text.count(mention) for target, mention in EXPECTED_IN_REFERENCE.items()
    }
    counts[agency("ministry")] -= ministry_in_centre  # the centre's name contains it
    return counts


def test_reference_report_matches_the_council_its_campaigns_and_nothing_else(
    council_matcher: Matcher,
) -> None:
    # when
    hits = council_matcher.find(REFERENCE_NEWS)
    # then
    counts = {hit.target: hit.count for hit in hits}
    assert counts == expected_counts(REFERENCE_NEWS)
    assert counts == {
        agency("ministry"): 12,
        agency("ministry-centre"): 5,
        agency("roads-urban"): 2,
        HOUSING: 2,
        agency("governorate"): 1,
        agency("engineering"): 1,
        agency("broadcaster"): 1,
        NOWRUZ: 1,
    }
    for hit in hits:
        mention = EXPECTED_IN_REFERENCE[hit.target]
        assert hit.first == REFERENCE_NEWS.index(mention), hit
    assert hits[0].target == agency("ministry")


def test_reference_report_still_matches_with_every_space_inside_the_names_removed(
    council_matcher: Matcher,
) -> None:
    # given: the names written fully joined, longest first (the ministry's name is
    # inside the centre's)
    text = REFERENCE_NEWS
    for mention in sorted(EXPECTED_IN_REFERENCE.values(), key=len, reverse=True):
        text = text.replace(mention, mention.replace(" ", ""))
    assert "وزارتراهوشهرسازی" in text
    assert "صداوسیما" in text
    # when
    hits = council_matcher.find(text)
    # then
    joined = {t: m.replace(" ", "") for t, m in EXPECTED_IN_REFERENCE.items()}
    assert {hit.target: hit.count for hit in hits} == expected_counts(REFERENCE_NEWS)
    for hit in hits:
        assert text[hit.first :].startswith(joined[hit.target]), hit


def test_reference_report_mentions_of_unrelated_council_members_are_not_matched(
    council_matcher: Matcher,
) -> None:
    # given: the report never names the railway, airports, meteorology, ... but
    # mentions «مسکن», «راهکار», «استانداری» alone; the matcher knows all of them
    unexpected = {agency(a.id) for a in ISFAHAN_AGENCIES} - set(EXPECTED_IN_REFERENCE)
    assert agency("railway") in unexpected
    assert agency("housing-foundation") in unexpected
    # when
    found = targets(council_matcher, REFERENCE_NEWS)
    # then
    assert not found & unexpected
