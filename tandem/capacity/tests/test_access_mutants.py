"""Tests that kill the surviving mutants of tandem/capacity/access.py (make mutate), each as a user sees it."""

from __future__ import annotations
