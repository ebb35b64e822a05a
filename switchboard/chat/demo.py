"""The live chat's part of the demo: a chat that has ended, so that its ticket's timeline shows
the chat's lines; the group's example website page (/chat/<group>/example/) has the widget."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from switchboard.chat.actions import do_accept_chat, do_add_agent_line, do_add_visitor_line, do_end_chat, do_start_chat
from switchboard.chat.models import ChatSession
from switchboard.tickets.demo import demo_group
from switchboard.tickets.demo_texts import VOLUNTEERS


@dataclass(frozen=True)
class ChatDemo:
    name: str
    email: str
    lines: list[tuple[str, str]]  # ("visitor" or "agent", text), the first the visitor's


CHAT_DEMOS = {
    "en": ChatDemo(
        "Olivia Bennett",
        "olivia.bennett@example.org",
        [
            ("visitor", "Hello! Do you still need drivers for the Saturday food run?"),
            ("agent", "Hi Olivia, yes we do! The van leaves at 8:30 from the depot on Mill Street."),
            ("visitor", "Great. Do I need to bring anything?"),
            ("agent", "Just your driving licence. I have put you down for this Saturday."),
            ("visitor", "Perfect, thank you!"),
        ],
    ),
    "pl": ChatDemo(
        "Oliwia Bednarek",
        "oliwia.bednarek@example.org",
        [
            ("visitor", "Dzień dobry! Czy nadal szukacie kierowców na sobotni rozwóz żywności?"),
            ("agent", "Dzień dobry, tak! Samochód wyjeżdża o 8:30 z magazynu przy ulicy Młyńskiej."),
            ("visitor", "Świetnie. Czy mam coś ze sobą zabrać?"),
            ("agent", "Tylko prawo jazdy. Zapisałam Panią na tę sobotę."),
            ("visitor", "Dziękuję bardzo!"),
        ],
    ),
}


def load_chat_demo(language: str = "en") -> None:
    """An ended chat between a visitor and Anna in the volunteers' group, on its ticket."""
    group = demo_group(VOLUNTEERS)
    anna = User.objects.filter(username="anna").first()
    if group is None or anna is None or ChatSession.objects.exists():
        return
    demo = CHAT_DEMOS.get(language, CHAT_DEMOS["en"])
    (_first_by, first), *rest = demo.lines
    session = do_start_chat(group, name=demo.name, email=demo.email, text=first, language=language).session
    session = do_accept_chat(session, acting_user=anna)
    for by, text in rest:
        if by == "agent":
            do_add_agent_line(session, text=text, acting_user=anna)
        else:
            do_add_visitor_line(session, text=text)
    do_end_chat(session, ending=ChatSession.Ending.VISITOR)
