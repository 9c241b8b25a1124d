"""One version of the parameters of a §4 rule: dated, per scope (national or one region), append-only.

Each version carries a SHA-256 over its own content and the hash of the previous version of the same
kind and scope, so an edit of any stored row (outside the application, which never updates them)
breaks the chain and shows in `selectors.chain_is_intact`.
"""

import hashlib
import json

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Region


class RuleKind(models.TextChoices):
    WORK_RATING = "work_rating", _("Work-result rating thresholds")
    CURVE = "curve", _("Distribution pattern")
    IKM_CATEGORIES = "ikm_categories", _("IKM categories")
    SKD = "skd", _("SKD thresholds and weights")
    SKB_RUBRIC = "skb_rubric", _("SKB rubric items and weights")


class RuleVersion(models.Model):
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    # No region: the national default; a region's own version replaces it there from its date.
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="rule_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    parameters = models.JSONField(_("parameters"))
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["kind", "region_id", "-number"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "number"], name="rule_version_number_unique", nulls_distinct=False
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="rule_version_has_reason"),
        ]
        indexes = [models.Index(fields=["kind", "region", "effective_from"], name="rule_version_in_force")]
        triggers = [
            pgtrigger.Protect(name="rule_version_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """How a result names the rule it used: "Pola distribusi v2, berlaku 1 Jan 2027"."""
        return str(
            _("%(kind)s v%(number)s, in force from %(date)s")
            % {
                "kind": self.get_kind_display(),
                "number": self.number,
                "date": formats.date_format(self.effective_from, "DATE_FORMAT"),
            }
        )

    def reference(self) -> dict:
        """What a stored result keeps of the version it used (its id, number, date and hash)."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "number": self.number,
            "effective_from": self.effective_from.isoformat(),
            "hash": self.hash,
        }

    def content_hash(self) -> str:
        content = {
            "kind": self.kind,
            "region": self.region_id,
            "number": self.number,
            "effective_from": self.effective_from.isoformat(),
            "parameters": self.parameters,
            "reason": self.reason,
            "author": self.author_id,
            "created_at": self.created_at.isoformat(),
            "previous_hash": self.previous_hash,
        }
        encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()
