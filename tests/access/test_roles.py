"""The roles' rules on whom an act is for: a member acts for themselves, staff name the
member, and entities open in the right office — for every role that acts."""

from __future__ import annotations

import pytest

from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, acting_member, entity_opening
from partage.core.acts.cooperative import InvalidAct


def login(role: Role, *, member: int | None = None, office: str | None = None) -> Principal:
    return Principal(
        user_id=1,
        username=role.value,
        role=role,
        display_name=role.value,
        member_id=None if member is None else member * 10,
        member_number=member,
        office_id=None if office is None else 7,
        office_code=office,
        language=None,
    )


MEMBER = login(Role.MEMBER, member=4)
ADVISER = login(Role.ADVISER, office="cap")
MANAGER = login(Role.OFFICE_MANAGER, office="cap")
ADMIN = login(Role.ADMINISTRATOR)
STAFF = (ADVISER, MANAGER, ADMIN)


def test_a_member_acts_for_themselves_named_or_not() -> None:
    assert acting_member(MEMBER, None, "hire") == 4
    assert acting_member(MEMBER, 4, "hire") == 4


def test_a_member_acting_for_another_is_forbidden_naming_the_field() -> None:
    with pytest.raises(Forbidden) as refused:
        acting_member(MEMBER, 5, "claim expenses")
    assert refused.value.field == "member"
    assert "may claim expenses only for themselves" in refused.value.rule


@pytest.mark.parametrize("staff", STAFF, ids=lambda p: p.role.value)
def test_staff_act_for_the_member_they_name_and_must_name_one(staff: Principal) -> None:
    assert acting_member(staff, 9, "hire") == 9
    with pytest.raises(InvalidAct) as refused:
        acting_member(staff, None, "hire")
    assert refused.value.field == "member"
    assert "say for which member to hire" in refused.value.rule


def test_a_member_opens_an_entity_for_themselves_in_the_office_they_name() -> None:
    assert entity_opening(MEMBER, None, "sea") == ([4], "sea")
    assert entity_opening(MEMBER, [4], "sea") == ([4], "sea")
    with pytest.raises(Forbidden) as refused:
        entity_opening(MEMBER, [4, 5], "sea")
    assert refused.value.field == "holders"
    with pytest.raises(InvalidAct) as missing:
        entity_opening(MEMBER, None, None)
    assert missing.value.field == "office"


@pytest.mark.parametrize("staff", (ADVISER, MANAGER), ids=lambda p: p.role.value)
def test_office_staff_open_entities_in_their_own_office_only(staff: Principal) -> None:
    assert entity_opening(staff, [2, 3], None) == ([2, 3], "cap")
    assert entity_opening(staff, None, "cap") == ([], "cap")
    with pytest.raises(Forbidden) as refused:
        entity_opening(staff, [2], "sea")
    assert refused.value.field == "office"
    assert "you work for office cap" in refused.value.rule


def test_an_administrator_names_the_office() -> None:
    assert entity_opening(ADMIN, [2], "sea") == ([2], "sea")
    with pytest.raises(InvalidAct) as missing:
        entity_opening(ADMIN, [2], None)
    assert missing.value.field == "office"
    assert "say in which office the entity opens" in missing.value.rule
