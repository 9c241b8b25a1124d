"""The HR officer's token page: create (secret shown once, kept hashed), revoke; scope per region."""

import pytest
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_officer_creates_a_token_seen_once_then_revokes_it(cast):
    client = cast.client("hr")
    response = client.post(
        reverse("api:tokens"),
        {"name": "Sinkron SIASN", "region": cast.region_a.pk, "permissions": ["org:read", "skp:read"]},
    )
    assert response.status_code == 201
    plain = response.context["issued"].plain
    assert plain in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.region, token.permissions, token.created_by) == (
        cast.region_a,
        ["org:read", "skp:read"],
        cast.users["hr"],
    )
    assert plain not in client.get(reverse("api:tokens")).content.decode()
    assert cast.client("hr_other").post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_logs_permission_needs_an_employee_of_the_region(cast):
    client = cast.client("hr")
    data = {"name": "Aplikasi", "region": cast.region_a.pk, "permissions": ["logs:write"]}
    response = client.post(reverse("api:tokens"), data)
    assert response.status_code == 200
    assert "acts_for_nip" in response.context["form"].errors
    other_nip = cast.objects["other_region_employee"].nip
    response = client.post(reverse("api:tokens"), data | {"acts_for_nip": other_nip})
    assert "acts_for_nip" in response.context["form"].errors
    staff = cast.objects["staff_employee"]
    response = client.post(reverse("api:tokens"), data | {"acts_for_nip": staff.nip})
    assert response.status_code == 201
    assert ApiToken.objects.get().user == staff.user
    # The other region's officer cannot pick region A.
    other = cast.client("hr_other").post(reverse("api:tokens"), data | {"acts_for_nip": staff.nip})
    assert "region" in other.context["form"].errors
