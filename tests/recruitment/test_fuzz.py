"""Property-based tests: every public and applicant form of recruitment, and the HR SKD import, under
random and hostile input, driven through the Django test client (routing, request parsing, forms,
services, the database, the templates).

Properties checked on every example:
- never a server error (no 5xx);
- an invalid submission saves nothing (row counts, the profile's fields, stored files and the ledger
  unchanged); a valid one saves exactly what it should;
- every error message is Indonesian (no English sentence once the submitted text is taken out);
- any text shown back is escaped.
Run with `--hypothesis-show-statistics` to see how many examples each property ran.
"""

import datetime as dt
import io
import re
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from asnportal.accounts.models import User
from recruitment import services
from recruitment.models import (
    ApplicantProfile,
    Application,
    Document,
    LedgerEntry,
    Objection,
    SkdScore,
    Stage,
)
from tests.fuzzing import FUZZ, FUZZ_MORE

from .factories import make_application, make_selection, nik_for

pytestmark = pytest.mark.django_db


# --- strategies ----------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE recruitment_application; --",
    "1 OR 1=1",
    "1' OR '1'='1",
    "1; SELECT pg_sleep(5)",
    "UNION SELECT nik FROM recruitment_applicantprofile",
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "\ud800",  # a lone surrogate: sent as invalid UTF-8 bytes
    "{{ 7|add:7 }}{% debug %}",
    "%00%0d%0a",
    '=HYPERLINK("http://x")',
    "../../../../etc/passwd",
    "9" * 40,
    "-1",
    "0",
    "1e9",
    "\u0663",  # ARABIC-INDIC DIGIT THREE
    "NaN",
    "",
    "  ",
]
BAD_NIKS = [
    "",
    "1234",
    "12345678901234567",
    "177101570598000A",
    "1771019905980001",  # day 99
    "1771013213980001",  # month 13
    "1771010002980001",  # day 00
    "1771017302980001",  # 33 + 40 in February
    "1771013002990001",  # 30 February
    "\u0661" * 16,  # Arabic-Indic digits
    "\u00b2" * 16,  # SUPERSCRIPT TWO: isdigit() says yes, int() says no
    "\uff11" * 16,  # FULLWIDTH DIGIT ONE
    "1771 0157 0598 00 01 x",
    "0" * 16,
]
BAD_DATES = [
    "",
    "31-02-1998",
    "1998-02-30",
    "1998-13-01",
    "0000-00-00",
    "9999-99-99",
    "17/05/1998",
    "tomorrow",
    "-1",
]

any_text = st.text(st.characters(blacklist_categories=()), max_size=60)
binary_text = st.one_of(
    st.binary(max_size=60).map(lambda b: b.decode("utf-8", errors="replace")),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.binary(max_size=60).map(lambda b: b.decode("cp1252", errors="replace")),
)
oversized = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "<", "é", "字", "\x00", "9"]), st.integers(201, 6000)
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    any_text,
    binary_text,
    oversized,
    st.sampled_from(HOSTILE).flatmap(lambda h: any_text.map(lambda t: t + h)),
)
clean_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&\"'"), min_size=3, max_size=80
).filter(lambda t: t.strip())


def encode_value(value: str) -> bytes:
    return value.encode("utf-8", errors="surrogatepass")


def post(client: Client, url: str, pairs: list[tuple[str, str]], multipart: bool = False):
    """POST the pairs (duplicates allowed) url-encoded from raw bytes, or as multipart."""
    if multipart:
        data: dict[str, list[str]] = {}
        for k, v in pairs:
            data.setdefault(encode_value(k).decode("utf-8", "replace"), []).append(
                encode_value(v).decode("utf-8", "replace")
            )
        return client.post(url, data)
    body = b"&".join(
        quote_from_bytes(encode_value(k)).encode() + b"=" + quote_from_bytes(encode_value(v)).encode()
        for k, v in pairs
    )
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def shown(value: str) -> str:
    return encode_value(value).decode("utf-8", errors="replace")


