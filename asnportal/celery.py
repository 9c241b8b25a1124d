import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asnportal.settings")

app = Celery("asnportal")
# Every CELERY_* setting in settings.py configures the app (JSON only, time limits, beat scheduler).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
