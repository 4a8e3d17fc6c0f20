"""A board report printed to PDF by headless Chromium, driven by Playwright's sync API.

Chromium opens the printable report at the portal's own address (``PORTAL_URL``), so that
the report's links, which are paths, lead to the portal in the PDF; but nothing is fetched
from there: Playwright answers the page itself with the report's HTML, and each static file
(plotly.js, the CSS) from disk, collected (``STATIC_ROOT``) or found by the staticfiles
finders. Every other request is refused, so the print needs neither the web server nor a
network. The page is
laid out at the width of an A4 page with the print styles, so plotly draws each chart at
the width it is printed; once ``static/js/charts.js`` says the charts are drawn, the page
is printed to A4.

Chromium is Debian's (``BOARD_REPORT_CHROMIUM``); ``playwright install`` is never needed.
It runs in its own sandbox wherever the OS lets it (``chromium_sandbox``).
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)

#: Starting Chromium, loading the page, drawing the charts and printing must end within this...
RENDER_TIMEOUT_SECONDS = 60
#: ...and Chromium gets this much longer to close, after which the print is given up anyway.
CLOSE_SECONDS = 10
REPORT_PATH = "/board-report/"
#: A4 (210 mm) less the 12 mm side margins of ``static/css/print.css``, at 96 CSS px an inch.
PAGE_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
CHARTS_DRAWN = "html[data-charts-drawn]"
CHROMIUM_ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # Docker's /dev/shm is 64 MB
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class PDFNotMade(Exception):
    """Why no PDF was made, short enough to show on the report's page."""


@dataclass(frozen=True)
class Sandbox:
    used: bool
    reason: str


def chromium_sandbox(*, euid: int, user_namespaces: bool) -> Sandbox:
    """Whether Chromium can keep its sandbox, and why not when it cannot.

    The sandbox keeps a page that exploits the renderer away from the worker's files and
    secrets, so it is given up only where Chromium cannot start with it: as root, which
    Chromium refuses outright, or where the OS gives an unprivileged process no user
    namespaces to build the sandbox in (a kernel or sysctl that disables them, Docker's
    default seccomp profile, AppArmor's restriction on Ubuntu). Debian's Chromium has no
    setuid sandbox to fall back on. What is printed is the portal's own report, with every
    request answered from disk, which is why printing without the sandbox is tolerable there.
    """
    if euid == 0:
        return Sandbox(False, "the worker runs as root, and Chromium will not start its sandbox as root")
    if not user_namespaces:
        return Sandbox(False, "this OS gives the worker no user namespaces to build Chromium's sandbox in")
    return Sandbox(True, "")


# unshare(2) as Chromium's namespace sandbox does it: a user namespace, and in it a PID and a
# network namespace (which AppArmor's restriction refuses even when the first succeeds).
_PROBE = (
    "import ctypes, sys; "
    "libc = ctypes.CDLL(None, use_errno=True); "
    "sys.exit(0 if libc.unshare(0x10000000 | 0x20000000 | 0x40000000) == 0 else 1)"
)


@functools.cache
def user_namespaces_available() -> bool:
    """Whether this process may make the namespaces Chromium's sandbox needs; asked once, in a child."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        probe = subprocess.run([sys.executable, "-c", _PROBE], timeout=5, capture_output=True)  # noqa: S603 (constant)
        return probe.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def chromium_args() -> list[str]:
    """``CHROMIUM_ARGS``, with ``--no-sandbox`` only where ``chromium_sandbox`` says it must."""
    sandbox = chromium_sandbox(euid=os.geteuid(), user_namespaces=user_namespaces_available())
    if sandbox.used:
        return list(CHROMIUM_ARGS)
    _warn_once(sandbox.reason)
    return [*CHROMIUM_ARGS, "--no-sandbox"]


@functools.cache
def _warn_once(reason: str) -> None:
    logger.warning("Board report PDFs are printed without Chromium's sandbox: %s", reason)


def report_origin() -> str:
    """Where the printed page says it is: the scheme and host of ``PORTAL_URL``."""
    url = urlsplit(settings.PORTAL_URL)
    return f"{url.scheme}://{url.netloc}"


def html_to_pdf(html: str, *, chromium: str, timeout: float = RENDER_TIMEOUT_SECONDS) -> bytes:
    """Print a whole HTML page (``dashboards/report_print.html``) to A4; raises ``PDFNotMade``."""
    if not chromium:
        raise PDFNotMade("no Chromium is set (BOARD_REPORT_CHROMIUM)")
    executable = shutil.which(chromium)
    if executable is None:
        raise PDFNotMade(f"Chromium not found at {chromium}")
    # Playwright's sync API will not start in a thread that already runs an event loop (or
    # another sync Playwright, as the browser tests do), so it gets a thread of its own.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-report-pdf")
    future = pool.submit(_print, html, executable, timeout)
    try:
        return future.result(timeout=timeout + CLOSE_SECONDS)
    except concurrent.futures.TimeoutError:
        # Hung where no Playwright time-out reaches (closing, say): the thread is left to end on its own.
        raise PDFNotMade(f"Chromium took more than {timeout + CLOSE_SECONDS:g} seconds") from None
    except PDFNotMade:
        raise
    except Exception as exc:
        logger.warning("Board report PDF not made", exc_info=True)
        first_line = (str(exc).strip().splitlines() or [""])[0]
        raise PDFNotMade(f"Chromium failed: {type(exc).__name__}: {first_line}"[:300]) from exc
    finally:
        pool.shutdown(wait=False)


def _print(html: str, executable: str, timeout: float) -> bytes:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    args = chromium_args()  # asks the OS once per process, before the print's time starts
    deadline = time.monotonic() + timeout

    def left() -> float:
        """Milliseconds to the deadline, for Playwright's time-outs (0 would mean none)."""
        return max(1.0, (deadline - time.monotonic()) * 1000)

    origin = report_origin()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True, timeout=left())
        try:
            page = browser.new_page(viewport={"width": PAGE_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print")
            page.route("**/*", lambda route: _answer(route, html, origin))
            page.goto(origin + REPORT_PATH, timeout=left())
            try:
                page.wait_for_selector(CHARTS_DRAWN, state="attached", timeout=left())
            except PlaywrightTimeoutError:
                raise PDFNotMade(f"the charts had not drawn after {timeout:g} seconds") from None
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


def _answer(route, html: str, origin: str) -> None:
    url = urlsplit(route.request.url)
    if f"{url.scheme}://{url.netloc}" != origin:
        route.abort()
    elif url.path == REPORT_PATH:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
    elif (found := static_file(url.path)) is not None:
        route.fulfill(path=found)
    else:
        logger.warning("Board report PDF: no static file for %s", url.path)
        route.fulfill(status=404, body="")


def static_file(url_path: str) -> Path | None:
    """The file on disk behind a ``{% static %}`` URL path, or None."""
    prefix = urlsplit(settings.STATIC_URL).path
    if not url_path.startswith(prefix):
        return None
    name = unquote(url_path[len(prefix) :])
    try:
        found = finders.find(name)
        if found:
            return Path(found)
        # In production the page names the collected files by their hashed names.
        collected = Path(staticfiles_storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation):
        return None
    return collected if collected.is_file() else None
