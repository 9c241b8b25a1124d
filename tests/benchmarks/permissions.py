from ..permission_cases import Case, expect

# The benchmark's floors: open to anyone where the benchmarks app is installed (tests, `make bench`);
# the app and its URLs do not exist in production (tests/benchmarks/test_installed.py).
CASES = {
    "benchmarks:one_query": Case(expect(200)),
    "benchmarks:insert": Case(expect(200), method="post", data=lambda c: {"name": "x", "score": "3"}),
}
