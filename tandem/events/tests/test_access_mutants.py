"""Cases that kill mutants of tandem.events.access (``make mutate``, issue 10).

Each test states what a user would notice: a record they see or not, a permission granted or refused.
"""

from __future__ import annotations
