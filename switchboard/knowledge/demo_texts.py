# ruff: noqa: E501 -- the demo's prose: an article's sentences read better unbroken
"""The food bank's knowledge base for the demo, in English and Polish (SELF-02)."""

from __future__ import annotations

from typing import NamedTuple


class DemoCategory(NamedTuple):
    key: str
    name: str
    slug: str
    description: str
    icon: str
    parent: str = ""


class DemoArticle(NamedTuple):
    category: str
    title: str
    summary: str
    body: str
    internal: bool = False
    views: int = 0
    helped: tuple[int, int] = (0, 0)


CATEGORIES = {
    "en": [
        DemoCategory("help", "Getting food", "getting-food", "Parcels, pick-up points and who can get help.", "basket"),
        DemoCategory(
            "pickup", "Pick-up points", "pick-up-points", "Where and when parcels are handed out.", "geo-alt", "help"
        ),
        DemoCategory("give", "Donating", "donating", "Food, money and company collections.", "gift"),
        DemoCategory("volunteer", "Volunteering", "volunteering", "Shifts, training and what volunteers do.", "people"),
        DemoCategory("team", "For our team", "for-our-team", "How we work: for agents only.", "headset"),
    ],
    "pl": [
        DemoCategory(
            "help",
            "Pomoc żywnościowa",
            "pomoc-zywnosciowa",
            "Paczki, punkty odbioru i kto może dostać pomoc.",
            "basket",
        ),
        DemoCategory("pickup", "Punkty odbioru", "punkty-odbioru", "Gdzie i kiedy wydajemy paczki.", "geo-alt", "help"),
        DemoCategory("give", "Darowizny", "darowizny", "Żywność, pieniądze i zbiórki w firmach.", "gift"),
        DemoCategory("volunteer", "Wolontariat", "wolontariat", "Dyżury, szkolenia i praca wolontariuszy.", "people"),
        DemoCategory("team", "Dla zespołu", "dla-zespolu", "Jak pracujemy: tylko dla konsultantów.", "headset"),
    ],
}

