"""The transactional outbox: enqueue in the caller's transaction, deliver after commit, relay what waited."""

import datetime as dt
import logging

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from .models import Job

logger = logging.getLogger(__name__)

# What a broker outage looks like to the producer.
BROKER_DOWN = (BrokerError, RedisError, ConnectionError, TimeoutError)
QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
TASK_ID_PREFIX = "job-"


def task_id_for(job_id: int) -> str:
    """The Celery task id of a job: every delivery of one outbox row carries the same id."""
    return f"{TASK_ID_PREFIX}{job_id}"


def job_id_of(task_id: str | None) -> int | None:
    if task_id and task_id.startswith(TASK_ID_PREFIX) and task_id[len(TASK_ID_PREFIX) :].isdigit():
        return int(task_id[len(TASK_ID_PREFIX) :])
    return None


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _publish(job: Job) -> None:
    if _eager() and task_known(job.task_name):  # the demo and the ordinary tests: run in-process
        current_app.tasks[job.task_name].apply_async(kwargs=job.kwargs, task_id=task_id_for(job.pk))
    else:
        current_app.send_task(
            job.task_name,
            kwargs=job.kwargs,
            task_id=task_id_for(job.pk),
            retry=True,
            retry_policy=QUICK_RETRY,
        )


def task_known(task_name: str) -> bool:
    """Whether a task of that name exists (the apps' tasks modules are discovered on first need)."""
    if task_name not in current_app.tasks:
        current_app.loader.import_default_modules()  # Celery's autodiscovery of <app>.tasks
    return task_name in current_app.tasks


def enqueue(task_name: str, *, about=None, **kwargs) -> Job:
    """Write the job in the caller's transaction; it is delivered once that transaction commits."""
    if not task_known(task_name):
        raise LookupError(f"no task named {task_name!r}")
    job = Job(task_name=task_name, kwargs=kwargs)
    if about is not None:
        job.about_type = ContentType.objects.get_for_model(about)
        job.about_id = about.pk
    job.save()
    job_id = job.pk
    transaction.on_commit(lambda: deliver(job_id))
    return job


def _mark_sent(job: Job) -> None:
    # The row is locked by the sender until it commits: a worker's start waits for this update.
    Job.objects.filter(pk=job.pk).exclude(state__in=[Job.State.DONE, Job.State.FAILED]).update(
        state=Job.State.SENT, sent_at=timezone.now(), sends=F("sends") + 1
    )


def _send(job: Job) -> None:
    """Publish and record the send; raises BROKER_DOWN when the broker does not answer."""
    if _eager():  # the run happens inside _publish: record the send first
        Job.objects.filter(pk=job.pk).update(sent_at=timezone.now(), sends=F("sends") + 1)
        _publish(job)
    else:
        _publish(job)
        _mark_sent(job)


def deliver(job_id: int) -> bool:
    """Hand one pending job to the broker; on an outage it stays pending for the relay. True when sent."""
    if _eager():
        job = Job.objects.filter(pk=job_id, state=Job.State.PENDING).first()
        if job is None:
            return False
        _send(job)
        return True
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True).filter(pk=job_id, state=Job.State.PENDING).first()
        )
        if job is None:
            return False  # the relay holds it, or it was sent already
        try:
            _send(job)
        except BROKER_DOWN as exc:
            logger.warning(
                "broker unavailable, job %s (%s) waits in the outbox: %s", job.pk, job.task_name, exc
            )
            Job.objects.filter(pk=job.pk).update(last_error=str(exc)[:2000])
            return False
    return True


def stale_after_default() -> dt.timedelta:
    """A job handed over longer ago than the task time limit (plus margin) lost its worker."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)


def relay(*, limit: int = 500, stale_after: dt.timedelta | None = None) -> int:
    """Send the jobs that waited for the broker, and again those whose worker was lost. Returns how many.

    Rows are locked (skip locked) so two relays never send one row twice; a twin delivery would be
    harmless anyway (the receipt).
    """
    cutoff = timezone.now() - (stale_after if stale_after is not None else stale_after_default())
    waiting = Q(state=Job.State.PENDING) | Q(
        state__in=[Job.State.SENT, Job.State.RUNNING], sent_at__lte=cutoff
    )
    sent = 0
    with transaction.atomic():
        rows = list(
            Job.objects.select_for_update(skip_locked=True).filter(waiting).order_by("created_at")[:limit]
        )
        for index, job in enumerate(rows):
            try:
                _send(job)
            except BROKER_DOWN as exc:
                Job.objects.filter(pk__in=[r.pk for r in rows[index:]]).update(last_error=str(exc)[:2000])
                break
            sent += 1
    return sent
