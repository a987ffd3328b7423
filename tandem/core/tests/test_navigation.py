"""The apps' navigation links in the page shell (context_processors.app_nav)."""

from __future__ import annotations

from django.urls import clear_script_prefix, reverse, set_script_prefix


def _nav(response) -> dict[str, str]:
    return {str(link["label"]): link["url"] for link in response.context["app_nav"]}


def test_links_follow_the_deployment_prefix_and_the_users_permissions(world, client):
    client.force_login(world.local)
    plain = _nav(client.get(reverse("home")))
    assert plain and all(url.startswith("/") and not url.startswith("/tandem/") for url in plain.values())
    # Served under a prefix (SCRIPT_NAME behind a proxy; the WSGI handler sets it per request, the
    # test client does not): every link carries it, and none once it is gone.
    set_script_prefix("/tandem/")
    try:
        prefixed = _nav(client.get("/"))
    finally:
        clear_script_prefix()
    assert prefixed == {label: "/tandem" + url for label, url in plain.items()}
    assert _nav(client.get(reverse("home"))) == plain
    # Links are filtered per user: the viewer's shell never shows more than the coordinator's.
    client.force_login(world.viewer)
    assert set(_nav(client.get(reverse("home")))) <= set(plain)
