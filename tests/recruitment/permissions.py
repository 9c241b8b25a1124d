import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from recruitment.models import (
    ApplicantProfile,
    Application,
    Document,
    Objection,
    ObserverAssignment,
    PanelAssignment,
)

from ..permission_cases import LOGIN, PUBLIC, Case, expect, only
from .factories import make_selection, nik_for


def world(c) -> dict:
    """A region-A selection with the cast applicant's application (advancing to SKB), an objection,
    and the cast observer and panel member assigned."""
    if "rec" in c.objects:
        return c.objects["rec"]
    selection = make_selection(region=c.region_a, created_by=c.users["hr"])
    formation = selection.formations.get()
    user = c.users["applicant"]
    ApplicantProfile.objects.get_or_create(user=user, defaults={"full_name": "Pelamar Uji"})
    application = Application.objects.create(
        selection=selection,
        formation=formation,
        user=user,
        participant_number="2026010001000001",
        full_name="Pelamar Uji",
        nik=nik_for(dt.date(1998, 5, 17), 1),
        birth_date=dt.date(1998, 5, 17),
        status=Application.Status.SKD_PASSED,
    )
    objection = Objection.objects.create(application=application, stage="skd", text="Nilai saya")
    today = timezone.localdate()
    for model, role in ((ObserverAssignment, "observer"), (PanelAssignment, "panel")):
        model.objects.create(
            selection=selection,
            user=c.users[role],
            valid_from=today - dt.timedelta(days=1),
            valid_until=today + dt.timedelta(days=30),
        )
    c.objects["rec"] = {
        "selection": selection,
        "formation": formation,
        "application": application,
        "objection": objection,
    }
    return c.objects["rec"]


def document(c) -> dict:
    world(c)
    profile = ApplicantProfile.objects.get(user=c.users["applicant"])
    doc = Document(profile=profile, kind="ktp", content_type="pdf", size=16)
    doc.file.save("ktp.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    doc.save()
    return {"pk": doc.pk}


def sel(c):
    return {"pk": world(c)["selection"].pk}


def app(c):
    return {"pk": world(c)["application"].pk}


CASES = {
    "recruitment:public_selections": Case(PUBLIC, setup=world),
    "recruitment:public_selection": Case(PUBLIC, kwargs=sel),
    "recruitment:public_ranking": Case(
        PUBLIC, kwargs=lambda c: {"pk": world(c)["selection"].pk, "formation_pk": world(c)["formation"].pk}
    ),
    "recruitment:export": Case(
        PUBLIC, kwargs=lambda c: {"pk": world(c)["selection"].pk, "kind": "ranking", "fmt": "xlsx"}
    ),
    "recruitment:ledger_verify": Case(PUBLIC, setup=world),
    "recruitment:register": Case(PUBLIC),
    "recruitment:apply": Case(only("applicant"), kwargs=sel),
    "recruitment:applicant_dashboard": Case(only("applicant"), setup=world),
    "recruitment:applicant_profile": Case(only("applicant"), setup=world),
    "recruitment:document_upload": Case(only("applicant")),
    # The owner, or HR of a region the applicant applied in; nobody else learns the file exists.
    "recruitment:document_file": Case(expect(404, anonymous=LOGIN, applicant=200, hr=200), kwargs=document),
    "recruitment:objection_file": Case(only("applicant"), kwargs=app),
    "recruitment:hr_selections": Case(only("hr", "hr_other"), setup=world),
    "recruitment:selection_create": Case(only("hr", "hr_other")),
    "recruitment:formation_add": Case(only("hr", hr_other=404), kwargs=sel),
    "recruitment:announcement_create": Case(only("hr", hr_other=404), kwargs=sel),
    "recruitment:hr_selection": Case(only("hr", hr_other=404), kwargs=sel),
    "recruitment:skd_import": Case(only("hr", hr_other=404), kwargs=sel),
    "recruitment:screen": Case(only("hr", hr_other=404), kwargs=app),
    "recruitment:skd_correct": Case(only("hr", hr_other=404), kwargs=app),
    "recruitment:objection_answer": Case(
        only("hr", hr_other=404), kwargs=lambda c: {"pk": world(c)["objection"].pk}
    ),
    "recruitment:observer_home": Case(only("observer"), setup=world),
    "recruitment:observer_selection": Case(only("observer"), kwargs=sel),
    "recruitment:observation_create": Case(only("observer"), kwargs=sel),
    "recruitment:signoff": Case(
        only("observer", status=302), kwargs=sel, method="post", data=lambda c: {"stage": "skd"}
    ),
    "recruitment:panel_queue": Case(only("panel"), setup=world),
    "recruitment:skb_score": Case(only("panel"), kwargs=app),
    "recruitment:conflict_declare": Case(only("panel"), kwargs=app),
}


def _approved_proposal(cast):
    from workforce.models import FormationProposal, FormationProposalRow

    proposal = FormationProposal.objects.create(region=cast.region_a, year=2027, status="approved")
    FormationProposalRow.objects.create(
        proposal=proposal, position=cast.objects["position_a"], unit=cast.unit_a, education="S1", quota=1
    )
    cast.objects["proposal"] = proposal


CASES["recruitment:selection_from_proposal"] = Case(
    only("hr", status=302, hr_other=404),
    method="post",
    setup=_approved_proposal,
    kwargs=lambda c: {"proposal_pk": c.objects["proposal"].pk},
)
