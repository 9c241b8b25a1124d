"""The first three regions, seeded by data migration (and re-ensured by tests after a flush)."""

INITIAL_REGIONS = [
    # code, name, kind, time zone
    ("bengkulu", "Provinsi Bengkulu", "provinsi", "Asia/Jakarta"),
    ("sorong", "Kabupaten Sorong", "kabupaten", "Asia/Jayapura"),
    ("bungo", "Kabupaten Bungo", "kabupaten", "Asia/Jakarta"),
]


def regions_ensure(region_model) -> None:
    """Create or refresh the initial regions (takes the model so the migration can pass its historical one)."""
    for code, name, kind, tz in INITIAL_REGIONS:
        region_model.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "timezone": tz}
        )
