from django.db import migrations

from asnportal.org.regions import INITIAL_REGIONS, regions_ensure


def seed(apps, schema_editor):
    regions_ensure(apps.get_model("org", "Region"))


def unseed(apps, schema_editor):
    apps.get_model("org", "Region").objects.filter(code__in=[r[0] for r in INITIAL_REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
