"""Which Authentication-Results headers are believed (mail trust): only the topmost ones with a
trusted authserv-id, and for each method the topmost result."""

from __future__ import annotations

import pytest

from switchboard.intake.trust import trusted_authentication

OURS = "mx.foodbank.example"


@pytest.fixture(autouse=True)
def trusted(settings):
    settings.TRUSTED_AUTHSERV_IDS = [OURS]


@pytest.mark.spec("MAIL-06")
@pytest.mark.parametrize(
    ("headers", "proves"),
    [
        ([f"{OURS}; dkim=pass header.d=foodbank.example"], True),
        ([f"{OURS}; dkim=pass header.d=mail.foodbank.example"], True),  # relaxed alignment
        ([f"{OURS}; spf=pass smtp.mailfrom=anna@foodbank.example"], True),
        ([f"{OURS} 1; dkim=pass (2048-bit key) header.d=foodbank.example"], True),  # version and comment
        ([f"{OURS}; dkim=pass header.d=notfoodbank.example"], False),  # not aligned
        ([f"{OURS}; dkim=fail header.d=foodbank.example"], False),
        ([f"{OURS}; spf=pass smtp.mailfrom=bounce@evil.example"], False),
        (["evil.example; dkim=pass header.d=foodbank.example"], False),  # not our server
        (["evil.example; none", f"{OURS}; dkim=pass header.d=foodbank.example"], False),  # below another's
        ([f"{OURS}; dkim=fail header.d=foodbank.example", f"{OURS}; dkim=pass header.d=foodbank.example"], False),
        ([f"{OURS}; spf=none", f"{OURS}; dkim=pass header.d=foodbank.example"], True),  # ours, two headers
        (["not a header at all", f"{OURS}; dkim=pass header.d=foodbank.example"], False),
        ([], False),
    ],
)
def test_only_our_servers_topmost_results_prove_an_agents_address(headers, proves):
    assert trusted_authentication(headers).proves("anna@foodbank.example") is proves


@pytest.mark.spec("MAIL-11")
def test_spf_and_dmarc_failures_are_read_only_from_our_server(settings):
    assert trusted_authentication([f"{OURS}; spf=softfail smtp.mailfrom=x@y.example"]).spf_failed
    assert trusted_authentication([f"{OURS}; dmarc=fail header.from=y.example"]).dmarc_failed
    assert not trusted_authentication(["evil.example; dmarc=fail header.from=y.example"]).dmarc_failed
    settings.TRUSTED_AUTHSERV_IDS = []
    assert not trusted_authentication([f"{OURS}; spf=fail smtp.mailfrom=x@y.example"]).spf_failed
