"""The permission matrix: every action × role × (own office / another office of the
same province / an office of another province).

Each cell is written here by hand from DESIGN.md ("Users and what they may do"),
not derived from ``core.policy``: a change to the policy that is not also made
here fails, and so does a new action without its row.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hamseda.core import policy
from hamseda.core.policy import Role, Scope

ROLES = [r.value for r in Role]
# Columns: own office, same province, other province.  Y = allowed, . = refused.
EXPECTED: dict[str, dict[str, str]] = {
    "directory.view": {
        "ministry_centre": "YYY",
        "council_chair": "YYY",
        "council_secretary": "YYY",
        "office_staff": "YYY",
        "partner": "YYY",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "agency.create": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "agency.edit": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "office.edit": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "Y..",
        "admin": "YYY",
    },
    "council.edit": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "council.manage_members": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "person.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "Y..",
        "admin": "YYY",
    },
    "person.create": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "person.edit": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "person.deactivate": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "meeting.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YY.",
        "admin": "YYY",
    },
    "meeting.manage": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "minutes.approve": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "report.submit": {
        "ministry_centre": "...",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "Y..",
        "admin": "YYY",
    },
    "followup.update": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "Y..",
        "admin": "YYY",
    },
    "followup.manage": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "activity.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "activity.edit": {
        "ministry_centre": "Y..",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "Y..",
        "admin": "YYY",
    },
    "activity.join": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YY.",
        "admin": "YYY",
    },
    "activity.merge": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "campaign.view": {
        "ministry_centre": "YYY",
        "council_chair": "YYY",
        "council_secretary": "YYY",
        "office_staff": "YYY",
        "partner": "YYY",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "campaign.manage": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "monitoring.view": {
        "ministry_centre": "YYY",
        "council_chair": "YYY",
        "council_secretary": "YYY",
        "office_staff": "YYY",
        "partner": "YYY",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "monitoring.sources": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "monitoring.clip": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "...",
        "admin": "YYY",
    },
    "monitoring.link": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "evaluation.view": {
        "ministry_centre": "YYY",
        "council_chair": "YYY",
        "council_secretary": "YYY",
        "office_staff": "YYY",
        "partner": "YYY",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "evaluation.view_scores": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "evaluation.manage": {
        "ministry_centre": "YYY",
        "council_chair": "...",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "evaluation.rate": {
        "ministry_centre": "YYY",
        "council_chair": "...",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "evaluation.self_assess": {
        "ministry_centre": "...",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "evaluation.appeal": {
        "ministry_centre": "...",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "evaluation.answer": {
        "ministry_centre": "YYY",
        "council_chair": "...",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "broadcast.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "broadcast.pitch": {
        "ministry_centre": "Y..",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "broadcast.review": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "broadcast.dispatch": {
        "ministry_centre": "...",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "social.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "YY.",
        "partner": "YY.",
        "evaluator": "YYY",
        "admin": "YYY",
    },
    "social.accounts": {
        "ministry_centre": "Y..",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "social.publish": {
        "ministry_centre": "Y..",
        "council_chair": "Y..",
        "council_secretary": "Y..",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "social.joint": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
    "referral.answer": {
        "ministry_centre": "YYY",
        "council_chair": "...",
        "council_secretary": "...",
        "office_staff": "...",
        "partner": "...",
        "evaluator": "...",
        "admin": "YYY",
    },
    "audit.view": {
        "ministry_centre": "YYY",
        "council_chair": "YY.",
        "council_secretary": "YY.",
        "office_staff": "Y..",
        "partner": "Y..",
        "evaluator": "...",
        "admin": "YYY",
    },
}

ISFAHAN, FARS = 10, 20
OWN_OFFICE, FELLOW_OFFICE, FARS_OFFICE = 1, 2, 3
TARGETS = [
    Scope(province_id=ISFAHAN, office_id=OWN_OFFICE),
    Scope(province_id=ISFAHAN, office_id=FELLOW_OFFICE),
    Scope(province_id=FARS, office_id=FARS_OFFICE),
]


def actor(role: str, *, active: bool = True) -> SimpleNamespace:
    """A user of the given role working in the Isfahan office OWN_OFFICE."""
    return SimpleNamespace(
        pk=99,
        is_authenticated=True,
        is_active=active,
        office_id=OWN_OFFICE,
        province_id=ISFAHAN,
        effective_role=role,
    )


def test_matrix_covers_every_action_of_the_policy():
    assert set(EXPECTED) == set(policy.ACTIONS), (
        "actions without a row in the matrix (or rows for removed actions): "
        f"{sorted(set(EXPECTED) ^ set(policy.ACTIONS))}"
    )


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_matrix_row_covers_every_role(action):
    assert set(EXPECTED[action]) == set(ROLES)
    assert all(len(cells) == 3 for cells in EXPECTED[action].values())


CASES = [
    (action, role, column) for action in sorted(EXPECTED) for role in ROLES for column in range(3)
]


@pytest.mark.parametrize(("action", "role", "column"), CASES)
def test_policy_matches_the_matrix(action, role, column):
    # given a user of this role in an Isfahan office, and a record at this distance
    user, target = actor(role), TARGETS[column]
    # when the policy is asked
    allowed = policy.can(user, action, target)
    # then it answers as the matrix says
    assert allowed == (EXPECTED[action][role][column] == "Y"), (
        f"{role} {action} on {['own office', 'same province', 'other province'][column]}"
    )


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_inactive_and_anonymous_users_may_do_nothing(action):
    assert not policy.can(actor(Role.ADMIN, active=False), action, TARGETS[0])
    anonymous = SimpleNamespace(is_authenticated=False, is_active=False)
    assert not policy.can(anonymous, action, TARGETS[0])
    assert not policy.can(None, action, TARGETS[0])


def test_a_record_of_several_offices_is_own_office_for_each_of_them():
    # given a follow-up assigned to the user's office and a fellow office
    shared = Scope(ISFAHAN, None, frozenset({FELLOW_OFFICE, OWN_OFFICE}))
    other = Scope(ISFAHAN, None, frozenset({FELLOW_OFFICE}))
    # then office staff may update it only when their office is among the owners
    assert policy.can(actor(Role.OFFICE_STAFF), "followup.update", shared)
    assert not policy.can(actor(Role.OFFICE_STAFF), "followup.update", other)


def test_national_records_are_reached_only_with_national_reach():
    national = Scope(province_id=None, office_id=77)
    assert policy.can(actor(Role.MINISTRY_CENTRE), "person.view", national)
    assert not policy.can(actor(Role.COUNCIL_CHAIR), "person.view", national)


def test_a_user_without_a_province_does_not_reach_provincial_records_by_province():
    # given a chair whose office has no province (a misconfigured account)
    user = actor(Role.COUNCIL_CHAIR)
    user.province_id = None
    # then records of other offices are out of reach
    assert not policy.can(user, "agency.edit", Scope(ISFAHAN, FELLOW_OFFICE))
    assert policy.can(user, "agency.edit", Scope(ISFAHAN, OWN_OFFICE))


def test_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(LookupError):
        policy.can(actor(Role.ADMIN), "meeting.teleport", TARGETS[0])


@pytest.mark.parametrize(
    ("role", "may_assign"),
    [
        (Role.ADMIN, set(ROLES)),
        (Role.MINISTRY_CENTRE, set(ROLES) - {Role.ADMIN}),
        (Role.COUNCIL_CHAIR, {Role.COUNCIL_SECRETARY, Role.OFFICE_STAFF, Role.PARTNER}),
        (Role.COUNCIL_SECRETARY, {Role.OFFICE_STAFF, Role.PARTNER}),
        (Role.OFFICE_STAFF, set()),
        (Role.PARTNER, set()),
        (Role.EVALUATOR, set()),
    ],
)
def test_nobody_hands_out_a_role_above_their_own(role, may_assign):
    assert set(policy.assignable_roles(actor(role))) == may_assign


@pytest.mark.django_db
def test_records_report_the_scope_the_policy_reads(world):
    # given the personas' records
    isfahan = world.isfahan_council.province_id
    # then each model places itself where the matrix expects it
    assert world.member_office.policy_scope() == Scope(isfahan, world.member_office.pk)
    assert world.member_office.agency.policy_scope() == Scope(isfahan, world.member_office.pk)
    assert world.member_staff.policy_scope() == Scope(isfahan, world.member_office.pk)
    assert world.isfahan_council.policy_scope() == Scope(isfahan, None)
    assert world.ministry.policy_scope() == Scope(None, world.ministry_office.pk)


@pytest.mark.django_db
def test_scope_queryset_lists_exactly_what_can_allows(world):
    # given every person of the world and every persona as viewer
    from hamseda.directory.models import Person

    everyone = list(Person.objects.all())
    for viewer in [world.chair, world.staff, world.evaluator, world.ministry, world.partner]:
        # when the list is narrowed by the policy
        listed = set(
            policy.scope_queryset(
                viewer,
                "person.view",
                Person.objects.all(),
                province_field="office__agency__province_id",
                office_field="office_id",
            ).values_list("pk", flat=True)
        )
        # then it holds exactly the people the single-object check allows
        allowed = {p.pk for p in everyone if policy.can(viewer, "person.view", p)}
        assert listed == allowed, viewer.username
