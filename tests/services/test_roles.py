import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db
def test_groups_exist_after_migrate_with_their_permissions():
    analysts = Group.objects.get(name="Analysts")
    editors = Group.objects.get(name="Editors")
    analyst_perms = set(analysts.permissions.values_list("codename", flat=True))
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    assert {"view_statement", "view_proposal", "view_party"} <= analyst_perms
    assert not any(p.startswith(("add_", "change_", "delete_")) for p in analyst_perms)
    assert {"add_statement", "change_statement", "delete_statement", "add_feed"} <= editor_perms
    assert not any(p.endswith(("_user", "_group", "_permission")) for p in editor_perms)
