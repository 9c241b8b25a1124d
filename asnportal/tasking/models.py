"""The outbox (one Job per queued task) and the receipts that make a redelivered job a no-op."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One queued task, written in the transaction of the data it belongs to.

    pending: committed, not yet handed to the broker (it was down) · sent: handed over · running:
    a worker has started it · done · failed (last_error says why). The relay sends pending rows, and
    sends again rows left sent or running past the time limit (their worker was lost).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENT = "sent", _("Sent to a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # runs started (deliveries and retries)
    sends = models.PositiveIntegerField(default=0)  # times handed to the broker
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="tasking_job_state"),
            models.Index(fields=["about_type", "about_id"], name="tasking_job_about"),
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.state})"


class Receipt(models.Model):
    """A job's effect that has happened, keyed `job:<job id>` (and an item, for a job of many effects).

    Taken in the transaction of the effect: a twin delivery waits on the unique index, then finds it.
    """

    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("job receipt")
        verbose_name_plural = _("job receipts")

    def __str__(self) -> str:
        return self.key
