"""The portal's look is NHS.UK frontend, vendored (docs/frontend.md): no template, no Python that
writes HTML, and no stylesheet names a Bootstrap class or file, and every page loads the
vendored NHS.UK stylesheet and script from this site."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
APPS = ["access", "api", "accounts", "commissioning", "dashboards", "estates", "metrics", "portal", "practices",
        "quality", "returns", "workforce", "demo", "config"]  # fmt: skip
PYTHON = sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)
VENDOR = ROOT / "static" / "vendor" / "nhsuk-frontend"

# Bootstrap 5's own class names (a word of its own inside a class attribute).
BOOTSTRAP_CLASS = re.compile(
    r"^(btn|btn-[a-z-]+|col|col-auto|col-(sm|md|lg|xl|xxl)(-\d+|-auto)?|col-\d+|row|g-[0-5]|gx-[0-5]|gy-[0-5]"
    r"|container|container-[a-z]+|badge|text-bg-[a-z]+|alert|alert-[a-z]+|table|table-[a-z]+|form-[a-z-]+"
    r"|invalid-feedback|is-invalid|text-(end|start|center|body-secondary|muted|danger|nowrap)|visually-hidden"
    r"|d-[a-z-]+|[mp][tbsexy]?-[0-5]|fs-[1-6]|fw-[a-z]+|lead|small|h[1-6]|card|card-[a-z]+|nav|nav-[a-z]+"
    r"|breadcrumb|breadcrumb-item|page-item|page-link|pagination|list-(unstyled|inline|inline-item)"
    r"|w-(25|50|75|100|auto)|h-100|align-[a-z-]+|justify-content-[a-z]+|gap-[0-5]|border|border-[a-z0-9-]+"
    r"|rounded|bg-[a-z]+|flex-[a-z-]+)$"
)
CLASS_ATTRIBUTE = re.compile(r"""class=(?:"([^"]*)"|'([^']*)')|"class":\s*"([^"]*)\"""")
TEMPLATE_TAG = re.compile(r"\{[%{#].*?[%}#]\}")


def bootstrap_classes(text: str) -> set[str]:
    found = set()
    for match in CLASS_ATTRIBUTE.finditer(text):
        value = TEMPLATE_TAG.sub(" ", next(group for group in match.groups() if group is not None))
        found.update(word for word in value.split() if BOOTSTRAP_CLASS.match(word))
    return found


def test_the_check_finds_bootstrap_classes_and_passes_nhsuk_ones():
    assert bootstrap_classes('<a class="btn btn-outline-primary" href="/">') == {"btn", "btn-outline-primary"}
    assert bootstrap_classes("""<dd class='col-sm-9'>""") == {"col-sm-9"}
    assert bootstrap_classes('attrs = {"class": "table table-sm"}') == {"table", "table-sm"}
    assert bootstrap_classes('<p class="{% if x %}text-end{% endif %} mb-4">') == {"text-end", "mb-4"}
    assert not bootstrap_classes('<a class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-4">')
    assert not bootstrap_classes('<div class="portal-scroll portal-alert--error no-print">')


@pytest.mark.parametrize("path", TEMPLATES + PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_or_python_names_a_bootstrap_class(path):
    assert bootstrap_classes(path.read_text()) == set()


@pytest.mark.parametrize("path", TEMPLATES + [ROOT / "static/css/portal.css", ROOT / "static/css/print.css"],
                         ids=lambda p: str(p.relative_to(ROOT)))  # fmt: skip
def test_no_template_or_stylesheet_loads_bootstrap(path):
    assert "bootstrap" not in path.read_text().lower()


def test_bootstrap_is_gone_from_the_project():
    assert not (ROOT / "static/vendor/bootstrap").exists()
    assert "crispy_bootstrap5" not in settings.INSTALLED_APPS
    assert "bootstrap" not in (ROOT / "requirements.txt").read_text().lower()
    assert settings.CRISPY_TEMPLATE_PACK == "nhsuk" and settings.CRISPY_ALLOWED_TEMPLATE_PACKS == ("nhsuk",)


def test_the_vendored_nhsuk_frontend_is_whole_and_needs_no_other_site():
    css = (VENDOR / "nhsuk-frontend.min.css").read_text()
    assert (
        ".nhsuk-header" in css and "@font-face" not in css and "url(/" not in css and "//" not in css.replace("://", "")
    )
    for name in re.findall(r"url\((assets/[^)]+)\)", css):
        assert (VENDOR / name).is_file(), name
    assert "initAll" in (VENDOR / "nhsuk-frontend.min.js").read_text()
    assert "10.6.1" in (VENDOR / "PROVENANCE.md").read_text()


def test_base_page_loads_the_vendored_nhsuk_css_and_starts_its_script_without_inline_code(client):
    html = client.get(reverse("login")).text
    assert f'<link rel="stylesheet" href="{static("vendor/nhsuk-frontend/nhsuk-frontend.min.css")}">' in html
    assert f'<script type="module" src="{static("js/portal.js")}"></script>' in html
    assert "<script>" not in html and "<style" not in html
    assert (
        'import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";'
        in (ROOT / "static/js/portal.js").read_text()
    )
    assert '<header class="nhsuk-header"' in html and '<footer class="nhsuk-footer"' in html
    assert html.index('<main class="nhsuk-main-wrapper') < html.index("<h1")


def test_messages_are_inside_main_so_the_skip_link_lands_on_them(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    messages = [Message(constants.SUCCESS, "Saved the practice"), Message(constants.ERROR, "Could not import")]
    html = render_to_string("base.html", {"messages": messages}, request)
    main, end = html.index('id="maincontent"'), html.index("</main>")
    assert main < html.index("Saved the practice") < end and main < html.index("Could not import") < end
    assert "nhsuk-notification-banner--success" in html and "nhsuk-warning-callout" in html


@pytest.mark.parametrize(
    "path", [p for p in TEMPLATES if "email" not in p.parts], ids=lambda p: str(p.relative_to(ROOT))
)
def test_page_templates_have_no_inline_script_or_style(path):
    """The Content-Security-Policy allows scripts from this site only; styles live in the stylesheets
    (e-mails, read in mail clients, keep theirs)."""
    text = path.read_text()
    assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) is None
    assert " style=" not in text and "<style" not in text
