"""Personal data in a reply: patterns (e-mail, phone, card, order/account numbers, addresses) and echoes.

Phone numbers are found with ``phonenumbers``; a reply that echoes personal data the customer posted
(an order number, an address, an e-mail) is caught by fuzzy alignment with ``rapidfuzz``, so
``#48213-AZ`` in the post still matches ``48213AZ`` in the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from rapidfuzz import fuzz

from .types import Evidence

__all__ = ["PiiFinder", "luhn_ok"]

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# The patterns below are lower-case and run on the normalised text (``_text.normalize``: lower-cased, same offsets), so
# no IGNORECASE matching is needed (3x faster on the label pattern; the same spans on every labelled reply and post).
# a number with a label: order #48213, account no. 12345678, ref AB-1234567, ending in 4421
LABELLED = re.compile(
    r"\b(?:order|account|acct|a/c|booking|reservation|tracking|policy|member(?:ship)?|customer|card|invoice|"
    r"confirmation|reference|ref|ticket|case|claim|loyalty|iban|sort code|routing|parcel|package|shipment)"
    r"(?:\s+(?:number|no\.?|num|id|#|ending(?: in)?|code))?\s*(?:#|:|is|was)?\s*"
    r"(?P<num>[a-z]{0,4}-?\d[\d-]{3,}[a-z0-9]*)\b"
    r"|\b(?:ending in|ends in|last (?:4|four)(?: digits)?(?: are| of)?)\s*(?P<tail>\d{4})\b"
)
ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[a-z][a-z]+\.?\s+){1,3}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|"
    r"court|ct|way|place|pl|terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy)\b\.?"
    r"|\b(?:apt|apartment|flat|unit|suite)\s*#?\s*\d+[a-z]?\b"
)
ROOM = re.compile(r"\b(?:room|seat|cabin|berth|bed|locker)\s*#?\s*(?P<num>\d{2,4}[a-z]?)\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")  # UK postcode, in capitals: on the original text
DIGITS = re.compile(r"\d[\d\s().+-]{6,}\d")
_DIGIT = re.compile(r"\d")
CODE_TOKEN = re.compile(r"(?<![\w@.])#?(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{4,}[a-z0-9](?![\w@])", re.IGNORECASE)

OFFICIAL_LOCAL = frozenset(
    ["support", "help", "care", "press", "media", "info", "service", "customerservice", "customercare", "hello", "contact", "privacy", "legal", "complaints", "team", "social", "feedback", "ir", "investors", "safety", "recalls", "dpo", "accessibility", "phishing", "security", "abuse", "fraud", "spoof",
     "reportphishing", "scams", "compliance", "regulatory", "newsroom", "comms", "hr", "people", "careers", "billing",
     "payments", "accounts", "orders", "returns", "owners", "trust", "noreply", "no-reply", "enquiries", "inquiries"]
)
TOLL_FREE = ("800", "888", "877", "866", "855", "844", "833")
_OFFICIAL_PHONE_CUE = re.compile(
    r"(?:call|ring|phone|text|reach|contact) (?:us|our\b[^.!?]{0,30})|(?:our|the) [a-z ]{0,30}(?:line|helpline|hotline|number)"
    r"|(?:our|the) [a-z ]{0,30}(?:team|office|desk)|enquiries|customer (?:service|care)|support line|helpline|hotline|emergency",
)
# "forward it to our security team at x@…", "email us at x@…": an address the brand gives as its own
_OFFICIAL_EMAIL_CUE = re.compile(r"(?:\bour\b[^.!?\n]{0,40}|\b(?:email|e-mail|write to|contact|reach|forward (?:it|this|them) to) us)\s*(?:at|on|:|via)?\s*$")
_PERSONAL_PHONE_CUE = re.compile(r"\b(?:my|his|her|their|your) (?:personal |own |private |work |mobile |cell )*(?:cell|mobile|number|phone)")


_ERROR_CUE = re.compile(r"\b(?:error|err|code|exception|status|build|version|v)\b[\s:#]*$")


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` passes the Luhn check used by payment card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    value: str  # normalised (lower-case)


class PiiFinder:
    """Finds personal data in text; one instance is shared by all threads (it holds no mutable state)."""

    def __init__(self, region: str = "US", echo_threshold: float = 88.0) -> None:
        self.region = region
        self.echo_threshold = echo_threshold

    def in_reply(self, text: str, norm: str, brand: str | None = None, mentioned: tuple[str, ...] = ()) -> list[Evidence]:
        """Personal data written in the reply itself (``norm``: ``_text.normalize(text)``, which some patterns read;
        ``mentioned``: handles in the post, one of them the brand's)."""
        out: list[Evidence] = []
        if "@" in text:
            self._emails(text, norm, brand, mentioned, out)
        if _DIGIT.search(text) is None:
            return _dedupe(out)  # every pattern below needs a digit
        if DIGITS.search(text):
            for pm in phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.VALID):
                raw = re.sub(r"\D", "", pm.raw_string)
                national = str(pm.number.national_number)
                before = norm[max(0, pm.start - 60) : pm.start]
                personal = bool(_PERSONAL_PHONE_CUE.search(before))
                if not personal and (national[:3] in TOLL_FREE or _OFFICIAL_PHONE_CUE.search(before)):
                    continue
                if len(raw) >= 13 and luhn_ok(raw):
                    continue  # a card number, reported below
                out.append(Evidence("phonenumbers", pm.start, pm.end, pm.raw_string))
            for m in CARD.finditer(text):
                digits = re.sub(r"\D", "", m.group())
                if 13 <= len(digits) <= 19 and luhn_ok(digits):
                    out.append(Evidence("regex:card", m.start(), m.end(), m.group()))
        for m in LABELLED.finditer(norm):
            g = "num" if m.group("num") else "tail"
            out.append(Evidence("regex:labelled-number", m.start(g), m.end(g), text[m.start(g) : m.end(g)]))
        for m in ADDRESS.finditer(norm):
            out.append(Evidence("regex:address", m.start(), m.end(), text[m.start() : m.end()]))
        for m in ROOM.finditer(norm):
            out.append(Evidence("regex:room", m.start("num"), m.end("num"), text[m.start("num") : m.end("num")]))
        for m in POSTCODE.finditer(text):
            out.append(Evidence("regex:postcode", m.start(), m.end(), m.group()))
        return _dedupe(out)

    @staticmethod
    def _emails(text: str, norm: str, brand: str | None, mentioned: tuple[str, ...], out: list[Evidence]) -> None:
        """Personal e-mail addresses (not the brand's own, nor one it gives as its own)."""
        keys = [k for k in (re.sub(r"\W", "", h.lower()) for h in (brand or "", *mentioned)) if len(k) >= 4]
        for m in EMAIL.finditer(text):
            local, _, domain = m.group().lower().partition("@")
            dom = re.sub(r"\W", "", domain.rsplit(".", 1)[0])
            if local in OFFICIAL_LOCAL or any(k in dom or (len(dom) >= 4 and dom in k) for k in keys):
                continue
            if _OFFICIAL_EMAIL_CUE.search(norm[max(0, m.start() - 60) : m.start()]):
                continue
            out.append(Evidence("regex:email", m.start(), m.end(), m.group()))

    def candidates(self, texts: tuple[str, ...]) -> tuple[Candidate, ...]:
        """Personal data posted in the thread that a reply must not repeat in public."""
        return _candidates(texts, self.region)

    def echoes(self, text: str, norm: str, cands: tuple[Candidate, ...], threshold: float | None = None) -> list[Evidence]:
        """Places where the reply repeats a candidate exactly or nearly (fuzzy alignment)."""
        cutoff = self.echo_threshold if threshold is None else threshold
        out: list[Evidence] = []
        for c in cands:
            i = norm.find(c.value)
            if i != -1:
                out.append(Evidence(f"echo:{c.kind}", i, i + len(c.value), text[i : i + len(c.value)]))
                continue
            if c.kind not in ("email", "address") and (len(c.value) < 5 or not any(ch.isdigit() for ch in c.value)):
                continue
            needle = re.sub(r"[\W_]", "", c.value) if c.kind in ("number", "phone") else c.value
            al = fuzz.partial_ratio_alignment(needle, norm, score_cutoff=cutoff)
            if al is None:
                continue
            s, e = al.dest_start, al.dest_end
            while s > 0 and norm[s - 1].isalnum():
                s -= 1
            while e < len(norm) and norm[e].isalnum():
                e += 1
            frag = norm[s:e]
            if sum(ch.isdigit() for ch in frag) < min(4, sum(ch.isdigit() for ch in c.value)):
                continue
            out.append(Evidence(f"echo:{c.kind}", s, e, text[s:e]))
        return _dedupe(out)


