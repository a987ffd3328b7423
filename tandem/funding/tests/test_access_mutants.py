"""Tests that kill the surviving mutants of tandem/funding/access.py (make mutate), each as a user sees it."""

from __future__ import annotations
