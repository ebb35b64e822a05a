"""What contacts tell the layers above them, which contacts never imports (ARCHITECTURE, layers)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent in the renaming transaction with ``contact``: tickets keeps its search entries current.
contact_renamed = Signal()

# Sent in the erasure transaction (CC-01, GDPR) with ``contact``, ``ticket_ids`` (the contact's own
# tickets), ``other_ticket_ids`` (tickets the contact was in copy on), ``addresses`` (its emails and
# phone numbers) and ``scrubber`` (a ``contacts.scrub.Scrubber``): the layers above erase what they
# keep of the person, and answer with a dict of {what: how many}.
contact_erasing = Signal()
