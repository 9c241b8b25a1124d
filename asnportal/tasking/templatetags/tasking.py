"""How a user sees a background job: Menunggu antrean / Sedang berjalan / Selesai / Gagal."""

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

# The four states an officer sees; "sent" (handed to a worker, not started) still reads as queued.
STATES = {
    "pending": (pgettext_lazy("job state", "Queued"), "text-bg-secondary"),
    "sent": (pgettext_lazy("job state", "Queued"), "text-bg-secondary"),
    "running": (pgettext_lazy("job state", "Running"), "text-bg-info"),
    "done": (pgettext_lazy("job state", "Done"), "text-bg-success"),
    "failed": (pgettext_lazy("job state", "Failed"), "text-bg-danger"),
}


@register.inclusion_tag("tasking/_state.html")
def job_state(state: str) -> dict:
    label, css = STATES.get(state, STATES["pending"])
    return {"label": label, "css": css}