def assert_no_error(response) -> None:
    assert response.status_code < 500, response.content[:500]


def assert_escaped(response, values) -> None:
    body = response.content.decode("utf-8", errors="replace")
    for value in values:
        text = shown(value).strip()
        if "<" in text and len(text) > 1:
            assert text not in body, f"unescaped {text[:80]!r} in the page"
    assert "<script>alert" not in body and "<img src=x" not in body and "<svg/onload" not in body


ENGLISH = re.compile(
    r"\b(the|this|must|enter|ensure|please|should|field|value|required|characters|file is|"
    r"is not|already|has|have|select a|upload a|submitted)\b",
    re.IGNORECASE,
)


def error_messages(response) -> list[str]:
    context = response.context or {}
    found: list[str] = []
    form = context.get("form") if hasattr(context, "get") else None
    if form is not None:
        for errors in form.errors.values():
            found += [str(e) for e in errors]
    found += [str(e) for e in (context.get("row_errors") or [])]
    found += [str(m) for m in get_messages(response.wsgi_request)]
    return found


def assert_indonesian(response, sent=()) -> list[str]:
    """Every error message reads as Indonesian once the user's own text is taken out of it."""
    messages = error_messages(response)
    echoes = sorted({shown(v).strip() for v in sent if shown(v).strip()}, key=len, reverse=True)
    for message in messages:
        text = message
        for echo in echoes:
            text = text.replace(echo, " ")
        assert not ENGLISH.search(text), f"English message: {message[:200]!r}"
    return messages


@st.composite
def hostile_pairs(draw, fields: dict) -> list[tuple[str, str]]:
    """Each field kept valid, made hostile, dropped or duplicated; plus junk fields."""
    pairs = []
    for name, valid in fields.items():
        mode = draw(st.sampled_from(["valid", "valid", "valid", "hostile", "missing", "duplicate"]))
        if mode == "missing":
            continue
        pairs.append((name, draw(valid if mode != "hostile" else hostile_text)))
        if mode == "duplicate":
            pairs.append((name, draw(hostile_text)))
    junk = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(["csrfmiddlewaretoken", "id", "user", "pk"]), any_text),
                hostile_text,
            ),
            max_size=2,
        )
    )
    return draw(st.permutations(pairs + junk))


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(cast, media):
    """A selection open for registration and objections, and one in another region."""
    now = timezone.now()
    selection = make_selection(
        region=cast.region_a,
        quota=2,
        formations=2,
        created_by=cast.users["hr"],
        objection_opens=now - dt.timedelta(days=1),
        objection_closes=now + dt.timedelta(days=5),
    )
    other = make_selection(region=cast.region_b)
    return {"selection": selection, "other": other}


def stored_files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def applicant_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def complete_profile(user, n: int = 1) -> ApplicantProfile:
    birth = dt.date(1997, 3, 9)
    profile, _ = ApplicantProfile.objects.get_or_create(user=user, defaults={"full_name": "Rina"})
    return services.applicant_profile_update(
        profile=profile,
        full_name="Rina Marlina",
        nik=nik_for(birth, n),
        birth_date=birth,
        address="Jl. Sudirman 10, Bengkulu",
        phone="081234567890",
        education="S1 Psikologi",
    )


# --- registration (public) -----------------------------------------------------------------------------

emails = st.builds(lambda u: f"fuzz-{u.hex[:12]}@example.id", st.uuids())
passwords = st.sampled_from(["Kuat-Sekali-2026!", "Rahasia#Pelamar99", "x", "12345678", "password"])


