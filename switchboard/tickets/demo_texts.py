"""The words of the demo data, in English and in Polish: the food bank's groups (seed 000), its
agents, contacts, what they wrote, the agents' notes and the canned responses. `demo.py` loads
one language's set through the actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from switchboard.tickets.models import Membership, StatusKind, TicketSource

# The groups by their role in the demo (the English name), in every language.
VOLUNTEERS, DONATIONS, CLIENTS, INFO, AGENCY = "Volunteers", "Donations", "Clients", "Info", "Agency"
# The contact center's outbound campaign (seed 001): people and firms called for regular support.
CAMPAIGN = "Fundraising"


AgentRow = tuple[str, str, str, str, list[str], Membership.Role]  # username, first, last, initials, groups, role


@dataclass(frozen=True)
class DemoTicket:
    first: str
    last: str
    email: str
    phone: str
    group: str  # one of the roles above
    source: TicketSource
    kind: StatusKind
    owner: str | None  # an agent's username
    subject: str  # what the ticket is about: its mail's subject, or the call's reason
    note: str  # the agent's note
    mail: str = ""  # what the contact wrote, before the note
    photo: bool = False  # the donor sent a photo of what they give away


@dataclass(frozen=True)
class DemoTexts:
    language: str
    groups: dict[str, tuple[str, str]]  # role: (name, slug)
    signature: str  # "{group}": the group's name
    agents: list[AgentRow]
    tickets: list[DemoTicket]
    canned_responses: list[tuple[str, str, str]]  # group role, title, body (HTML)
    # The phone channel's demo: a voicemail (what the caller says) and a donor's text with a photo.
    voicemail: str = ""
    voicemail_voice: str = "en-us"
    sms_donor: tuple[str, str, str] = ("", "", "")  # first, last, mobile
    sms_subject: str = ""
    sms_text: str = ""
    sms_answer: str = ""
    loop_groups: list[str] = field(default_factory=lambda: [VOLUNTEERS])  # groups that take a ticket on opening


def _agents(geoff: tuple[str, str, str], maya: tuple[str, str, str]) -> list[AgentRow]:
    return [
        ("anna", "Anna", "Kowalska", "AK", [INFO, VOLUNTEERS, DONATIONS, CAMPAIGN], Membership.Role.MANAGER),
        (geoff[0], geoff[1], geoff[2], "GS", [VOLUNTEERS, CLIENTS, AGENCY], Membership.Role.AGENT),
        ("bartek", "Bartek", "Nowak", "BN", [DONATIONS, CLIENTS, CAMPAIGN], Membership.Role.HOME_AGENT),
        (maya[0], maya[1], maya[2], "ML", [INFO, AGENCY, CAMPAIGN], Membership.Role.AGENT),
    ]


S = TicketSource
K = StatusKind

ENGLISH = DemoTexts(
    language="en",
    groups={role: (role, role.lower()) for role in [INFO, CLIENTS, DONATIONS, VOLUNTEERS, AGENCY, CAMPAIGN]},
    signature="{group} team · Riverside Food Bank\n+1 541 555 0100 · foodbank.example",
    agents=_agents(("geoff", "Geoff", "Sanders"), ("maya", "Maya", "Lopez")),
    tickets=[
        DemoTicket(
            "Maria",
            "Garcia",
            "maria.garcia@example.org",
            "+15415550101",
            VOLUNTEERS,
            S.EMAIL,
            K.NEEDS_CONTACT,
            None,
            "Joining the Saturday sorting shift",
            "Would like to join the Saturday sorting shift.",
            "Hello,\n\nI would like to join the Saturday sorting shift. Is there room for one more "
            "volunteer, and what should I bring?\n\nThank you,\nMaria",
        ),  # fmt: skip
        DemoTicket(
            "John",
            "Miller",
            "john.miller@example.org",
            "+15415550102",
            VOLUNTEERS,
            S.WEB,
            K.WAITING_CONTACT,
            "geoff",
            "Volunteer training dates",
            "Sent the dates of the next volunteer training.",
        ),  # fmt: skip
        DemoTicket(
            "Priya",
            "Shah",
            "priya.shah@example.org",
            "+15415550112",
            VOLUNTEERS,
            S.EMAIL,
            K.NEEDS_CONTACT,
            None,
            "New volunteer tour",
            "Asks when the next tour for new volunteers is.",
            "Hello,\n\nmy friend told me about your food bank. When is the next tour for new volunteers?"
            "\n\nBest wishes,\nPriya",
        ),  # fmt: skip
        DemoTicket(
            "Daniel",
            "Brooks",
            "daniel.brooks@example.org",
            "+15415550113",
            VOLUNTEERS,
            S.WEB,
            K.NEEDS_CONTACT,
            None,
            "Volunteering with my son",
            "Would like to volunteer with his son (16).",
            "Can my son (16) volunteer with me? We could come once a month, on a weekday afternoon.",
        ),  # fmt: skip
        DemoTicket(
            "Ewa",
            "Zielińska",
            "ewa.zielinska@example.pl",
            "+48601234567",
            DONATIONS,
            S.SMS,
            K.SCHEDULED,
            "bartek",
            "Sofa to give away",
            "Sofa pick-up booked for Friday morning.",
            "I have a sofa to give away, in good condition. Could you pick it up on Friday?",
            photo=True,
        ),  # fmt: skip
        DemoTicket(
            "Tom",
            "Becker",
            "tom.becker@example.org",
            "+15415550104",
            DONATIONS,
            S.PHONE,
            K.COMPLETED,
            "bartek",
            "Kitchenware pick-up",
            "Pick-up done; two boxes of kitchenware.",
        ),  # fmt: skip
        DemoTicket(
            "Lena",
            "Fischer",
            "lena.fischer@example.org",
            "+15415550105",
            CLIENTS,
            S.PHONE,
            K.NEW,
            None,
            "Voicemail",
            "Voicemail: asks about the appointment on Tuesday.",
        ),  # fmt: skip
        DemoTicket(
            "Omar",
            "Haddad",
            "omar.haddad@example.org",
            "+15415550106",
            CLIENTS,
            S.EMAIL,
            K.PENDING,
            "geoff",
            "Bed frame for the new flat",
            "Waiting for the warehouse to confirm the bed frame.",
            "Hello, is there any news about the bed frame for our new flat? We move in on the 3rd.",
        ),  # fmt: skip
        DemoTicket(
            "Sara",
            "Lind",
            "sara.lind@example.org",
            "+15415550107",
            INFO,
            S.EMAIL,
            K.NEEDS_CONTACT,
            "maya",
            "Open on the public holiday?",
            "General question about opening hours.",
            "Hi, are you open on the public holiday next Monday?\n\nSara",
        ),  # fmt: skip
        DemoTicket(
            "Piotr",
            "Wiśniewski",
            "piotr.w@example.pl",
            "+48602345678",
            AGENCY,
            S.WEB,
            K.WAITING_CONTACT,
            "maya",
            "Agency account reset",
            "Agency account reset requested.",
        ),  # fmt: skip
        DemoTicket(
            "Grace",
            "Okafor",
            "grace.okafor@example.org",
            "+15415550109",
            DONATIONS,
            S.EMAIL,
            K.CLOSED_SUCCESS,
            "anna",
            "Dining table donation",
            "Donation of a dining table received.",
        ),  # fmt: skip
        DemoTicket(
            "Hugo",
            "Martin",
            "hugo.martin@example.org",
            "+15415550110",
            VOLUNTEERS,
            S.PHONE,
            K.SUCCESS_CANCELLED,
            "anna",
            "Weekday volunteering",
            "Cancelled: moved out of town.",
        ),  # fmt: skip
        DemoTicket(
            "Ines",
            "Costa",
            "ines.costa@example.org",
            "+15415550111",
            CLIENTS,
            S.WEB,
            K.CLOSED,
            "geoff",
            "Documents for a food parcel",
            "Resolved by phone.",
        ),  # fmt: skip
        DemoTicket(
            "Jan",
            "Kowalczyk",
            "jan.k@example.pl",
            "+48603456789",
            INFO,
            S.PHONE,
            K.NEEDS_CONTACT,
            None,
            "Missed call",
            "Missed call, no message left.",
        ),  # fmt: skip
    ],
    canned_responses=[  # what a food bank's agents answer again and again (MAIL-05)
        (
            VOLUNTEERS,
            "Tour dates for new volunteers",
            "<p>Thank you for offering to help! New volunteers start with a tour of the warehouse and a "
            "short training on <b>[Enter dates]</b>, from 9:00 to 11:00.</p><p>Please wear closed shoes; "
            "we provide gloves and aprons.</p>",
        ),
        (
            VOLUNTEERS,
            "Sorting shifts",
            "<p>Our sorting shifts are on Tuesday and Thursday evenings, 17:00–20:00, and on Saturday "
            "mornings, 9:00–13:00. Come to any of them; no need to book.</p>",
        ),
        (
            DONATIONS,
            "Pick-up arranged",
            "<p>We can collect your donation of [Enter items] on [Enter date]. Our driver will call "
            "you about 30 minutes before arriving.</p>",
        ),
        (
            CLIENTS,
            "Documents for a food parcel",
            "<p>To receive a food parcel, please bring:</p><ul><li>an ID document</li>"
            "<li>a proof of address</li></ul><p>Our opening hours are [Enter opening hours].</p>",
        ),
        (INFO, "Opening hours", "<p>We are open Monday to Friday, 9:00–17:00, and on Saturday 9:00–13:00.</p>"),
    ],
    voicemail="Hello, this is Maria Garcia. I would like to volunteer on Saturday morning. "
    "Please call me back at five five five, zero one zero one. Thank you.",
    sms_donor=("Ewa", "Zielinski", "+15415550123"),
    sms_subject="Fridge to give away",
    sms_text="Hi, we are moving out and would like to give away our fridge. It works fine. Here is a photo.",
    sms_answer="Thank you, Ewa! Our van can collect the fridge on Friday between 9 and 12. "
    "Please empty and defrost it.",
)

POLISH = DemoTexts(
    language="pl",
    groups={
        INFO: ("Informacje", "informacje"),
        CLIENTS: ("Podopieczni", "podopieczni"),
        DONATIONS: ("Darowizny", "darowizny"),
        VOLUNTEERS: ("Wolontariusze", "wolontariusze"),
        AGENCY: ("Organizacje partnerskie", "organizacje"),
        CAMPAIGN: ("Pozyskiwanie darczyńców", "darczyncy"),
    },
    signature="Zespół: {group} · Bank Żywności nad Wisłą\n+48 22 123 45 67 · bankzywnosci.example",
    agents=_agents(("grzegorz", "Grzegorz", "Sadowski"), ("maja", "Maja", "Lis")),
    tickets=[
        DemoTicket(
            "Małgorzata",
            "Wójcik",
            "malgorzata.wojcik@example.pl",
            "+48601100101",
            VOLUNTEERS,
            S.EMAIL,
            K.NEEDS_CONTACT,
            None,
            "Sobotnia zmiana przy sortowaniu",
            "Chce dołączyć do sobotniej zmiany.",
            "Dzień dobry,\n\nchciałabym dołączyć do sobotniej zmiany przy sortowaniu. Czy jest jeszcze "
            "miejsce dla jednej osoby i co powinnam ze sobą zabrać?\n\nDziękuję,\nMałgorzata",
        ),  # fmt: skip
        DemoTicket(
            "Jan",
            "Mazur",
            "jan.mazur@example.pl",
            "+48601100102",
            VOLUNTEERS,
            S.WEB,
            K.WAITING_CONTACT,
            "grzegorz",
            "Terminy szkolenia wolontariuszy",
            "Wysłano terminy najbliższego szkolenia.",
        ),  # fmt: skip
        DemoTicket(
            "Zofia",
            "Krawczyk",
            "zofia.krawczyk@example.pl",
            "+48601100103",
            VOLUNTEERS,
            S.EMAIL,
            K.NEEDS_CONTACT,
            None,
            "Oprowadzanie dla nowych wolontariuszy",
            "Pyta o najbliższe oprowadzanie dla nowych wolontariuszy.",
            "Dzień dobry,\n\nznajoma opowiedziała mi o Waszym banku żywności. Kiedy jest najbliższe "
            "oprowadzanie dla nowych wolontariuszy?\n\nPozdrawiam,\nZofia",
        ),  # fmt: skip
        DemoTicket(
            "Łukasz",
            "Dąbrowski",
            "lukasz.dabrowski@example.pl",
            "+48601100104",
            VOLUNTEERS,
            S.WEB,
            K.NEEDS_CONTACT,
            None,
            "Wolontariat z synem",
            "Chciałby pomagać razem z synem (16 lat).",
            "Czy mój syn (16 lat) może pomagać razem ze mną? Moglibyśmy przychodzić raz w miesiącu, "
            "w dzień powszedni po południu.",
        ),  # fmt: skip
        DemoTicket(
            "Ewa",
            "Zielińska",
            "ewa.zielinska@example.pl",
            "+48601234567",
            DONATIONS,
            S.SMS,
            K.SCHEDULED,
            "bartek",
            "Sofa do oddania",
            "Odbiór sofy umówiony na piątek rano.",
            "Mam do oddania sofę w dobrym stanie. Czy możecie ją odebrać w piątek?",
            photo=True,
        ),  # fmt: skip
        DemoTicket(
            "Tomasz",
            "Kamiński",
            "tomasz.kaminski@example.pl",
            "+48601100106",
            DONATIONS,
            S.PHONE,
            K.COMPLETED,
            "bartek",
            "Odbiór naczyń kuchennych",
            "Odebrano dwa kartony naczyń kuchennych.",
        ),  # fmt: skip
        DemoTicket(
            "Helena",
            "Szymańska",
            "helena.szymanska@example.pl",
            "+48601100107",
            CLIENTS,
            S.PHONE,
            K.NEW,
            None,
            "Poczta głosowa",
            "Poczta głosowa: pyta o wizytę we wtorek.",
        ),  # fmt: skip
        DemoTicket(
            "Oskar",
            "Górski",
            "oskar.gorski@example.pl",
            "+48601100108",
            CLIENTS,
            S.EMAIL,
            K.PENDING,
            "grzegorz",
            "Rama łóżka do nowego mieszkania",
            "Czekamy, aż magazyn potwierdzi ramę łóżka.",
            "Dzień dobry, czy wiadomo już coś o ramie łóżka do naszego nowego mieszkania? Wprowadzamy się trzeciego.",
        ),  # fmt: skip
        DemoTicket(
            "Agnieszka",
            "Lewandowska",
            "agnieszka.lewandowska@example.pl",
            "+48601100109",
            INFO,
            S.EMAIL,
            K.NEEDS_CONTACT,
            "maja",
            "Czy pracujecie w święto?",
            "Ogólne pytanie o godziny otwarcia.",
            "Dzień dobry, czy w najbliższy poniedziałek, w święto, jesteście otwarci?\n\nAgnieszka",
        ),  # fmt: skip
        DemoTicket(
            "Piotr",
            "Wiśniewski",
            "piotr.w@example.pl",
            "+48602345678",
            AGENCY,
            S.WEB,
            K.WAITING_CONTACT,
            "maja",
            "Reset konta organizacji",
            "Organizacja prosi o reset konta.",
        ),  # fmt: skip
        DemoTicket(
            "Grażyna",
            "Pawlak",
            "grazyna.pawlak@example.pl",
            "+48601100111",
            DONATIONS,
            S.EMAIL,
            K.CLOSED_SUCCESS,
            "anna",
            "Darowizna stołu",
            "Odebrano stół do jadalni.",
        ),  # fmt: skip
        DemoTicket(
            "Henryk",
            "Michalski",
            "henryk.michalski@example.pl",
            "+48601100112",
            VOLUNTEERS,
            S.PHONE,
            K.SUCCESS_CANCELLED,
            "anna",
            "Wolontariat w dni powszednie",
            "Odwołane: wyprowadził się z miasta.",
        ),  # fmt: skip
        DemoTicket(
            "Irena",
            "Kozłowska",
            "irena.kozlowska@example.pl",
            "+48601100113",
            CLIENTS,
            S.WEB,
            K.CLOSED,
            "grzegorz",
            "Dokumenty do paczki żywnościowej",
            "Załatwione telefonicznie.",
        ),  # fmt: skip
        DemoTicket(
            "Jan",
            "Kowalczyk",
            "jan.k@example.pl",
            "+48603456789",
            INFO,
            S.PHONE,
            K.NEEDS_CONTACT,
            None,
            "Nieodebrane połączenie",
            "Nieodebrane połączenie, bez wiadomości.",
        ),  # fmt: skip
    ],
    canned_responses=[
        (
            VOLUNTEERS,
            "Terminy oprowadzania dla nowych wolontariuszy",
            "<p>Dziękujemy za chęć pomocy! Nowi wolontariusze zaczynają od oprowadzania po magazynie i "
            "krótkiego szkolenia: <b>[Wpisz terminy]</b>, od 9:00 do 11:00.</p><p>Prosimy o pełne obuwie; "
            "rękawice i fartuchy zapewniamy.</p>",
        ),
        (
            VOLUNTEERS,
            "Zmiany przy sortowaniu",
            "<p>Sortujemy we wtorki i czwartki wieczorem, 17:00–20:00, oraz w soboty rano, 9:00–13:00. "
            "Można przyjść na dowolną zmianę, bez zapisów.</p>",
        ),
        (
            DONATIONS,
            "Odbiór umówiony",
            "<p>Możemy odebrać Twoją darowiznę ([Wpisz rzeczy]) w dniu [Wpisz datę]. Kierowca zadzwoni "
            "około 30 minut przed przyjazdem.</p>",
        ),
        (
            CLIENTS,
            "Dokumenty do paczki żywnościowej",
            "<p>Aby otrzymać paczkę żywnościową, prosimy przynieść:</p><ul><li>dokument tożsamości</li>"
            "<li>potwierdzenie adresu zamieszkania</li></ul><p>Godziny otwarcia: [Wpisz godziny otwarcia].</p>",
        ),
        (
            INFO,
            "Godziny otwarcia",
            "<p>Jesteśmy otwarci od poniedziałku do piątku, 9:00–17:00, i w soboty 9:00–13:00.</p>",
        ),
    ],
    voicemail="Dzień dobry, mówi Małgorzata Wójcik. Chciałabym pomagać jako wolontariuszka w sobotę rano. "
    "Proszę o telefon pod numer sześćset jeden, sto, sto jeden. Dziękuję.",
    voicemail_voice="pl",
    sms_donor=("Katarzyna", "Nowicka", "+48601100123"),
    sms_subject="Lodówka do oddania",
    sms_text="Dzień dobry, wyprowadzamy się i chcemy oddać lodówkę. Działa bez zarzutu. Przesyłam zdjęcie.",
    sms_answer="Dziękujemy! Nasz samochód może odebrać lodówkę w piątek między 9 a 12. "
    "Prosimy ją opróżnić i rozmrozić.",
)

DEMO_TEXTS = {texts.language: texts for texts in [ENGLISH, POLISH]}
