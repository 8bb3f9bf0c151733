"""The statutory statements and the appropriation of the result over the API.

The web world (Testland, 2026-07-06): E000001 invoiced 1,000.00 and E000002 300.00 to
outside clients (fees 65.00 and 19.50, of which 13.00 and 3.90 to the fund). The legal
person's income is the 1,300.00 from outside; the fees are eliminated on both sides.
"""

from __future__ import annotations

from tests.web.test_web_risk import Client, web  # noqa: F401  (fixture)

STATUTORY = "/api/v1/instance/statutory"
APPROPRIATIONS = "/api/v1/instance/appropriations"


def test_the_administrator_reads_the_legal_persons_statements(web: Client) -> None:  # noqa: F811
    answer = web.client.get(
        STATUTORY, params={"from": "2026-01-01", "to": "2026-07-06"}, headers=web.bearer("admin")
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["profit_and_loss"]["totals"] == {"Expenses": "0.00", "Income": "1300.00"}
    assert found["unmatched"] == "0.00"
    eliminated = {e["account"]: (e["debit"], e["credit"]) for e in found["eliminated"]}
    assert eliminated["7020"] == ("0.00", "84.50") and eliminated["6030"] == ("84.50", "0.00")
    assert found["balance_sheet"]["result"] == "1300.00"
    sheet = found["balance_sheet"]["totals"]
    assert sheet["Assets"] == sheet["Liabilities and equity"]


def test_an_appropriation_waits_for_the_year_to_close(web: Client) -> None:  # noqa: F811
    answer = web.client.post(
        APPROPRIATIONS,
        json={"year": 2026, "decided_on": "2026-07-06", "decision": "GA resolution 1"},
        headers=web.bearer("admin"),
    )
    assert answer.status_code >= 400
    assert "close the fiscal year before appropriating its result" in answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
