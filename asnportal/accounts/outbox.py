"""Enqueue tasks after commit without ever losing one when the broker is down."""

import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from .models import OutboxTask

logger = logging.getLogger(__name__)

# What a broker outage looks like to the producer.
BROKER_DOWN = (BrokerError, RedisError, ConnectionError, TimeoutError)
QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def _publish(task_name: str, args: list, kwargs: dict) -> None:
    if current_app.conf.task_always_eager:  # the demo and the tests: run in-process
        current_app.tasks[task_name].apply_async(args=args, kwargs=kwargs)
    else:
        current_app.send_task(task_name, args=args, kwargs=kwargs, retry=True, retry_policy=QUICK_RETRY)


def task_send(task_name: str, args: list, kwargs: dict) -> bool:
    """Send one task now; on a broker outage keep it in the outbox. True when it was sent."""
    try:
        _publish(task_name, args, kwargs)
    except BROKER_DOWN as exc:
        logger.warning("broker unavailable, %s kept in the outbox: %s", task_name, exc)
        OutboxTask.objects.create(
            task_name=task_name, args=list(args), kwargs=dict(kwargs), last_error=str(exc)[:500]
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task(*args, **kwargs)` once the surrounding transaction commits (ids only, JSON-safe)."""
    transaction.on_commit(lambda: task_send(task.name, list(args), kwargs))


def outbox_flush(*, limit: int = 500) -> int:
    """Send again what the outbox holds; rows are locked so two flushers never send one twice."""
    sent = 0
    with transaction.atomic():
        rows = list(OutboxTask.objects.select_for_update(skip_locked=True).order_by("created_at")[:limit])
        for index, row in enumerate(rows):
            try:
                _publish(row.task_name, row.args, row.kwargs)
            except BROKER_DOWN as exc:
                still_waiting = [r.pk for r in rows[index:]]
                OutboxTask.objects.filter(pk__in=still_waiting).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:500]
                )
                break
            row.delete()
            sent += 1
    return sent
