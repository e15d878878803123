"""The per-server admin role is stored, replaced and cleared per server."""

from briefs.admin_roles import get_admin_role, set_admin_role


def test_admin_role_round_trip(db):
    assert get_admin_role(db, 1) is None
    set_admin_role(db, 1, 555, "discord:ana")
    set_admin_role(db, 2, 777, "discord:bo")
    set_admin_role(db, 1, 556, "discord:ana")
    assert get_admin_role(db, 1) == 556
    assert get_admin_role(db, 2) == 777
    set_admin_role(db, 1, None, "discord:ana")
    assert get_admin_role(db, 1) is None
    assert get_admin_role(db, 2) == 777