@FUZZ_MORE
@given(data=st.data(), multipart=st.booleans())
def test_registration_never_errors_and_creates_one_account_or_nothing(world, data, multipart):
    password = data.draw(passwords)
    fields = {
        "full_name": clean_text,
        "email": emails,
        "password": st.just(password),
        "password_again": st.just(password),
    }
    pairs = data.draw(hostile_pairs(fields))
    before = (User.objects.count(), ApplicantProfile.objects.count())
    response = post(Client(), reverse("recruitment:register"), pairs, multipart)
    assert_no_error(response)
    after = (User.objects.count(), ApplicantProfile.objects.count())
    if response.status_code == 302:
        assert after == (before[0] + 1, before[1] + 1)
        user = User.objects.order_by("-pk").first()
        assert user.has_usable_password() and user.username == user.email
    else:
        assert response.status_code == 200
        assert after == before
        assert_indonesian(response, [v for _k, v in pairs])
        assert_escaped(response, [v for _k, v in pairs])


def test_registering_the_same_email_twice_in_other_case_is_refused_in_indonesian(world):
    pairs = [("full_name", "Ani"), ("email", "ani@example.id")]
    pairs += [("password", "Kuat-Sekali-2026!"), ("password_again", "Kuat-Sekali-2026!")]
    assert post(Client(), reverse("recruitment:register"), pairs).status_code == 302
    before = User.objects.count()
    pairs[1] = ("email", " ANI@Example.ID ")
    response = post(Client(), reverse("recruitment:register"), pairs)
    assert response.status_code == 200 and User.objects.count() == before
    assert "sudah" in " ".join(assert_indonesian(response)).lower()


# --- applicant profile ---------------------------------------------------------------------------------


def profile_state(profile_pk: int) -> tuple:
    p = ApplicantProfile.objects.get(pk=profile_pk)
    return (p.full_name, p.nik, p.birth_date, p.address, p.phone, p.education)


@st.composite
def profile_fields(draw) -> dict:
    birth = draw(st.dates(dt.date(1960, 1, 1), dt.date(2007, 12, 31)))
    female = draw(st.booleans())
    n = draw(st.integers(1, 9998))
    nik = nik_for(birth, n, female=female)
    return {
        "full_name": st.just(draw(clean_text)[:200]),
        "nik": st.sampled_from([nik, f" {nik[:8]} {nik[8:]} "])
        if draw(st.booleans())
        else st.sampled_from(BAD_NIKS),
        "birth_date": st.sampled_from([birth.isoformat()] * 3 + BAD_DATES),
        "address": st.just(draw(clean_text)),
        "phone": st.sampled_from(["081234567890", "+62 812 3456 7890", "0" * 21]),
        "education": st.just(draw(clean_text)[:200]),
    }


@FUZZ_MORE
@given(data=st.data(), multipart=st.booleans())
def test_profile_form_never_errors_and_saves_only_a_valid_nik_matching_the_birth_date(world, data, multipart):
    user = User.objects.get(username="pelamar")
    profile = ApplicantProfile.objects.get_or_create(user=user, defaults={"full_name": "Awal"})[0]
    pairs = data.draw(hostile_pairs(data.draw(profile_fields())))
    before = profile_state(profile.pk)
    response = post(applicant_client(user), reverse("recruitment:applicant_profile"), pairs, multipart)
    assert_no_error(response)
    if response.status_code == 302:
        saved = ApplicantProfile.objects.get(pk=profile.pk)
        assert len(saved.nik) == 16 and saved.nik.isascii() and saved.nik.isdigit()
        assert saved.is_complete and "\x00" not in saved.address
    else:
        assert response.status_code == 200
        assert profile_state(profile.pk) == before
        assert_indonesian(response, [v for _k, v in pairs])
        assert_escaped(response, [v for _k, v in pairs])


# --- apply ---------------------------------------------------------------------------------------------


