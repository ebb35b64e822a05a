"""What a channel's sender raises when it could not hand a message over (STYLE 12): whether
trying again can help, and in what words the failure is shown."""

from __future__ import annotations

from switchboard.intake.models import OutboundMessage


class DeliveryError(Exception):
    """``failure``: why the message can never be sent, or None when a later attempt may succeed;
    ``detail``: what the other side (or the library) said, for the record."""

    def __init__(self, detail: str, *, failure: OutboundMessage.Failure | None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.failure = failure
