"""The words of the demo's contact center (seed 001), in English and in Polish: the consent
purposes, the contacts' own fields, the fundraising campaign's statuses and form, its leads and
what the agents did with them. `demo_center.py` loads one language's set through the actions.

The food bank's campaign is seed 001's "Pozyskiwanie leadów" in its own terms: agents call
people and firms who might give regularly, fill in the campaign's form during the call, and close
a pledge with success (or cancel the success when the donor withdraws)."""

from __future__ import annotations

from dataclasses import dataclass, field

from switchboard.contacts.models import Consent
from switchboard.tickets.models import FormField, StatusKind

# The roles of the campaign form's fields and choices (the English words in every language).
INTEREST, AMOUNT, FIRST_GIFT, LETTER, CALL_NOTES, PLEDGED, REFUSED = (
    "interest", "amount", "first_gift", "letter", "call_notes", "pledged", "refused",
)  # fmt: skip
MONTHLY, ONE_OFF, FOOD_DRIVE, NOT_NOW = "monthly", "one_off", "food_drive", "not_now"
# When a callback is due: "overdue" (public, 40 minutes ago), "today" (private, in 2 hours),
# "tomorrow" (public, tomorrow 9:00).
OVERDUE, TODAY, TOMORROW = "overdue", "today", "tomorrow"

# The consent purposes the administrator keeps (one list, named in both languages).
PURPOSES = [
    ("Processing for the service", "Przetwarzanie w celu obsługi"),
    ("Marketing calls", "Telefony marketingowe"),
    ("Newsletter", "Newsletter"),
]
SERVICE, MARKETING, NEWSLETTER = 0, 1, 2  # positions in PURPOSES

M = Consent.Method


@dataclass(frozen=True)
class ConsentRow:
    purpose: int  # position in PURPOSES
    given: bool
    method: Consent.Method
    days_ago: int
    agent: str  # who recorded it
    note: str = ""


@dataclass(frozen=True)
class FieldRow:
    role: str
    label: str
    kind: FormField.Kind
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (role, label)
    status: str = ""  # a button: the role of the status it sets (a kind, or a callback status)


@dataclass(frozen=True)
class Lead:
    """Someone the campaign calls: an outbound ticket, and what the agent made of it."""

    first: str
    last: str
    company: str  # set: the contact is a company
    phone: str
    email: str
    city: str
    agent: str  # the agent who called (username)
    answers: dict[str, object] = field(default_factory=dict)  # field role: choice role, text, days ahead, True
    button: str = ""  # the status button pressed
    callback: str = ""  # OVERDUE, TODAY or TOMORROW
    withdrawn: bool = False  # pledged, then withdrawn: success cancelled
    consents: list[ConsentRow] = field(default_factory=list)


@dataclass(frozen=True)
class Details:
    """More about one of the food bank's own contacts (the first ticket's contact of that
    last name): a labelled second phone and email, an address, the custom fields, consents."""

    last: str
    phone: str
    email: str
    street: str
    postcode: str
    city: str
    country: str
    customer_number: str
    segment: int  # position in CenterTexts.segments
    consents: list[ConsentRow]


@dataclass(frozen=True)
class CenterTexts:
    customer_number: str  # the custom fields' names
    segment: str
    segments: list[str]  # a donor, a firm, a volunteer, a partner
    private_callback: str  # the callback statuses (seed 001: light and dark blue)
    public_callback: str
    pledged_status: str  # the campaign's "closed with success" and "success cancelled"
    withdrawn_status: str
    fields: list[FieldRow]
    leads: list[Lead]
    details: list[Details]
    withdrawn_note: str
    country: str


K = FormField.Kind

