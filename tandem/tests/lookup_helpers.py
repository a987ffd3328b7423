"""Browser-test helper: choose a record in a lookup field (tandem/core/lookups.py) by typing."""

from __future__ import annotations


def choose(page, label: str, typed: str, option: str | None = None) -> None:
    """Type ``typed`` into the lookup combobox labelled ``label`` and pick the option containing ``option``."""
    # The search box becomes the combobox once lookup.js has run (a <select> is a combobox too, and is
    # there first): wait for the input, not whichever the page shows while it loads.
    box = page.get_by_role("combobox", name=label, exact=True).and_(page.locator("input"))
    box.fill("")
    box.press_sequentially(typed, delay=20)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.get_by_role("option", name=option or typed).first.click()
