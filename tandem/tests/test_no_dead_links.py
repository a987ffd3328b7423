"""No page shows a link that answers 403 or 404 to the user who sees it (issue 17).

For every demo login: the home page, the pages its navigation links to, and every page those
link to (one more level) are fetched; each internal link must open. Downloads (exports, PDFs,
calendars) are followed once per persona through a HEAD-like GET of the first of each kind.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.urls import reverse

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/accounts/logout", "/i18n/", "/admin/", "/api/v1/docs", "/api/v1/openapi")
DOWNLOAD = re.compile(r"/(export|pdf|ics|workbook|download|calendar)(/|\.|$)")
MAX_PAGES = 40  # per persona: enough for home, nav and their links on the demo data


def _links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        path = urlsplit(href.replace("&amp;", "&")).path
        if not path.startswith(SKIP):
            found.append(href.replace("&amp;", "&"))
    return found


def _crawl(client, username: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    downloads: set[str] = set()
    frontier = [reverse("home")]
    for _depth in range(3):
        following = []
        for url in frontier:
            if url in seen or len(seen) >= MAX_PAGES:
                continue
            kind = DOWNLOAD.search(urlsplit(url).path)
            if kind:
                if kind.group(1) in downloads:
                    continue
                downloads.add(kind.group(1))
            response = client.get(url)
            seen[url] = response.status_code
            if response.status_code == 200 and not kind and "text/html" in response.get("Content-Type", ""):
                following.extend(_links(response.content.decode()))
        frontier = following
    assert len(seen) > 10, f"{username}: the crawl found too few pages ({seen})"
    return seen


def test_no_link_answers_403_or_404(demo_world, client):
    from tandem.core.models import User

    dead = {}
    for username, *_rest in demo_world.logins:
        client.force_login(User.objects.get(username=username))  # a complete sign-in (see conftest)
        seen = _crawl(client, username)
        dead.update({f"{username} {url}": status for url, status in seen.items() if status in (403, 404)})
    assert len(demo_world.logins) >= 8
    assert dead == {}, f"links that answer 403/404 to the user shown them: {dead}"
