from django.contrib.auth.models import Group

from meso_clinic.roles import ROLE_PERMISSIONS, sync_role_groups


def perms_of(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_each_role_with_exactly_its_permissions(db):
    for role, codes in ROLE_PERMISSIONS.items():
        assert perms_of(Group.objects.get(name=role)) == set(codes)


def test_sync_takes_back_a_permission_added_by_hand(db):
    group = Group.objects.get(name="Nurse")
    group.permissions.add(Group.objects.get(name="Reception").permissions.get(codename="add_patient"))
    sync_role_groups()
    assert "patients.add_patient" not in perms_of(group)