ENGLISH = CenterTexts(
    customer_number="Customer number",
    segment="Segment",
    segments=["Individual donor", "Company", "Volunteer", "Partner organisation"],
    private_callback="Private callback",
    public_callback="Public callback",
    pledged_status="Pledged",
    withdrawn_status="Pledge withdrawn",
    fields=[
        FieldRow(
            INTEREST,
            "Interest",
            K.CHOICE,
            required=True,
            choices=[
                (MONTHLY, "Monthly gift"),
                (ONE_OFF, "One-off gift"),
                (FOOD_DRIVE, "Food drive at work"),
                (NOT_NOW, "Not now"),
            ],
        ),
        FieldRow(AMOUNT, "Amount pledged ($)", K.NUMBER),
        FieldRow(FIRST_GIFT, "First gift on", K.DATE),
        FieldRow(LETTER, "Send a thank-you letter", K.CHECKBOX),
        FieldRow(CALL_NOTES, "Call notes", K.LONG_TEXT),
        FieldRow(PLEDGED, "Pledged", K.STATUS_BUTTON, status=StatusKind.CLOSED_SUCCESS),
        FieldRow(REFUSED, "Refused", K.STATUS_BUTTON, status=StatusKind.CLOSED),
    ],  # fmt: skip
    leads=[
        Lead(
            "",
            "",
            "Green Grocer Ltd",
            "+15415550141",
            "office@greengrocer.example",
            "Eugene",
            "maya",
            {
                INTEREST: FOOD_DRIVE,
                CALL_NOTES: "The manager likes a food drive in December; call back to agree a date.",
            },
            callback=OVERDUE,
        ),
        Lead(
            "",
            "",
            "Harbor Bakery",
            "+15415550142",
            "hello@harborbakery.example",
            "Springfield",
            "anna",
            {
                INTEREST: MONTHLY,
                AMOUNT: "150",
                CALL_NOTES: "Would give the day's unsold bread every week.\n"
                "The owner decides after talking to her partner.",
            },
            callback=TODAY,
            consents=[ConsentRow(MARKETING, True, M.PHONE, 0, "anna")],
        ),
        Lead(
            "Nora",
            "Quinn",
            "",
            "+15415550143",
            "nora.quinn@example.org",
            "Eugene",
            "bartek",
            {INTEREST: ONE_OFF, CALL_NOTES: "Busy now; asked to be called tomorrow morning."},
            callback=TOMORROW,
        ),
        Lead(
            "Victor",
            "Hale",
            "",
            "+15415550144",
            "victor.hale@example.org",
            "Eugene",
            "maya",
            {
                INTEREST: MONTHLY,
                AMOUNT: "25",
                FIRST_GIFT: 7,
                LETTER: True,
                CALL_NOTES: "Volunteered with us years ago; glad to give monthly.",
            },
            button=PLEDGED,
            consents=[
                ConsentRow(MARKETING, True, M.PHONE, 0, "maya"),
                ConsentRow(NEWSLETTER, True, M.PHONE, 0, "maya"),
            ],
        ),
        Lead(
            "Olivia",
            "Reed",
            "",
            "+15415550145",
            "olivia.reed@example.org",
            "Salem",
            "bartek",
            {INTEREST: ONE_OFF, AMOUNT: "100", FIRST_GIFT: 3},
            button=PLEDGED,
            withdrawn=True,
            consents=[
                ConsentRow(MARKETING, True, M.PHONE, 3, "bartek"),
                ConsentRow(MARKETING, False, M.EMAIL, 1, "anna", "Asked by email not to be called again."),
            ],
        ),
        Lead(
            "Samuel",
            "Ortiz",
            "",
            "+15415550146",
            "samuel.ortiz@example.org",
            "Eugene",
            "anna",
            {INTEREST: NOT_NOW, CALL_NOTES: "Gives to another charity already."},
            button=REFUSED,
        ),
        Lead("", "", "Riverside Hardware", "+15415550147", "info@riversidehardware.example", "Eugene", ""),
        Lead("Hannah", "Cole", "", "+15415550148", "hannah.cole@example.org", "Springfield", ""),
    ],  # fmt: skip
    details=[
        Details(
            "Shah",
            "+15415550198",
            "priya@shahdesign.example",
            "12 Orchard Lane",
            "97401",
            "Eugene",
            "USA",
            "D-1042",
            2,
            [
                ConsentRow(SERVICE, True, M.WEB_FORM, 30, "anna"),
                ConsentRow(NEWSLETTER, True, M.WEB_FORM, 30, "anna"),
                ConsentRow(NEWSLETTER, False, M.PHONE, 2, "geoff", "Too many emails; will follow us online."),
            ],
        ),
        Details(
            "Okafor",
            "+15415550199",
            "grace@okafor-family.example",
            "48 Mill Street",
            "97402",
            "Eugene",
            "USA",
            "D-0977",
            0,
            [ConsentRow(SERVICE, True, M.IN_PERSON, 90, "anna"), ConsentRow(MARKETING, True, M.IN_PERSON, 90, "anna")],
        ),
    ],  # fmt: skip
    withdrawn_note="The donor withdrew the pledge by email.",
    country="USA",
)

