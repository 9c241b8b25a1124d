from django.db import migrations

REGIONS = [
    ("bengkulu", "Provinsi Bengkulu", "provinsi", "Asia/Jakarta"),
    ("sorong", "Kabupaten Sorong", "kabupaten", "Asia/Jayapura"),
    ("bungo", "Kabupaten Bungo", "kabupaten", "Asia/Jakarta"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("org", "Region")
    for code, name, kind, tz in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "timezone": tz})


def unseed(apps, schema_editor):
    apps.get_model("org", "Region").objects.filter(code__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
