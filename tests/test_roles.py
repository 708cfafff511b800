from django.contrib.auth.models import Group

from meso_clinic.core.roles import ROLE_PERMISSIONS, sync_role_groups


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


def test_a_role_change_makes_cached_permissions_stale_again_when_it_commits(
    reception, django_capture_on_commit_callbacks
):
    """Found in a security review: a request reading the old rows between the change and its commit would
    cache them under the new generation for five minutes. The generation moves again on commit."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from meso_clinic.core.permissions import GENERATION_KEY, clinic_access
    from meso_clinic.core.roles import PHYSICIAN

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        reception.groups.add(Group.objects.get(name=PHYSICIAN))
        during = cache.get(GENERATION_KEY)  # what another request, reading before the commit, would cache under
    for callback in on_commit:
        callback()
    assert cache.get(GENERATION_KEY) > during
    assert "patients.decide_screening" in clinic_access(reception).permissions
