import pytest

from asnportal.regulations.services import official_ensure


@pytest.fixture(autouse=True)
def _official_versions(db):
    """Version 1 of each rule, as the seed migration writes it (a transactional test may flush it)."""
    official_ensure()