ARTICLES = {
    "en": [
        DemoArticle(
            "help",
            "Who can get a food parcel?",
            "Referrals, income limits and what to bring the first time.",
            "<p>Anyone living in the city whose income is below the limit set by the social welfare centre can get a parcel. "
            "You need a <strong>referral</strong> from the social welfare centre (MOPS) or from one of our partner parishes.</p>"
            "<ul><li>Bring the referral and an identity document the first time.</li><li>After that, your card is enough.</li></ul>",
            views=412,
            helped=(58, 6),
        ),
        DemoArticle(
            "pickup",
            "Pick-up times in Łódź",
            "Tuesdays and Thursdays, 9:00–13:00, Piotrkowska 10.",
            "<p>Parcels are handed out at the warehouse at <strong>Piotrkowska 10</strong>, back entrance from the yard.</p>"
            "<table><thead><tr><th>Day</th><th>Hours</th></tr></thead><tbody><tr><td>Tuesday</td><td>9:00–13:00</td></tr>"
            "<tr><td>Thursday</td><td>13:00–17:00</td></tr></tbody></table><p>On public holidays we are closed; the parcel waits for the next pick-up day.</p>",
            views=388,
            helped=(71, 3),
        ),
        DemoArticle(
            "pickup",
            "Someone else picking up my parcel",
            "A signed authorisation and their own identity document.",
            "<p>If you cannot come, someone you trust may pick up your parcel. They bring a short signed note from you "
            "(your name, theirs, the date) and their own identity document.</p>",
            views=96,
            helped=(17, 2),
        ),
        DemoArticle(
            "help",
            "Special diets and allergies",
            "Gluten-free and baby food parcels on request.",
            "<p>Tell us about allergies or a baby in the family when you register. We prepare gluten-free parcels and baby food "
            "as far as our stock allows.</p>",
            views=121,
            helped=(20, 5),
        ),
        DemoArticle(
            "give",
            "Donating food",
            "What we accept and where to bring it.",
            "<p>We accept food with at least <strong>two weeks</strong> before its best-before date: tins, pasta, rice, "
            "flour, oil, baby food. We cannot take home-made food or opened packages.</p><p>Bring donations to the warehouse "
            "on weekdays from 8:00 to 16:00.</p>",
            views=203,
            helped=(31, 4),
        ),
        DemoArticle(
            "give",
            "Company food collections",
            "We bring the boxes, your team fills them.",
            "<p>Companies can run a collection in their office: we bring marked boxes and posters, collect them after two weeks "
            "and send a thank-you letter with the weight collected.</p>",
            views=64,
            helped=(9, 0),
        ),
        DemoArticle(
            "give",
            "Receipts for donations",
            "A donation receipt for your tax return.",
            "<p>For money donated by bank transfer we send a receipt in January. For food donated by companies we sign a "
            "donation agreement on the day of delivery.</p>",
            views=57,
            helped=(8, 1),
        ),
        DemoArticle(
            "volunteer",
            "How to become a volunteer",
            "Fill in the form, come to a two-hour training, pick your shifts.",
            "<ol><li>Fill in the volunteer form on our website.</li><li>Come to a training on the first Saturday of the month.</li>"
            "<li>Choose shifts in the warehouse, at pick-up points or at collections.</li></ol>"
            "<p>Volunteers under 18 need a parent's consent.</p>",
            views=264,
            helped=(44, 2),
        ),
        DemoArticle(
            "volunteer",
            "Volunteer certificates",
            "A certificate of your hours, for school or work.",
            "<p>Ask the volunteer coordinator for a certificate: it lists your hours and what you did. It takes about a week.</p>",
            views=48,
            helped=(7, 0),
        ),
        DemoArticle(
            "team",
            "Handing out a parcel without a referral",
            "What to do when someone comes without papers.",
            "<p>Give one <strong>emergency parcel</strong> and write it in the register with the note “no referral”. "
            "Send the person to the social welfare centre and add a note to their ticket.</p>",
            internal=True,
            views=35,
        ),
        DemoArticle(
            "team",
            "Answering a complaint about a parcel",
            "Apologise, replace, record the batch.",
            "<p>Apologise, offer a replacement at the next pick-up and record the product's batch number in a note. "
            "Escalate to the warehouse manager if the food was spoiled.</p>",
            internal=True,
            views=22,
        ),
        DemoArticle(
            "team",
            "Callbacks for volunteers at collections",
            "Who calls whom before a weekend collection.",
            "<p>On the Wednesday before a collection, call every volunteer signed up for it. No answer: leave a voicemail "
            "and set a callback for Thursday.</p>",
            internal=True,
            views=14,
        ),
    ],
    "pl": [
        DemoArticle(
            "help",
            "Kto może otrzymać paczkę żywnościową?",
            "Skierowanie, kryterium dochodowe i co zabrać za pierwszym razem.",
            "<p>Paczkę może otrzymać każdy mieszkaniec miasta, którego dochód nie przekracza kryterium ustalonego przez ośrodek "
            "pomocy społecznej. Potrzebne jest <strong>skierowanie</strong> z MOPS albo z jednej z parafii partnerskich.</p>"
            "<ul><li>Za pierwszym razem zabierz skierowanie i dowód osobisty.</li><li>Później wystarczy karta odbioru.</li></ul>",
            views=412,
            helped=(58, 6),
        ),
        DemoArticle(
            "pickup",
            "Godziny wydawania paczek w Łodzi",
            "Wtorki i czwartki, ul. Piotrkowska 10.",
            "<p>Paczki wydajemy w magazynie przy <strong>ul. Piotrkowskiej 10</strong>, wejście od podwórza.</p>"
            "<table><thead><tr><th>Dzień</th><th>Godziny</th></tr></thead><tbody><tr><td>Wtorek</td><td>9:00–13:00</td></tr>"
            "<tr><td>Czwartek</td><td>13:00–17:00</td></tr></tbody></table><p>W święta magazyn jest zamknięty; paczka czeka do następnego dnia wydawania.</p>",
            views=388,
            helped=(71, 3),
        ),
        DemoArticle(
            "pickup",
            "Odbiór paczki przez inną osobę",
            "Podpisane upoważnienie i dokument tożsamości tej osoby.",
            "<p>Jeśli nie możesz przyjść, paczkę może odebrać zaufana osoba. Przynosi krótkie upoważnienie z Twoim podpisem "
            "(Twoje imię i nazwisko, jej dane, data) i własny dokument tożsamości.</p>",
            views=96,
            helped=(17, 2),
        ),
        DemoArticle(
            "help",
            "Diety i alergie",
            "Paczki bezglutenowe i z żywnością dla niemowląt na życzenie.",
            "<p>Przy rejestracji powiedz nam o alergiach albo o niemowlęciu w rodzinie. Przygotowujemy paczki bezglutenowe "
            "i z żywnością dla dzieci, na ile pozwalają zapasy.</p>",
            views=121,
            helped=(20, 5),
        ),
        DemoArticle(
            "give",
            "Przekazywanie żywności",
            "Co przyjmujemy i gdzie to przynieść.",
            "<p>Przyjmujemy żywność, której termin przydatności upływa najwcześniej za <strong>dwa tygodnie</strong>: konserwy, "
            "makaron, ryż, mąkę, olej, żywność dla dzieci. Nie przyjmujemy domowych przetworów ani otwartych opakowań.</p>"
            "<p>Dary prosimy przynosić do magazynu w dni robocze od 8:00 do 16:00.</p>",
            views=203,
            helped=(31, 4),
        ),
        DemoArticle(
            "give",
            "Zbiórki żywności w firmach",
            "Przywozimy kartony, Twój zespół je napełnia.",
            "<p>Firmy mogą zorganizować zbiórkę w biurze: przywozimy oznaczone kartony i plakaty, odbieramy je po dwóch "
            "tygodniach i wysyłamy podziękowanie z wagą zebranej żywności.</p>",
            views=64,
            helped=(9, 0),
        ),
        DemoArticle(
            "give",
            "Potwierdzenia darowizn",
            "Potwierdzenie darowizny do zeznania podatkowego.",
            "<p>Za darowizny przelewem wysyłamy potwierdzenie w styczniu. Z firmami przekazującymi żywność podpisujemy umowę "
            "darowizny w dniu dostawy.</p>",
            views=57,
            helped=(8, 1),
        ),
        DemoArticle(
            "volunteer",
            "Jak zostać wolontariuszem",
            "Wypełnij formularz, przyjdź na szkolenie, wybierz dyżury.",
            "<ol><li>Wypełnij formularz wolontariusza na naszej stronie.</li><li>Przyjdź na szkolenie w pierwszą sobotę miesiąca.</li>"
            "<li>Wybierz dyżury w magazynie, w punktach wydawania albo przy zbiórkach.</li></ol>"
            "<p>Wolontariusze poniżej 18 lat potrzebują zgody rodzica.</p>",
            views=264,
            helped=(44, 2),
        ),
        DemoArticle(
            "volunteer",
            "Zaświadczenia dla wolontariuszy",
            "Zaświadczenie o przepracowanych godzinach, do szkoły lub pracy.",
            "<p>Poproś koordynatora wolontariatu o zaświadczenie: zawiera liczbę godzin i zakres zadań. Trwa to około tygodnia.</p>",
            views=48,
            helped=(7, 0),
        ),
        DemoArticle(
            "team",
            "Wydanie paczki bez skierowania",
            "Co zrobić, gdy ktoś przychodzi bez dokumentów.",
            "<p>Wydaj jedną <strong>paczkę interwencyjną</strong> i wpisz ją do rejestru z uwagą „bez skierowania”. "
            "Skieruj osobę do MOPS i dodaj notatkę do jej sprawy.</p>",
            internal=True,
            views=35,
        ),
        DemoArticle(
            "team",
            "Odpowiedź na reklamację paczki",
            "Przeproś, wymień, zapisz partię.",
            "<p>Przeproś, zaproponuj wymianę przy następnym odbiorze i zapisz numer partii produktu w notatce. "
            "Jeśli żywność była zepsuta, przekaż sprawę kierownikowi magazynu.</p>",
            internal=True,
            views=22,
        ),
        DemoArticle(
            "team",
            "Oddzwonienia do wolontariuszy przed zbiórką",
            "Kto dzwoni do kogo przed weekendową zbiórką.",
            "<p>W środę przed zbiórką zadzwoń do każdego zapisanego wolontariusza. Gdy nie odbiera, zostaw wiadomość "
            "i ustaw oddzwonienie na czwartek.</p>",
            internal=True,
            views=14,
        ),
    ],
}
