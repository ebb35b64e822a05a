"""Server time of the knowledge base's search (SELF-02) at 10,000 articles: the help centre's
search page (/kb/?q=…) and the suggestions shown under a field as one types (/kb/suggestions/).

    SWITCHBOARD_DATA_DIR=/tmp/bench-kb .venv/bin/switchboard manage migrate
    SWITCHBOARD_DATA_DIR=/tmp/bench-kb .venv/bin/python bench/kb_search.py [--articles 10000] [--runs 30]
    DATABASE_URL=postgres://… .venv/bin/python bench/kb_search.py          # PostgreSQL

Adds articles until there are ``--articles`` (English and Polish text made of the demo's words,
one in five for agents only, one in ten a draft; repeatable), then requests each search in-process
through Django's test client (middleware, view, selectors, template; no network) as an anonymous
visitor and as an agent. Prints median and p95 milliseconds, the median CPU time of this process
and the queries per request. Aim: a median under 50 ms on SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from switchboard.knowledge.demo_texts import ARTICLES  # noqa: E402
from switchboard.knowledge.models import Article  # noqa: E402
from switchboard.knowledge.search import search_columns  # noqa: E402
from switchboard.tickets.models import Group, Membership  # noqa: E402

SEARCHES = {
    "one letter": "p",
    "word begun": "volun",
    "whole word": "warehouse",
    "polish unaccented": "lodz",
    "polish begun": "wolon",
    "two words": "parcel referral",
    "no match": "zzyzx",
}
SENTENCE = "Hello, when can I pick up a food parcel in Łódź and do I need a referral from the welfare centre?"


def vocabulary() -> dict[str, list[str]]:
    return {
        language: re.findall(r"[^\W\d_]+", " ".join(f"{a.title} {a.summary} {a.body}" for a in articles))
        for language, articles in ARTICLES.items()
    }


def seed(wanted: int) -> None:
    have = Article.objects.count()
    if have >= wanted:
        return
    rng = random.Random(42 + have)  # noqa: S311 - pseudo-random text, not secrets
    words = vocabulary()
    batch = []
    for n in range(have, wanted):
        language = "pl" if n % 2 else "en"
        title = " ".join(rng.choices(words[language], k=rng.randint(3, 7))).capitalize()
        paragraphs = [" ".join(rng.choices(words[language], k=rng.randint(30, 80))) for _ in range(rng.randint(2, 5))]
        body = "".join(f"<p>{text}.</p>" for text in paragraphs)
        article = Article(
            title=title,
            slug=f"bench-{n}",
            body_html=body,
            language=language,
            visibility=Article.Visibility.INTERNAL if n % 5 == 0 else Article.Visibility.PUBLIC,
            state=Article.State.DRAFT if n % 10 == 1 else Article.State.PUBLISHED,
            published_at=timezone.now(),
            view_count=rng.randint(0, 500),
        )
        for column, value in search_columns(title=title, summary="", body_html=body).items():
            setattr(article, column, value)
        batch.append(article)
        if len(batch) == 1000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_article")


def agent() -> User:
    user, created = User.objects.get_or_create(username="bench-kb-agent")
    if created:
        group, _ = Group.objects.get_or_create(name="Bench KB", defaults={"slug": "bench-kb"})
        Membership.objects.create(user=user, group=group)
    return user


def measure(client: Client, url: str, runs: int) -> tuple[float, float, float, int]:
    client.get(url)  # warm caches and connections
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statistics.median(cpu), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    seed(args.articles)
    settings.ALLOWED_HOSTS.append("testserver")
    visitor, signed_in = Client(), Client()
    signed_in.force_login(agent())
    requests: dict[str, tuple[Client, str]] = {}
    for label, text in SEARCHES.items():
        requests[f"search {label}"] = (visitor, f"/kb/?q={quote(text)}")
        requests[f"suggest {label}"] = (visitor, f"/kb/suggestions/?q={quote(text)}")
    requests["suggest a question"] = (visitor, f"/kb/suggestions/?q={quote(SENTENCE)}")
    requests["agent search begun"] = (signed_in, f"/kb/?q={quote('volun')}")
    requests["agent suggest question"] = (signed_in, f"/kb/suggestions/?q={quote(SENTENCE)}")
    print(f"database: {connection.vendor}; articles: {Article.objects.count():,}; {args.runs} runs each")
    print(f"{'request':<28}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>10}{'queries':>9}")
    for name, (client, url) in requests.items():
        median, p95, cpu, queries = measure(client, url, args.runs)
        print(f"{name:<28}{median:>10.1f}{p95:>10.1f}{cpu:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
