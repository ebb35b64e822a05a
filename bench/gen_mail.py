#!/usr/bin/env python3
"""Generate N realistic inbound .eml files (stdlib only, reusable for any system).

Copied from ../shared/bench/gen_mail.py, the generator peers were measured with; kept as it is
(outside ruff and mypy) so that figures compare.

Mix (deterministic for a given --seed):
  ~70% new requests, ~30% replies to existing tickets
  body kinds: plain text / HTML+plain multipart/alternative / HTML-only / with a PDF-ish attachment
  Polish UTF-8 subjects and bodies, transfer encodings 8bit / quoted-printable / base64
Replies put "[Ticket#<ticket number>]" in the subject (Switchboard's ticket token; the original,
../shared/bench/gen_mail.py, puts django-helpdesk's "[<slug>-<ticket id>]" there — the only change),
carry a quoted previous message, and half of them also set In-Reply-To to the
Message-ID of the ticket's original followup (<seed-ID@bench.test>).

A manifest (JSON lines, one per message) is written next to, not into, the mail dir:
  {"file", "message_id", "kind", "reply_to_ticket"}
"""
import argparse
import json
import os
import random
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone, timedelta

SUBJECTS = [
    "Nie działa drukarka w pokoju 12",
    "Prośba o reset hasła do poczty",
    "Błąd przy logowaniu do systemu księgowego",
    "Zamówienie nr {n} – brak potwierdzenia",
    "Faktura korygująca za październik",
    "Żądanie dostępu do katalogu współdzielonego",
    "Awaria VPN – pilne!",
    "Pytanie o gwarancję urządzenia",
    "Zgłoszenie: laptop się przegrzewa",
    "Reklamacja przesyłki {n}",
]
NAMES = ["Łukasz Żółkiewski", "Agnieszka Wąsowska", "Grzegorz Brzęczyszczykiewicz",
         "Małgorzata Kościuszko", "Paweł Świątek", "Zofia Łęcka", "John Smith"]
PARAS = [
    "Dzień dobry, od wczoraj nie mogę się zalogować – system zwraca błąd 500.",
    "Proszę o pilną pomoc, ponieważ cała księgowość stoi w miejscu.",
    "Zażółć gęślą jaźń. Próbowałem już zrestartować komputer, nic to nie dało.",
    "W załączniku przesyłam zrzut ekranu oraz fakturę w formacie PDF.",
    "Numer seryjny urządzenia: PL-{n}-ŁÓDŹ. Zakupione w zeszłym roku.",
    "Czy mogą Państwo potwierdzić otrzymanie zgłoszenia? Z góry dziękuję.",
    "Problem występuje tylko w przeglądarce Firefox, w Chrome działa poprawnie.",
    "Plik z błędem leży w C:\\Users\\nowak\\raport_źródłowy.xlsx (ścieżka sieciowa \\\\srv01\\dział).",
]


def body_text(rng, n):
    paras = rng.sample(PARAS, k=rng.randint(2, 5))
    return "\n\n".join(p.format(n=n) for p in paras) + "\n\nPozdrawiam,\n" + rng.choice(NAMES) + "\n"


def html_of(text):
    paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    return f"<html><head><meta charset='utf-8'></head><body><div style='font-family:Arial'>{paras}</div></body></html>"


def fake_pdf(rng, size):
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    return head + rng.randbytes(size) + b"\n%%EOF\n"


def make_message(rng, i, slug, reply_ids, to_addr):
    msg = EmailMessage()
    sender = rng.choice(NAMES)
    local = f"user{rng.randint(1, 400)}"
    msg["From"] = f"{sender} <{local}@klient.example.pl>"
    msg["To"] = to_addr
    msg["Date"] = format_datetime(datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=i))
    msg_id = f"<bench-{i}-{rng.randrange(10**9)}@klient.example.pl>"
    msg["Message-ID"] = msg_id
    subject = rng.choice(SUBJECTS).format(n=10000 + i)
    text = body_text(rng, i)
    reply_to = None
    if reply_ids and rng.random() < 0.30:
        reply_to = rng.choice(reply_ids)
        subject = f"Re: [Ticket#{reply_to}] {subject}"
        text = (f"Dziękuję, ale problem nadal występuje ({i}).\n\n"
                f"W dniu 3.11.2026 o 10:15 Helpdesk <{to_addr}> napisał(a):\n"
                + "".join("> " + line + "\n" for line in body_text(rng, i).splitlines()))
        if rng.random() < 0.5:
            msg["In-Reply-To"] = f"<seed-{reply_to}@bench.test>"
            msg["References"] = f"<seed-{reply_to}@bench.test>"
    msg["Subject"] = subject

    kind_roll = rng.random()
    cte = rng.choice(["8bit", "quoted-printable", "base64"])
    if kind_roll < 0.40:
        kind = "plain"
        msg.set_content(text, cte=cte)
    elif kind_roll < 0.75:
        kind = "alternative"
        msg.set_content(text, cte=cte)
        msg.add_alternative(html_of(text), subtype="html", cte=cte)
    elif kind_roll < 0.80:
        kind = "html-only"
        msg.set_content(html_of(text), subtype="html", cte=cte)
    else:
        kind = "attachment"
        msg.set_content(text, cte=cte)
        if rng.random() < 0.5:
            msg.add_alternative(html_of(text), subtype="html", cte=cte)
        msg.add_attachment(fake_pdf(rng, rng.randint(20_000, 200_000)), maintype="application",
                           subtype="pdf", filename=f"faktura_{i}_źródło.pdf")
    return msg, msg_id, kind, reply_to


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, help="mail directory to fill")
    ap.add_argument("--manifest", required=True, help="JSON-lines manifest path (outside --out)")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--slug", default="support")
    ap.add_argument("--reply-ids", default="", help="ticket id range a-b that replies may reference")
    ap.add_argument("--to", default="support@helpdesk.example.test")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    reply_ids = []
    if a.reply_ids:
        lo, hi = (int(x) for x in a.reply_ids.split("-"))
        reply_ids = list(range(lo, hi + 1))
    os.makedirs(a.out, exist_ok=True)
    total = 0
    with open(a.manifest, "w") as man:
        for i in range(a.n):
            msg, msg_id, kind, reply_to = make_message(rng, i, a.slug, reply_ids, a.to)
            fname = f"msg-{i:06d}.eml"
            data = msg.as_bytes()
            total += len(data)
            with open(os.path.join(a.out, fname), "wb") as f:
                f.write(data)
            man.write(json.dumps({"file": fname, "message_id": msg_id, "kind": kind,
                                  "reply_to_ticket": reply_to}) + "\n")
    print(f"wrote {a.n} messages, {total / 1e6:.1f} MB, to {a.out}")


if __name__ == "__main__":
    main()
