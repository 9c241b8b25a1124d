import pytest
from django.test import Client

from api import services
from api.models import Permission

ALL = list(Permission.values)


def bearer(plain: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def issue(cast):
    """issue(*permissions, region=..., acts_for=employee) -> the plain token of a new token."""

    def make(*permissions: str, region=None, acts_for=None) -> str:
        region = region or cast.region_a
        permissions = list(permissions) or ALL
        if Permission.LOGS_WRITE in permissions and acts_for is None:
            if region == cast.region_a:
                acts_for = cast.objects["staff_employee"]  # has a user account
            else:
                permissions = [p for p in permissions if p != Permission.LOGS_WRITE]
        issued = services.token_create(
            region=region,
            name="uji",
            permissions=permissions,
            created_by=cast.users["hr"],
            acts_for_nip=acts_for.nip if acts_for is not None else "",
        )
        return issued.plain

    return make


@pytest.fixture
def api_client() -> Client:
    return Client()
