"""Translation catalogues: extract the English source strings and keep every catalogue complete.

Each app keeps its own catalogue for its code and its templates:
  core (asnportal/, workforce/, reports/, benchmarks/, templates/ outside the domain apps)
    -> locale/id/LC_MESSAGES/django.po
  recruitment/ + templates/recruitment/ -> recruitment/locale/id/LC_MESSAGES/django.po (same for the others)

  python scripts/i18n.py update APP   add APP's new strings to its catalogue (keeps translations), list gaps
  python scripts/i18n.py check        every string of the project has an Indonesian translation
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ["recruitment", "training", "performance", "feedback"]
# Apps whose strings live in the core catalogue (they have no catalogue of their own).
CORE_DIRS = ["asnportal", "workforce", "reports", "api", "benchmarks"]
LANG = "id"


def sources(app: str) -> list[Path]:
    if app == "core":
        tpl = ROOT / "templates"
        return [ROOT / d for d in CORE_DIRS] + [p for p in tpl.iterdir() if p.name not in DOMAIN_APPS]
    return [ROOT / app, ROOT / "templates" / app]


def catalogue(app: str) -> Path:
    base = ROOT if app == "core" else ROOT / app
    return base / "locale" / LANG / "LC_MESSAGES" / "django.po"


def extract(paths: list[Path]) -> polib.POFile:
    """Run makemessages over a copy of the given files, so no catalogue in the tree is touched."""
    with tempfile.TemporaryDirectory(prefix="asn-i18n-") as tmp:
        tmpdir = Path(tmp)
        for path in paths:
            if not path.exists():
                continue
            files = [path] if path.is_file() else list(path.rglob("*"))
            for f in files:
                if f.is_file() and f.suffix in (".py", ".html", ".txt") and "locale" not in f.parts:
                    target = tmpdir / f.relative_to(ROOT)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(f, target)
        (tmpdir / "locale").mkdir()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="asnportal.settings", PYTHONPATH=str(ROOT))
        env.setdefault("DATABASE_URL", "sqlite:///:memory:")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                LANG,
                "--no-location",
                "--no-obsolete",
                "-v0",
            ],
            cwd=tmpdir,
            env=env,
            check=True,
        )
        po_path = tmpdir / "locale" / LANG / "LC_MESSAGES" / "django.po"
        return polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def update(app: str) -> int:
    found = extract(sources(app))
    path = catalogue(app)
    if path.exists():
        po = polib.pofile(str(path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        po = polib.POFile()
        po.metadata = {
            "Project-Id-Version": f"asnportal-{app}",
            "Language": LANG,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    existing = {key(e): e for e in po}
    wanted = {key(e) for e in found}
    for entry in found:
        if key(entry) not in existing:
            new = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr="", flags=list(entry.flags))
            if entry.msgid_plural:
                new.msgid_plural = entry.msgid_plural
                new.msgstr_plural = {0: ""}
            po.append(new)
    for entry in list(po):
        if key(entry) not in wanted:
            po.remove(entry)
    po.sort(key=lambda e: (e.msgctxt or "", e.msgid))
    po.save(str(path))
    missing = [e for e in po if not translated(e)]
    for e in missing:
        print(f"untranslated: {e.msgid!r}")
    print(f"{path.relative_to(ROOT)}: {len(po)} strings, {len(missing)} untranslated")
    return 1 if missing else 0


def known_translations() -> dict[tuple, polib.POEntry]:
    known: dict[tuple, polib.POEntry] = {}
    for app in ["core", *DOMAIN_APPS]:
        path = catalogue(app)
        if path.exists():
            for entry in polib.pofile(str(path)):
                if translated(entry):
                    known[key(entry)] = entry
    return known


def check() -> list[str]:
    """Every source string in the project, with the ones lacking an Indonesian translation."""
    paths = [*(ROOT / d for d in CORE_DIRS), ROOT / "templates", *(ROOT / app for app in DOMAIN_APPS)]
    found = extract(paths)
    known = known_translations()
    return [e.msgid for e in found if key(e) not in known]


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "update" and len(sys.argv) == 3:
        return update(sys.argv[2])
    if len(sys.argv) == 2 and sys.argv[1] == "check":
        missing = check()
        for msgid in missing:
            print(f"untranslated: {msgid!r}")
        print(f"{len(missing)} untranslated")
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
