"""The ``switchboard`` command.

    switchboard run            embedded: migrate, offer demo data, serve HTTP + WebSockets and run
                               the job consumer in threads, all in one process (SQLite)
    switchboard web            scaled: serve HTTP + WebSockets (uvicorn; WEB_CONCURRENCY processes)
    switchboard worker         scaled: run the job consumer (WORKERS threads; periodic jobs with
                               SCHEDULER=1, the default: run exactly one worker with it)
    switchboard seed-bench     generate benchmark data (see bench/README.md)
    switchboard check-mail     check the mailboxes for new mail now (the job does it every minute)
    switchboard lmtp           receive mail pushed by the mail server over LMTP (LMTP_HOST, LMTP_PORT)
    switchboard import-mail PATH --group SLUG
                               import an mbox file, a Maildir or a folder of .eml files
    switchboard manage ...     any Django management command (migrate, createsuperuser, ...)

Host and port come from HOST (127.0.0.1) and PORT (8000); every other setting from the
environment too (README, "Configuration").
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _setup_server() -> None:
    """Django for a long-running process (run, web, worker), with its start-up warnings. Sent
    SIGUSR1, the process prints every thread's stack to its error output (a hung request's)."""
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    _setup()
    from switchboard.core.secrets import warn_if_keys_are_derived

    warn_if_keys_are_derived()


def _host_port() -> tuple[str, int]:
    from config.env import env_int, env_str

    return env_str("HOST", "127.0.0.1"), env_int("PORT", default=8000)


def run_embedded(args: list[str]) -> int:
    """One process: web, WebSockets, jobs and the job scheduler. Ctrl-C stops it cleanly."""
    _setup_server()
    import uvicorn
    from django.core.management import call_command
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from config.env import env_str
    from switchboard.audit.demo import load_audit_demo
    from switchboard.chat.demo import load_chat_demo
    from switchboard.knowledge.demo import load_knowledge_demo
    from switchboard.phone.demo import load_phone_demo
    from switchboard.portal.demo import load_portal_demo
    from switchboard.shift.demo import load_clock_demo
    from switchboard.shift.demo_outages import load_outage_demo
    from switchboard.shift.demo_queue_reports import load_queue_report_demo
    from switchboard.tickets.demo import offer_demo_data
    from switchboard.tickets.demo_book import load_book_demo
    from switchboard.tickets.demo_categories import load_category_demo
    from switchboard.tickets.demo_links import load_links_demo
    from switchboard.tickets.demo_reports import load_reports_demo
    from switchboard.tickets.demo_service_levels import load_service_level_demo
    from switchboard.tickets.demo_solutions import load_solutions_demo
    from switchboard.tickets.demo_states import load_states_demo
    from switchboard.tickets.demo_time import load_time_demo
    from switchboard.tickets.demo_todos import load_todo_demo
    from switchboard.web.demo import load_web_demo

    call_command("migrate", interactive=False, verbosity=0)
    demo_arg = next((arg for arg in args if arg.startswith(("--demo", "--no-demo"))), None)
    if language := offer_demo_data(answer=demo_arg, default_from_env=env_str("SWITCHBOARD_DEMO")):
        load_phone_demo(language)
        load_knowledge_demo(language)
        load_web_demo(language)
        load_portal_demo(language)
        load_category_demo(language)  # after the web form's, whose categories it keeps
        load_solutions_demo(language)
        load_chat_demo(language)
        load_todo_demo(language)
        load_time_demo(language)
        load_book_demo(language)
        load_links_demo(language)
        load_outage_demo(language)
        load_clock_demo(language)
        load_states_demo(language)
        load_queue_report_demo(language)
        load_service_level_demo(language)
        load_reports_demo(language)  # after the service levels: its tickets get their clocks
        load_audit_demo(language)  # last: the people's changes come after the demo's own set-up
    host, port = _host_port()
    autodiscover_modules("tasks")  # register every app's jobs with the consumer
    consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True, check_worker_health=False)
    consumer.start()
    print(f"Switchboard is running at http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    try:
        uvicorn.Server(uvicorn.Config("config.asgi:application", host=host, port=port, lifespan="off")).run()
    finally:
        consumer.stop(graceful=True)
    return 0


def run_web(args: list[str]) -> int:
    import uvicorn

    from config.env import env_int, env_list

    _setup_server()
    host, port = _host_port()
    uvicorn.run(
        "config.asgi:application",
        host=host,
        port=port,
        workers=env_int("WEB_CONCURRENCY", default=1),
        lifespan="off",
        proxy_headers=True,
        forwarded_allow_ips=env_list("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )
    return 0


def run_worker(args: list[str]) -> int:
    _setup_server()
    from django.core.management import call_command

    from config.env import env_bool, env_int

    options = {"workers": env_int("WORKERS", default=2), "worker_type": "thread"}
    if not env_bool("SCHEDULER", default=True):
        options["periodic"] = False
    call_command("run_huey", *args, **options)
    return 0


def run_manage(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["switchboard manage", *args])
    return 0


def run_seed_bench(args: list[str]) -> int:
    return run_manage(["seed_bench", *args])


def run_check_mail(args: list[str]) -> int:
    return run_manage(["check_mail", *args])


def run_lmtp(args: list[str]) -> int:
    return run_manage(["lmtp", *args])


def run_import_mail(args: list[str]) -> int:
    return run_manage(["import_mail", *args])


COMMANDS = {
    "run": run_embedded,
    "web": run_web,
    "worker": run_worker,
    "manage": run_manage,
    "seed-bench": run_seed_bench,
    "check-mail": run_check_mail,
    "import-mail": run_import_mail,
    "lmtp": run_lmtp,
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        print(__doc__)
        return 0 if not args or args[0] in {"-h", "--help", "help"} else 2
    return COMMANDS[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
