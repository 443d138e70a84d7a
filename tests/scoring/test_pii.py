from __future__ import annotations

from scoring._text import normalize
from scoring.pii import PiiFinder, luhn_ok


def _find(text: str, brand: str | None = None) -> list[str]:
    return [e.text or "" for e in PiiFinder().in_reply(text, normalize(text), brand)]


def test_pii_finds_phone_email_card_and_numbers() -> None:
    """Personal phones, e-mails, Luhn-valid cards and labelled numbers are personal data."""
    assert _find("text my cell 415-555-0132") == ["415-555-0132"]
    assert _find("we emailed dana.r@gmail.com") == ["dana.r@gmail.com"]
    assert _find("card 4111 1111 1111 1111 was used") == ["4111 1111 1111 1111"]
    assert _find("your order #48213 and account ending in 4421") == ["48213", "4421"]


def test_pii_ignores_official_contacts() -> None:
    """The brand's support address and toll-free or official lines are fine."""
    assert _find("email support@novapay.example or call us on 1-800-555-0199") == []
    assert _find("write to help@whatever.example") == []


def test_pii_echo_is_fuzzy() -> None:
    """A reply repeating the customer's order number with other punctuation is an echo."""
    f = PiiFinder()
    cands = f.candidates(("charged twice for order #48213-AZ",))
    reply = "Hi, 48213AZ shows two payments"
    ev = f.echoes(reply, normalize(reply), cands)
    assert [e.text for e in ev] == ["48213AZ"] and ev[0].detector.startswith("echo:")


def test_luhn() -> None:
    """The Luhn check accepts test card numbers and rejects neighbours."""
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
