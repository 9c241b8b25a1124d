import pytest
import time_machine


@pytest.fixture
def today():
    """Freeze the clock at 2026-11-25 10:00 WIB (the project's 'today')."""
    with time_machine.travel("2026-11-25 03:00:00+00:00", tick=False) as traveller:
        yield traveller
