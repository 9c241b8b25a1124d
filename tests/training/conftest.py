import pytest


@pytest.fixture(autouse=True)
def _training_reference(request):
    """Competencies and beat schedules come from a data migration; a transactional test's flush
    (ours or another app's) removes them, so put them back for every training test."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")  # the database as the test's marker asks
    from training.seeds import training_reference_ensure

    training_reference_ensure()
