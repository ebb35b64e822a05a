from __future__ import annotations

import subprocess
from pathlib import Path

import switchboard

LOCALE = Path(switchboard.__file__).parent / "locale" / "pl" / "LC_MESSAGES"


def test_the_polish_translation_is_complete_and_compiled(tmp_path):
    """Every string translated, none fuzzy, and the committed .mo is what the .po compiles to
    (`make messages` after editing strings)."""
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes()
