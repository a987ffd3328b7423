"""Take the README's screenshots from the demo, in Debian's Chromium (`make screenshots`).

The demo is built in a throwaway SQLite database (var/screens.sqlite3), served by `runserver` on a
loopback port with the second factor turned off (a local walk-through only), and each page is taken as
the persona who uses it: desktop pages at 1280 px, phone pages at 390 px. Nothing here runs in CI.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "tandem-demo-2026"

# (file name, login, path, width): the pages the README shows.
SHOTS = [
    ("home.png", "national.ke", "/", 1280),
    ("organisations.png", "local.mombasa", "/organisations/", 1280),
    ("body.png", "local.mombasa", None, 1280),  # the first body in the list
    ("plan_matrix.png", "national.ke", "/plans/matrix/?empty=hide", 1280),
    ("exchange_inbox.png", "national.ke", "/exchange/", 1280),
    ("dashboard.png", "national.ke", "/dashboard/", 1280),
    ("assessment.png", "local.mombasa", "/assessment/", 1280),
    ("search.png", "national.ke", "/search/?q=youth", 1280),
    ("phone_home.png", "local.mombasa", "/", 390),
    ("phone_inbox.png", "local.mombasa", "/exchange/", 390),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    env = dict(os.environ, SQLITE_PATH=str(ROOT / "var" / "screens.sqlite3"), MFA_REQUIRED_ROLES="none")
    env.pop("DATABASE_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    db = Path(env["SQLITE_PATH"])
    if not db.exists():
        for step in (["migrate", "--noinput", "-v", "0"], ["load_jurisdictions", "-v", "0"], ["load_demo"]):
            subprocess.run([python, "manage.py", *step], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for name, login, path, width in SHOTS:
                context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844})
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("Username").fill(login)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state("networkidle")
                if path is None:
                    path = _first_link(page, base, name)
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name), full_page=False)
                print(f"{name}: {login} {path}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


def _first_link(page, base: str, name: str) -> str:
    """The first body of the list (pages addressed by an id)."""
    if name == "body.png":
        page.goto(f"{base}/bodies/")
        href = page.locator("main table a[href^='/bodies/']").first.get_attribute("href")
        return href or "/bodies/"
    page.goto(f"{base}/plans/")
    href = page.locator("main a[href*='/plans/']").first.get_attribute("href") or "/plans/"
    return href.rstrip("/") + "/matrix/"


if __name__ == "__main__":
    sys.exit(main())
