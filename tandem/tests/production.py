"""Read settings as production would see them: a fresh interpreter with TANDEM_ENV=production.

The test process runs with TANDEM_ENV=test, so production defaults can only be
observed in a subprocess (the same approach as the ``manage.py check --deploy``
test in ``test_code_rules.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "TANDEM_ENV": "production",
    "SECRET_KEY": "p" * 20 + "-production-test-key-with-enough-entropy-4b7e1d9a",
    "ALLOWED_HOSTS": "tandem.example.org",
    "DJANGO_SETTINGS_MODULE": "tandem.settings",
}
# Variables that would change what is being checked: the production defaults.
_DROPPED = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "BEHIND_PROXY", "SECURE_COOKIES"}
_DROPPED_PREFIXES = ("SECURE_", "SESSION_")


def production_value(expression: str) -> Any:
    """Evaluate ``expression`` (JSON-serialisable; ``settings`` is in scope) under production settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _DROPPED and not k.startswith(_DROPPED_PREFIXES) and k != "SECRET_KEY"
    }
    env.update(PRODUCTION_ENV)
    script = f"import json, django\ndjango.setup()\nfrom django.conf import settings\nprint(json.dumps({expression}))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
