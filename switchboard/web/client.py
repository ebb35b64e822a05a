"""The browser and operating system a web form was sent from, read from its User-Agent with
ua-parser's maintained rules: "Firefox 133 on Windows 10"."""

from __future__ import annotations

from ua_parser import parse

MAX_USER_AGENT = 1000  # longer ones are not real browsers, and the rules' work grows with the text


def describe_client(user_agent: str) -> str:
    """ "Firefox 133 on Windows 10", "Mobile Safari 17 on iOS 17.5"; "" when nothing is known."""
    result = parse(user_agent[:MAX_USER_AGENT])
    browser = system = ""
    if result.user_agent is not None and result.user_agent.family != "Other":
        browser = " ".join(part for part in (result.user_agent.family, result.user_agent.major) if part)
    if result.os is not None and result.os.family != "Other":
        version = ".".join(part for part in (result.os.major, result.os.minor) if part)
        system = " ".join(part for part in (result.os.family, version) if part)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system