POLISH = CenterTexts(
    customer_number="Numer klienta",
    segment="Segment",
    segments=["Darczyńca indywidualny", "Firma", "Wolontariusz", "Organizacja partnerska"],
    private_callback="Oddzwonienie prywatne",
    public_callback="Oddzwonienie publiczne",
    pledged_status="Wsparcie zadeklarowane",
    withdrawn_status="Deklaracja wycofana",
    fields=[
        FieldRow(
            INTEREST,
            "Zainteresowanie",
            K.CHOICE,
            required=True,
            choices=[
                (MONTHLY, "Darowizna co miesiąc"),
                (ONE_OFF, "Jednorazowa darowizna"),
                (FOOD_DRIVE, "Zbiórka w firmie"),
                (NOT_NOW, "Nie teraz"),
            ],
        ),
        FieldRow(AMOUNT, "Zadeklarowana kwota (zł)", K.NUMBER),
        FieldRow(FIRST_GIFT, "Pierwsza wpłata", K.DATE),
        FieldRow(LETTER, "Wysłać list z podziękowaniem", K.CHECKBOX),
        FieldRow(CALL_NOTES, "Notatki z rozmowy", K.LONG_TEXT),
        FieldRow(PLEDGED, "Sukces: deklaracja", K.STATUS_BUTTON, status=StatusKind.CLOSED_SUCCESS),
        FieldRow(REFUSED, "Odmowa", K.STATUS_BUTTON, status=StatusKind.CLOSED),
    ],  # fmt: skip
    leads=[
        Lead(
            "",
            "",
            "Zielony Warzywniak sp. z o.o.",
            "+48601100141",
            "biuro@zielonywarzywniak.example",
            "Warszawa",
            "maja",
            {
                INTEREST: FOOD_DRIVE,
                CALL_NOTES: "Kierowniczka chętnie zrobi zbiórkę w grudniu; oddzwonić, by ustalić termin.",
            },
            callback=OVERDUE,
        ),
        Lead(
            "",
            "",
            "Piekarnia Pod Lipą",
            "+48601100142",
            "kontakt@podlipa.example",
            "Piaseczno",
            "anna",
            {
                INTEREST: MONTHLY,
                AMOUNT: "600",
                CALL_NOTES: "Co tydzień oddawaliby niesprzedane pieczywo.\n"
                "Właścicielka zdecyduje po rozmowie ze wspólnikiem.",
            },
            callback=TODAY,
            consents=[ConsentRow(MARKETING, True, M.PHONE, 0, "anna")],
        ),
        Lead(
            "Beata",
            "Sikora",
            "",
            "+48601100143",
            "beata.sikora@example.pl",
            "Warszawa",
            "bartek",
            {INTEREST: ONE_OFF, CALL_NOTES: "Teraz zajęta; prosi o telefon jutro rano."},
            callback=TOMORROW,
        ),
        Lead(
            "Marek",
            "Zając",
            "",
            "+48601100144",
            "marek.zajac@example.pl",
            "Warszawa",
            "maja",
            {
                INTEREST: MONTHLY,
                AMOUNT: "100",
                FIRST_GIFT: 7,
                LETTER: True,
                CALL_NOTES: "Kiedyś był u nas wolontariuszem; chętnie będzie wpłacał co miesiąc.",
            },
            button=PLEDGED,
            consents=[
                ConsentRow(MARKETING, True, M.PHONE, 0, "maja"),
                ConsentRow(NEWSLETTER, True, M.PHONE, 0, "maja"),
            ],
        ),
        Lead(
            "Dorota",
            "Wróbel",
            "",
            "+48601100145",
            "dorota.wrobel@example.pl",
            "Łódź",
            "bartek",
            {INTEREST: ONE_OFF, AMOUNT: "300", FIRST_GIFT: 3},
            button=PLEDGED,
            withdrawn=True,
            consents=[
                ConsentRow(MARKETING, True, M.PHONE, 3, "bartek"),
                ConsentRow(MARKETING, False, M.EMAIL, 1, "anna", "Prosi mailowo, by więcej nie dzwonić."),
            ],
        ),
        Lead(
            "Paweł",
            "Kubiak",
            "",
            "+48601100146",
            "pawel.kubiak@example.pl",
            "Warszawa",
            "anna",
            {INTEREST: NOT_NOW, CALL_NOTES: "Wspiera już inną organizację."},
            button=REFUSED,
        ),
        Lead("", "", "Sklep Żelazny Dwór", "+48601100147", "sklep@zelaznydwor.example", "Warszawa", ""),
        Lead("Hanna", "Kołodziej", "", "+48601100148", "hanna.kolodziej@example.pl", "Otwock", ""),
    ],  # fmt: skip
    details=[
        Details(
            "Krawczyk",
            "+48221100198",
            "zofia@krawczyk-projekty.example",
            "ul. Ogrodowa 12 m. 4",
            "00-896",
            "Warszawa",
            "Polska",
            "D-1042",
            2,
            [
                ConsentRow(SERVICE, True, M.WEB_FORM, 30, "anna"),
                ConsentRow(NEWSLETTER, True, M.WEB_FORM, 30, "anna"),
                ConsentRow(NEWSLETTER, False, M.PHONE, 2, "grzegorz", "Za dużo maili; będzie śledzić nas w sieci."),
            ],
        ),
        Details(
            "Pawlak",
            "+48221100199",
            "grazyna@pawlakowie.example",
            "ul. Młyńska 48",
            "05-500",
            "Piaseczno",
            "Polska",
            "D-0977",
            0,
            [ConsentRow(SERVICE, True, M.IN_PERSON, 90, "anna"), ConsentRow(MARKETING, True, M.IN_PERSON, 90, "anna")],
        ),
    ],  # fmt: skip
    withdrawn_note="Darczyńca wycofał deklarację mailowo.",
    country="Polska",
)

CENTER_TEXTS = {"en": ENGLISH, "pl": POLISH}
