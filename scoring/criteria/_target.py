"""Who a remark is aimed at: the commenter ("you"), the brand itself ("we", "our staff") or a third party.

Hostility is a risk only when it is aimed at the commenter. The same insult word can describe the brand's own
failing ("our barista should have checked the lid"), a third party ("our contractor is useless" — a defamation
question, not hostility to the reader) or the situation in a sympathetic sentence ("ugh, that's rubbish, sorry").
These helpers read the words before a hit in its clause and sentence to tell those apart.
"""

from __future__ import annotations

import re

from ..lexicon import Match, read_list
from ._base import Check

__all__ = ["aimed_elsewhere", "echo_question"]

_SECOND = re.compile(r"\b(?:you|your|you're|youre|ur|u|yourself|yourselves|y'all)\b")
# second person that agrees with or thanks the commenter: "you're right, it's shameful" aims the word elsewhere
_AGREE = re.compile(r"\b(?:you're|you are|youre|you were) (?:right|not wrong|spot on|correct)\b|\b(?:thank you|we hear you)\b")
# a first-person (brand-side) subject: "we …", "i …", "our barista …", "our staff at Crewe …"
_FIRST = re.compile(
    r"(?:^|[\s,;:(-])(?:we|i|our(?:\s+[a-z-]+){1,2}(?:\s+(?:at|in|on)\s+[a-z-]+)?)"
    r"(?:'re|'m|'ve been| are| am| were| was| is| have been| has been| had been| should(?: have|'ve)?| must(?: have)?| could(?: have)?"
    r"|'ve always been| have always been| has always been| are always| were always| was always)?"
    r"(?:\s+(?:so|really|totally|clearly|just|been|being|a bit|quite|absolutely|completely|such|an?))*\s*$"
)
# the brand's own people named without "our": "the board have been gutless", "the devs ARE clueless"
_OWN_SIDE = re.compile(r"^\W*(?:the|these|those)\s+(?:board|management|managers|devs|developers|engineers|execs|executives|"
                       r"bosses|higher-ups|suits|team|staff|marketing team|social team)\s")
_SITUATION = re.compile(r"\b(?:that's|thats|that is|this is|it's|its|it is|that was|this was|it was|what an?|how)\s+(?:[a-z*']+\s+){0,2}$")
# a harsh word conceded: "useless is fair", "pathetic is about right"
_CONCEDED = re.compile(r"\s+(?:is|was)\s+(?:fair|about right|spot on|generous|putting it mildly|not wrong)\b")
_SYMPATHY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|ugh|oh no|that sucks|we hear you|understand)\b")
_CONTRAST = re.compile(r"\b(?:but|however|though|although)\b")
# a thing as the subject ("the fees are a bit much", "the targets are ridiculous"): agreeing about it, not insulting
# the reader; not the commenter's own claim, post or idea, which the same words would argue with
_THING = re.compile(
    r"(?:^|[\s,;:(-])(?:the|our|these|those)\s+(?!(?:[a-z-]+\s+){0,2}?(?:claims?|complaints?|ideas?|rumou?rs?|posts?|"
    r"comments?|reviews?|accusations?|story|stories|theory|theories|arguments?|points?|logic|tweets?|questions?)\b)"
    r"(?:[a-z-]+\s+){0,2}?[a-z-]+\s+(?:is|are|was|were|has been|have been|'s been|'re)\s+(?:so\s+|really\s+|honestly\s+|just\s+|a bit\s+)?$"
)
_HANDLE = re.compile(r"@\w+")


# a business third party the brand deals with: "our cleaning contractor", "the supplier", "Lisbon airport staff".
# Insults of people in general (politicians, "he", "that guy") stay hostile: they are abuse in the brand's voice.
_BUSINESS = re.compile(
    r"\b(?:(?:our|the|that|their|this|those)\s+(?:[a-z-]+\s+){0,2}?|[a-z]+\s+)(?:contractors?|subcontractors?|suppliers?|"
    r"vendors?|manufacturers?|factory|couriers?|delivery (?:company|firm|partner)|agency|airport(?: staff)?|handlers?|"
    r"cleaners|cleaning company|security company|insurer|broker|payment processor|carrier|lab|laboratory|partners?)\b"
)