@FUZZ
@given(
    choice=st.one_of(st.sampled_from(["first", "second", "other_region"]), hostile_text),
    duplicate=st.booleans(),
)
def test_apply_never_errors_and_creates_one_application_or_nothing(world, cast, choice, duplicate):
    selection, other = world["selection"], world["other"]
    user = User.objects.get(username="pelamar")
    complete_profile(user)
    formations = list(selection.formations.order_by("pk"))
    value = {
        "first": str(formations[0].pk),
        "second": str(formations[1].pk),
        "other_region": str(other.formations.get().pk),
    }.get(choice, choice)
    pairs = [("formation", value)] + ([("formation", str(formations[1].pk))] if duplicate else [])
    before = (Application.objects.count(), LedgerEntry.objects.count())
    response = post(applicant_client(user), reverse("recruitment:apply", args=[selection.pk]), pairs)
    assert_no_error(response)
    if response.status_code == 302:
        assert (Application.objects.count(), LedgerEntry.objects.count()) == (before[0] + 1, before[1] + 1)
        application = Application.objects.get(user=user, selection=selection)
        assert application.formation_id in {f.pk for f in formations}
        application.delete()  # the next example applies afresh (the ledger entry stays, append-only)
    else:
        assert (Application.objects.count(), LedgerEntry.objects.count()) == before
        assert_indonesian(response, [value])
        assert_escaped(response, [value])


def test_apply_with_a_formation_id_beyond_bigint_is_a_clear_error(world):
    user = User.objects.get(username="pelamar")
    complete_profile(user)
    response = post(
        applicant_client(user),
        reverse("recruitment:apply", args=[world["selection"].pk]),
        [("formation", "9" * 30)],
    )
    assert response.status_code == 200 and not Application.objects.exists()
    assert assert_indonesian(response)


def test_apply_to_a_selection_id_beyond_bigint_is_404(world):
    user = User.objects.get(username="pelamar")
    response = applicant_client(user).get(f"/rekrutmen/seleksi/{'9' * 30}/lamar/")
    assert response.status_code == 404


# --- objection -----------------------------------------------------------------------------------------


@FUZZ_MORE
@given(data=st.data(), multipart=st.booleans())
def test_objection_never_errors_and_files_one_objection_or_nothing(world, data, multipart):
    selection = world["selection"]
    application = Application.objects.filter(selection=selection).first()
    if application is None:
        application = make_application(selection.formations.first())
    fields = {"stage": st.sampled_from([s.value for s in Stage]), "text": clean_text}
    pairs = data.draw(hostile_pairs(fields))
    before = (Objection.objects.count(), LedgerEntry.objects.count())
    client = applicant_client(application.user)
    response = post(client, reverse("recruitment:objection_file", args=[application.pk]), pairs, multipart)
    assert_no_error(response)
    if response.status_code == 302:
        assert (Objection.objects.count(), LedgerEntry.objects.count()) == (before[0] + 1, before[1] + 1)
        objection = Objection.objects.order_by("-pk").first()
        assert objection.text and "\x00" not in objection.text
        page = client.get(reverse("recruitment:applicant_dashboard"))
        assert page.status_code == 200
        assert_escaped(page, [objection.text])
    else:
        assert response.status_code == 200
        assert (Objection.objects.count(), LedgerEntry.objects.count()) == before
        assert_indonesian(response, [v for _k, v in pairs])
        assert_escaped(response, [v for _k, v in pairs])


def test_objection_to_someone_elses_application_is_404(world):
    mine = make_application(world["selection"].formations.first())
    theirs = make_application(world["selection"].formations.first())
    response = post(
        applicant_client(mine.user),
        reverse("recruitment:objection_file", args=[theirs.pk]),
        [("stage", "skd"), ("text", "curang")],
    )
    assert response.status_code == 404 and not Objection.objects.exists()


# --- document upload -----------------------------------------------------------------------------------


