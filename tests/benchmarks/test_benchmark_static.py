"""`benchmark` collects the static files itself: a fresh clone's pages find WhiteNoise's manifest."""

from django.templatetags.static import static

from benchmarks.management.commands.benchmark import static_collect


def test_benchmark_collects_the_static_manifest_before_rendering(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    static_collect()
    assert (tmp_path / "staticfiles.json").exists()
    url = static("vendor/bootstrap/bootstrap.min.css")
    assert (
        url.startswith(settings.STATIC_URL)
        and url != settings.STATIC_URL + "vendor/bootstrap/bootstrap.min.css"
    )
