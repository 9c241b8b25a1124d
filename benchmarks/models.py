from django.db import models


class BenchmarkRow(models.Model):
    """Scratch table of the benchmark's bare form-validate-and-insert floor view (never shown)."""

    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=100)
    score = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return self.name