def real_png(size=(3, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def real_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(out, "JPEG")
    return out.getvalue()


REAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAGIC = {
    "pdf": b"%PDF-1.7\n",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "zip": b"PK\x03\x04",
    "exe": b"MZ\x90\x00",
    "html": b"<html><script>alert(1)</script>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "none": b"",
}
file_bodies = st.one_of(
    st.sampled_from(["real_pdf", "real_png", "real_jpeg"]).map(
        lambda k: {"real_pdf": REAL_PDF, "real_png": real_png(), "real_jpeg": real_jpeg()}[k]
    ),
    st.tuples(st.sampled_from(list(MAGIC.values())), st.binary(max_size=3000)).map(lambda t: t[0] + t[1]),
    st.binary(max_size=2000),
    st.sampled_from([b"", b"%PDF", b"%PDF-1.4\n" + b"\x00" * 4000, real_png()[:40], real_jpeg()[:-20]]),
)
file_names = st.one_of(
    st.sampled_from(
        [
            "ktp.pdf",
            "foto.jpg",
            "foto.png",
            "ijazah.PDF",
            "a.exe",
            "x.pdf.exe",
            "../../etc/passwd",
            ".htaccess",
            "a" * 300 + ".pdf",
        ]
    ),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters='\x00/\\\r\n"'),
        min_size=1,
        max_size=40,
    ),
)
claimed_types = st.sampled_from(
    ["application/pdf", "image/jpeg", "image/png", "text/html", "application/octet-stream"]
)


