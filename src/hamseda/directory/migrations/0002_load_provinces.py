"""The 31 provinces of Iran (reference data shipped in directory/data/provinces.csv)."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "provinces.csv"


def load(apps, schema_editor):
    from hamseda.core import persian

    Province = apps.get_model("directory", "Province")
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = persian.normalize(row["name_fa"])
            Province.objects.update_or_create(
                code=slugify(row["name_en"]),
                defaults={
                    "name": name,
                    "name_en": row["name_en"],
                    "capital_en": row["capital_en"],
                    "name_key": persian.compact_key(name),
                    "sort_key": persian.sort_key(name),
                },
            )


def unload(apps, schema_editor):
    Province = apps.get_model("directory", "Province")
    Province.objects.filter(agencies__isnull=True, council__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
