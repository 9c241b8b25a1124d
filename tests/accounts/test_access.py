import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from asnportal.accounts.access import (
    audit_record,
    can_supervise,
    get_employee_for_officer,
    get_in_scope,
    get_subordinate,
    has_role,
    require_role,
    role_keys,
    roles_of,
)
from asnportal.accounts.models import AuditEvent, Role, RoleAssignment
from asnportal.org.models import Employee

from ..clock import days

pytestmark = pytest.mark.django_db


def test_role_keys_derive_staff_and_supervisor(cast):
    assert role_keys(cast.users["staff"]) == {"staff"}
    assert role_keys(cast.users["supervisor"]) == {"staff", "supervisor"}
    assert role_keys(cast.users["hr"]) == {"hr"}


def test_assignment_outside_its_validity_grants_nothing(cast):
    user = cast.users["observer"]
    RoleAssignment.objects.filter(user=user).update(valid_until=days(-1))  # ended yesterday
    user = type(user).objects.get(pk=user.pk)  # fresh object, no cached roles
    assert roles_of(user) == {}
    assert not has_role(user, Role.OBSERVER)
    with pytest.raises(PermissionDenied):
        require_role(user, Role.OBSERVER)


def test_get_in_scope_403_without_role_404_outside_region(cast):
    qs = Employee.objects.all()
    other = cast.objects["other_region_employee"]
    mine = cast.objects["staff_employee"]
    assert get_in_scope(cast.users["hr"], qs, role=Role.HR_OFFICER, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_in_scope(cast.users["hr"], qs, role=Role.HR_OFFICER, pk=other.pk)
    with pytest.raises(PermissionDenied):
        get_in_scope(cast.users["head"], qs, role=Role.HR_OFFICER, pk=mine.pk)


def test_officer_read_of_personal_record_is_audited(cast):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = cast.users["hr"]
    employee = get_employee_for_officer(request, cast.objects["staff_employee"].pk)
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_id, event.ip) == (
        cast.users["hr"],
        "read_personal",
        str(employee.pk),
        "10.1.2.3",
    )
    assert event.region_id == cast.region_a.pk


def test_supervisor_reaches_only_direct_reports(cast):
    staff = cast.objects["staff_employee"]
    assert can_supervise(cast.users["supervisor"], staff)
    assert not can_supervise(cast.users["staff"], cast.objects["supervisor_employee"])
    assert get_subordinate(cast.users["supervisor"], staff.pk) == staff
    with pytest.raises(Http404):
        get_subordinate(cast.users["supervisor"], cast.objects["other_region_employee"].pk)
    with pytest.raises(PermissionDenied):
        get_subordinate(cast.users["hr"], staff.pk)


def test_audit_record_without_request(cast):
    event = audit_record(user=cast.users["panel"], action="score_write", obj=cast.objects["staff_employee"])
    assert event.ip is None and event.user == cast.users["panel"]


def test_client_ip_behind_trusted_proxies(settings):
    from asnportal.accounts.access import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the forged left-most hop is ignored