@FUZZ_MORE
@given(
    body=file_bodies,
    name=file_names,
    content_type=claimed_types,
    kind=st.one_of(st.sampled_from([k.value for k in Document.Kind]), hostile_text),
    send_file=st.booleans(),
)
def test_document_upload_keeps_only_real_pdf_jpeg_or_png(
    world, media, body, name, content_type, kind, send_file
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = User.objects.get(username="pelamar")
    files_before, count_before = stored_files(media), Document.objects.count()
    data = {"kind": shown(kind)}  # a lone surrogate goes out as the bytes a broken client sends
    if send_file:
        data["file"] = SimpleUploadedFile(name, body, content_type=content_type)
    client = applicant_client(user)
    response = client.post(reverse("recruitment:document_upload"), data)
    assert_no_error(response)
    if response.status_code == 302:
        assert Document.objects.count() == count_before + 1
        document = Document.objects.order_by("-pk").first()
        stored = (media / document.file.name).read_bytes()
        assert stored == body and document.size == len(body)
        if document.content_type == "pdf":
            assert stored.startswith(b"%PDF") and b"%%EOF" in stored[-2048:]
        else:
            Image.open(io.BytesIO(stored)).verify()
        assert document.file.name.rsplit("/", 1)[-1].startswith(document.kind)
        document.file.delete(save=False)
        document.delete()
    else:
        assert response.status_code == 200
        assert Document.objects.count() == count_before and stored_files(media) == files_before
        assert_indonesian(response, [kind, name])
        assert_escaped(response, [kind, name])


def test_pdf_header_followed_by_garbage_is_refused(world, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = User.objects.get(username="pelamar")
    response = applicant_client(user).post(
        reverse("recruitment:document_upload"),
        {"kind": "ktp", "file": SimpleUploadedFile("ktp.pdf", b"%PDF-1.5\n" + bytes(range(256)) * 20)},
    )
    assert response.status_code == 200 and not Document.objects.exists() and stored_files(media) == set()
    assert "rusak" in " ".join(assert_indonesian(response))


def test_truncated_png_and_empty_and_oversize_files_are_refused(world, media, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_MAX_BYTES = 10_000
    client = applicant_client(User.objects.get(username="pelamar"))
    for body in (real_png((40, 40))[:60], b"", b"%PDF-1.4\n" + b" " * 20_000 + b"%%EOF"):
        response = client.post(
            reverse("recruitment:document_upload"),
            {"kind": "foto", "file": SimpleUploadedFile("f.png", body)},
        )
        assert response.status_code == 200
        assert assert_indonesian(response)
    assert not Document.objects.exists() and stored_files(media) == set()


def test_an_image_declaring_a_gigantic_canvas_is_refused(world, media):
    """A PNG header claiming 100,000 x 100,000 pixels (a decompression bomb) is never decoded."""
    import struct
    import zlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")
    response = applicant_client(User.objects.get(username="pelamar")).post(
        reverse("recruitment:document_upload"), {"kind": "foto", "file": SimpleUploadedFile("bom.png", png)}
    )
    assert response.status_code == 200 and not Document.objects.exists()


# --- the HR SKD import (CSV) ---------------------------------------------------------------------------


@pytest.fixture
def scored(world, cast):
    """Six screened-in applicants of the open selection, numbers P... (see factories)."""
    formation = world["selection"].formations.first()
    apps = [make_application(formation, by=cast.users["hr"]) for _ in range(6)]
    return {"selection": world["selection"], "numbers": [a.participant_number for a in apps]}


def import_post(client, selection, content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("recruitment:skd_import", args=[selection.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def skd_state() -> tuple[int, int]:
    return SkdScore.objects.count(), LedgerEntry.objects.count()


@st.composite
def score_csv(draw, numbers: list[str]) -> tuple[bytes, int]:
    """A CAT file: a header or not, rows valid or broken, any delimiter and encoding."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    cell = st.one_of(
        st.integers(0, 150).map(str),
        st.integers(-5, 400).map(str),
        st.sampled_from(["", "abc", "1.5", "1e3", " 80 ", "\u0663", "9" * 30, "=1+1", "<b>1</b>"]),
    )
    number = st.one_of(st.sampled_from(numbers), st.sampled_from(["", "P0000000", "X", "<script>"]), any_text)
    rows = draw(st.lists(st.tuples(number, cell, cell, cell), max_size=8))
    lines = [delimiter.join(["nomor_peserta", "twk", "tiu", "tkp"])] if draw(st.booleans()) else []
    lines += [delimiter.join(r) for r in rows]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return text.encode(encoding, errors="replace"), len(rows)


@FUZZ_MORE
@given(data=st.data(), name=st.sampled_from(["hasil.csv", "hasil.txt", "hasil.xlsx", "hasil", "hasil.pdf"]))
def test_skd_csv_import_is_all_or_nothing_and_never_errors(scored, cast, data, name):
    content, _rows = data.draw(
        st.one_of(score_csv(scored["numbers"]), st.binary(max_size=3000).map(lambda b: (b, 0)))
    )
    before = skd_state()
    response = import_post(cast.client("hr"), scored["selection"], content, name)
    assert_no_error(response)
    if response.status_code == 302:
        added = SkdScore.objects.count() - before[0]
        assert added > 0 and LedgerEntry.objects.count() - before[1] == added
    else:
        assert response.status_code in (200, 400)
        assert skd_state() == before
        errors = assert_indonesian(response, re.split(r"[,;\t|\r\n]", content.decode("utf-8", "replace")))
        assert errors
        assert_escaped(response, [content.decode("utf-8", "replace")[:200]])


def test_a_csv_line_longer_than_the_csv_modules_limit_is_a_clear_message(scored, cast):
    """Regression: csv.Error "field larger than field limit" escaped as a 500."""
    content = b'nomor,twk,tiu,tkp\n"' + b"P" * 200_000 + b'",1,2,3\n'
    response = import_post(cast.client("hr"), scored["selection"], content, "hasil.csv")
    assert response.status_code == 400 and skd_state()[0] == 0
    assert "terlalu panjang" in " ".join(assert_indonesian(response))


def test_an_import_with_100000_bad_rows_shows_a_bounded_error_list(scored, cast):
    content = "\n".join(f"X{i},1,2,3" for i in range(100_000)).encode()
    response = import_post(cast.client("hr"), scored["selection"], content, "hasil.csv")
    assert response.status_code == 400 and skd_state()[0] == 0
    assert len(response.context["row_errors"]) == 101
    assert "100.000" in response.context["row_errors"][-1] or "99.900" in response.context["row_errors"][-1]


def test_csv_with_nul_bytes_and_utf16_are_refused_in_indonesian(scored, cast):
    for content in (b"nomor,twk\nP1,\x00,1,1\n", "nomor,twk,tiu,tkp\nP1,1,1,1\n".encode("utf-16")):
        response = import_post(cast.client("hr"), scored["selection"], content, "hasil.csv")
        assert response.status_code == 400 and skd_state()[0] == 0
        assert assert_indonesian(response)


def test_a_valid_csv_with_every_number_imports_every_row(scored, cast):
    lines = ["Nomor Peserta;TWK;TIU;TKP"] + [f"{n};100;120;180" for n in scored["numbers"]]
    response = import_post(
        cast.client("hr"), scored["selection"], "\r\n".join(lines).encode("utf-8-sig"), "cat.csv"
    )
    assert response.status_code == 302
    assert skd_state()[0] == len(scored["numbers"])


def test_importing_an_hostile_participant_number_shows_it_escaped(scored, cast):
    content = b'"<script>alert(1)</script>",1,1,1\n'
    response = import_post(cast.client("hr"), scored["selection"], content, "hasil.csv")
    assert response.status_code == 400
    assert_escaped(response, ["<script>alert(1)</script>"])


def test_hostile_characters_in_text_fields_never_reach_a_query_unparameterised(world):
    # A SQL fragment as a name is stored verbatim (parameterised queries) and the tables survive.
    user = User.objects.get(username="pelamar")
    profile = complete_profile(user)
    services.applicant_profile_update(
        profile=profile,
        full_name="'; DROP TABLE recruitment_application; --",
        nik=profile.nik,
        birth_date=profile.birth_date,
        address=profile.address,
        phone=profile.phone,
        education=profile.education,
    )
    assert ApplicantProfile.objects.get(pk=profile.pk).full_name.startswith("';")
    assert Application.objects.count() == 0


def test_a_nik_of_superscript_or_arabic_digits_is_a_message_not_a_500(world):
    """Regression: "²" passes str.isdigit() and then broke int() inside nik_parse (a 500)."""
    user = User.objects.get(username="pelamar")
    profile = ApplicantProfile.objects.get_or_create(user=user, defaults={"full_name": "Awal"})[0]
    for nik in ("\u00b2" * 16, "\u0661" * 16, "1771\u00b2" + "1" * 11):
        pairs = [("full_name", "Rina"), ("nik", nik), ("birth_date", "2011-11-11"), ("address", "Jl. A")]
        pairs += [("phone", "0812"), ("education", "S1")]
        response = post(applicant_client(user), reverse("recruitment:applicant_profile"), pairs)
        assert response.status_code == 200
        assert "16 angka" in " ".join(assert_indonesian(response))
    assert ApplicantProfile.objects.get(pk=profile.pk).nik == ""


def test_a_nik_typed_in_groups_is_accepted_and_stored_as_16_digits(world):
    user = User.objects.get(username="pelamar")
    birth = dt.date(1998, 5, 17)
    nik = nik_for(birth, 42, female=True)
    grouped = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    pairs = [("full_name", "Rina"), ("nik", grouped), ("birth_date", birth.isoformat()), ("address", "Jl. A")]
    pairs += [("phone", "0812"), ("education", "S1")]
    response = post(applicant_client(user), reverse("recruitment:applicant_profile"), pairs)
    assert response.status_code == 302, error_messages(response)
    assert ApplicantProfile.objects.get(user=user).nik == nik


def test_an_email_longer_than_a_username_is_a_field_message(world):
    email = "a" * 140 + "@example.id"
    pairs = [("full_name", "Ani"), ("email", email), ("password", "Kuat-Sekali-2026!")]
    pairs += [("password_again", "Kuat-Sekali-2026!")]
    response = post(Client(), reverse("recruitment:register"), pairs)
    assert response.status_code == 200 and not User.objects.filter(email=email).exists()
    assert response.context["form"].errors["email"]
