"""The hypothesis settings every fuzz test of the project shares (public forms and imports).

Examples run against the real database, so: no deadline (a query's time varies with the machine),
the health checks for function-scoped fixtures, slow and large data are off, and no explain phase
(it re-runs each failing example hundreds of times against the database)."""

from hypothesis import HealthCheck, Phase, settings

FUZZ = settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ_MORE = settings(FUZZ, max_examples=80)
FUZZ_LESS = settings(FUZZ, max_examples=40)
