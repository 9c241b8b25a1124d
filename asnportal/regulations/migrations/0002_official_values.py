"""Version 1 of each rule kind: today's official values (DESIGN.md §4), national, chained from nothing.

The values are frozen here (not imported), so this migration keeps writing what it wrote.
"""

import datetime as dt
import hashlib
import json

from django.db import migrations
from django.utils import timezone

OFFICIAL = {
    "work_rating": {"above_from": "1.10", "meets_from": "0.90"},
    "curve": {
        "istimewa": [
            {"code": "istimewa.sangat_baik_max", "kind": "max", "predikats": ["sangat_baik"], "share": "0.70"}
        ],
        "baik": [
            {"code": "baik.baik_max", "kind": "max", "predikats": ["baik"], "share": "0.70"},
            {
                "code": "baik.butuh_perbaikan_or_kurang",
                "kind": "some",
                "predikats": ["butuh_perbaikan", "kurang"],
                "share": "0.00",
            },
        ],
        "butuh_perbaikan": [
            {
                "code": "butuh_perbaikan.butuh_perbaikan_min",
                "kind": "min",
                "predikats": ["butuh_perbaikan"],
                "share": "0.60",
            },
            {
                "code": "butuh_perbaikan.sangat_baik_max",
                "kind": "max",
                "predikats": ["sangat_baik"],
                "share": "0.10",
            },
        ],
        "kurang": [
            {"code": "kurang.kurang_min", "kind": "min", "predikats": ["kurang"], "share": "0.60"},
            {
                "code": "kurang.butuh_perbaikan_min",
                "kind": "min",
                "predikats": ["butuh_perbaikan"],
                "share": "0.10",
            },
            {"code": "kurang.sangat_baik_max", "kind": "max", "predikats": ["sangat_baik"], "share": "0.10"},
        ],
        "sangat_kurang": [
            {
                "code": "sangat_kurang.sangat_kurang_min",
                "kind": "min",
                "predikats": ["sangat_kurang"],
                "share": "0.60",
            },
            {
                "code": "sangat_kurang.kurang_or_butuh_perbaikan_min",
                "kind": "min",
                "predikats": ["kurang", "butuh_perbaikan"],
                "share": "0.10",
            },
            {
                "code": "sangat_kurang.sangat_baik_none",
                "kind": "max",
                "predikats": ["sangat_baik"],
                "share": "0.00",
            },
        ],
    },
    "ikm_categories": {"A": "88.31", "B": "76.61", "C": "65.00", "D": "25.00"},
    "skd": {"twk_min": 65, "tiu_min": 80, "tkp_min": 166, "w_skd": "0.40", "w_skb": "0.60"},
    "skb_rubric": {
        "items": [
            {"key": "technical", "label": "Kompetensi teknis", "weight": 40},
            {"key": "managerial", "label": "Kompetensi manajerial dan sosial kultural", "weight": 30},
            {"key": "interview", "label": "Wawancara", "weight": 30},
        ]
    },
}

REASONS = {
    "work_rating": "Nilai awal: ambang capaian hasil kerja (PermenPANRB 6/2022).",
    "curve": "Nilai awal: pola distribusi lampiran PermenPANRB 6/2022.",
    "ikm_categories": "Nilai awal: kategori IKM PermenPANRB 14/2017.",
    "skd": "Nilai awal: ambang SKD KepmenPANRB 651/2023 dan 321/2024; bobot 40/60.",
    "skb_rubric": "Nilai awal: butir SKB 40/30/30.",
}
IN_FORCE_FROM = dt.date(2022, 1, 1)


def _hash(content: dict) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("regulations", "RuleVersion")
    now = timezone.now()
    for kind, parameters in OFFICIAL.items():
        if RuleVersion.objects.filter(kind=kind, region__isnull=True).exists():
            continue
        content = {
            "kind": kind,
            "region": None,
            "number": 1,
            "effective_from": IN_FORCE_FROM.isoformat(),
            "parameters": parameters,
            "reason": REASONS[kind],
            "author": None,
            "created_at": now.isoformat(),
            "previous_hash": "",
        }
        RuleVersion.objects.create(
            kind=kind,
            number=1,
            effective_from=IN_FORCE_FROM,
            parameters=parameters,
            reason=REASONS[kind],
            created_at=now,
            previous_hash="",
            hash=_hash(content),
        )


class Migration(migrations.Migration):
    dependencies = [("regulations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