def _third_party(c: Check, s: int, h: Match) -> bool:
    a = c.reply
    author = (c.ctx.post.author or "").lower().lstrip("@")
    brand = (c.brand or "").lower().lstrip("@")
    before = a.text[s : h.start]
    if len(author) >= 3 and author in before.lower().replace(" ", ""):
        return False  # "PlatePal's CEO is a liar" to @PlatePal: aimed at the commenter's side
    if _BUSINESS.search(a.norm[s : h.start]):
        return True
    return any(m.group()[1:].lower() not in (author, brand) for m in _HANDLE.finditer(before))


def aimed_elsewhere(c: Check, h: Match, *, situation: bool = True) -> bool:
    """True when the remark at ``h`` is about the brand itself, a third party or (sympathetically) the situation."""
    a = c.reply
    lo = a.clause_of(h.start)[0]
    s = a.sentence_of(h.start)[0]
    clause_before = a.norm[lo : h.start]
    sentence = a.norm[s : a.sentence_of(h.start)[1]]
    if (situation and _SITUATION.search(clause_before) and not _SECOND.search(clause_before)
            and _SYMPATHY.search(sentence) and not _CONTRAST.search(a.norm[s : h.start])):
        return True  # "sorry your skin's been playing up, that's rubbish": the clause is about the situation
    if _CONCEDED.match(a.norm, h.end) and not _SECOND.search(a.norm[h.end : a.sentence_of(h.start)[1]]):
        return True  # "useless is fair, nine days is a joke": the commenter's word, conceded about the brand
    if _SECOND.search(_AGREE.sub(" ", a.norm[s : h.end])):
        return False
    if _AGREE.search(a.norm[s : h.start]) and _SITUATION.search(clause_before):
        return True  # "you're right, it's a disgrace": the word is about what the reply agrees with, not the reader
    if _FIRST.search(clause_before):
        return True
    thing = _THING.search(clause_before)
    if thing and (h.section != "insult" or _OWN_SIDE.search(thing.group())):
        return True  # an insult at people ("the protesters are idiots") stays abuse in the brand's voice
    if situation and _SITUATION.search(clause_before) and _SYMPATHY.search(sentence):
        return True
    return _third_party(c, s, h)


def echo_question(c: Check, h: Match) -> bool:
    """True when the hit repeats the commenter's own word back as a question ("creepy af??")."""
    a = c.reply
    word = a.norm[h.start : h.end]
    if word not in c.post.norm:
        return False
    rest = a.norm[h.end : h.end + 4]
    if not rest.lstrip().startswith("?"):
        return False
    s = a.sentence_of(h.start)[0]
    return len(a.norm[s : h.start].split()) <= 1  # the question is the echo itself, not "are you blind?"


# listed words that are also given names (a data file, read like every word list)
_GIVEN_NAMES = frozenset(p for e in read_list("names") for p in e.phrases)
# a type, not a person: "a Karen", "another Karen", "ok Karen", "typical Karen"
_AS_A_TYPE = re.compile(r"\b(?:an?|another|such an?|typical|ok|okay|classic|total|proper|right|real|full|bit of an?)\s+$")
_SURNAME = re.compile(r"\s+[A-Z][a-z'’-]+")


def names_someone(c: Check, h: Match, *, surname: bool = True) -> bool:
    """A listed word that is someone's name here ("Karen", "Dick"): a given name (``data/names.txt``), capitalised, not used as a type ("a Karen", "ok
    Karen"), and either the commenter's own name (their handle holds it: "Hi Karen" to @karen_oduya, "Sorry Dick" to
    @dick_harlow) or, with ``surname``, followed by one ("Karen Holt from the union"; not for swear words: "Fuck Off")."""
    word = c.reply.text[h.start : h.end]
    if word.lower() not in _GIVEN_NAMES or not word[:1].isupper() or not word.isalpha() or _AS_A_TYPE.search(c.reply.norm[max(0, h.start - 14) : h.start]):
        return False
    handle = (c.ctx.post.author or "").lower()
    if re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", handle):
        return True
    return surname and _SURNAME.match(c.reply.text, h.end) is not None
