"""What contacts tell the layers above them, which contacts never imports (ARCHITECTURE, layers)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent in the renaming transaction with ``contact``: tickets keeps its search entries current.
contact_renamed = Signal()
