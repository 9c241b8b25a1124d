from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The scale dataset, the benchmark and its floor views: installed only when BENCHMARKS is on
    (tests and `make bench`), never in production."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