@lru_cache(maxsize=2048)
def _candidates(texts: tuple[str, ...], region: str) -> tuple[Candidate, ...]:
    found: dict[str, Candidate] = {}
    for text in texts:
        low = text.lower()
        for m in EMAIL.finditer(low):
            found.setdefault(m.group(), Candidate("email", m.group()))
        for m in ADDRESS.finditer(low):
            found.setdefault(m.group().strip(" ."), Candidate("address", m.group().strip(" .")))
        for m in LABELLED.finditer(low):
            v = m.group("num") or m.group("tail")
            found.setdefault(v, Candidate("number", v))
        if DIGITS.search(text):
            for pm in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
                found.setdefault(pm.raw_string.lower(), Candidate("phone", pm.raw_string.lower()))
        for m in CODE_TOKEN.finditer(low):
            tok = m.group().lstrip("#")
            if tok.startswith("0x") or _ERROR_CUE.search(low, max(0, m.start() - 14), m.start()):
                continue  # an error code ("error 0x80000003") identifies a bug, not a person
            if sum(ch.isdigit() for ch in tok) >= 5:
                found.setdefault(tok, Candidate("number", tok))
    return tuple(found.values())


def _dedupe(evs: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for e in sorted(evs, key=lambda e: (e.start or 0, -(e.end or 0))):
        if out and out[-1].start is not None and e.start is not None and e.start < (out[-1].end or 0):
            continue
        out.append(e)
    return out
