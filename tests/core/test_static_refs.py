"""Every {% static '...' %} a template names is a file of static/: with the manifest storage of
production a missing one is a server error on that page (the workforce pages once asked for a path
their move had changed)."""

import re
from pathlib import Path

from django.conf import settings

STATIC_REF = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def test_every_static_file_a_template_names_exists():
    templates = Path(settings.BASE_DIR) / "templates"
    static = Path(settings.BASE_DIR) / "static"
    refs = {
        (path.relative_to(templates).as_posix(), ref)
        for path in templates.rglob("*.html")
        for ref in STATIC_REF.findall(path.read_text())
    }
    assert len(refs) > 10, "the templates' static references could not be read"
    missing = sorted((tpl, ref) for tpl, ref in refs if not (static / ref).is_file())
    assert not missing, f"static files named by templates but absent: {missing}"
