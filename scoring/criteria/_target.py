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

__all__ = ["aimed_elsewhere", "echo_question", "harsh_about_other", "names_someone"]

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
_CONCEDED = re.compile(r"\s+(?:is|was)\s+(?:fair|about right|right|the right word|the word|spot on|generous|putting it mildly|not wrong)\b|,\s*(?:yes|yep|agreed|fair|fair enough)\b")
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


# agreeing with the commenter anywhere in the sentence ("absolutely shameful, couldn't agree more", "it's been a
# disgrace, you're right"): a harsh word there is what the reply agrees about
_AGREEING = re.compile(
    r"\b(?:(?:you're|you are|youre|ur|you were)\s+(?:(?:100%|absolutely|totally|quite|so|dead|completely)\s+)?"
    r"(?:right|not wrong|spot on|correct)|(?:couldn't|could not|can't|cannot) agree more"
    r"|(?:totally|completely|fully|i|we|we all|i fully|we fully)\s+agree|agreed|we agree|(?:can't|cannot|won't|will not)\s+"
    r"(?:honestly\s+)?(?:argue|disagree|dispute)|you(?:'ve| have)\s+(?:got\s+)?a point|fair cop|ikr|so true|exactly"
    r"|fair enough)\b|\b100%\s+(?:agree|right|with)|^\W*(?:yep|yeah|yes|yup|true|fair|correct)\b"
)
# a harsh word as the predicate of its clause: "… is a disgrace", "they're useless", "4 months is f***ing ridiculous"
_PREDICATE = re.compile(
    r"(?:\s(?:is|are|was|were|has|have|had|seems?|looks?|sounds?)|'s|'re|'ve)\s+"
    r"(?:(?:a|an|so|really|just|absolutely|completely|frankly|honestly|totally|utterly|bloody|pretty|quite|a bit|bit|"
    r"rather|genuinely|truly|properly|actually|always|still|also|too|been|beyond|downright|plain|simply|indeed|very|"
    r"fairly|kinda|kind of|incredibly|[a-z]+ and|[a-z]*\*+[a-z]*ing|f[a-z]*ing)\s+){0,4}$"
)
_IF_TRUE = re.compile(r"\bif (?:that's |this is |it's |that is |this was )?(?:true|so|correct|the case|right|accurate)\b|\bshould (?:this|that|it) prove\b")
# a third party's words: "who've been spreading rubbish", "they'll print any nonsense"
_THEIR_SPREADING = re.compile(
    r"^\W*(?:who|they|he|she)(?:'s|'ve|'ll| has| have| had| will| would)?(?: been| always| always been)?\s+"
    r"(?:spreading|spread|printing|print|posting|peddling|pushing|writing|talking|taught [a-z]+)\s+(?:any\s+|more\s+|such\s+)?$"
)
# a harsh word before a noun: "a rubbish time", "rubbish situation"
_ATTRIBUTIVE = re.compile(r"\s+(?:time|times|situation|day|night|night out|week|weekend|morning|afternoon|evening|trip|journey|experience|start|end|wait|service|few days|few weeks|couple of days|year|month)\b")
_PERSON = re.compile(r"^(?:he|she|they|him|her|them|these people|those people|people like that)$")
_PERSON_NAME = re.compile(r"^(?:(?:The\s+)?[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*)*$")  # "Trump", "The PM", "Lebrun James"
_BRAND_SIDE = re.compile(
    r"\b(?:our|we|we've|we're|us|staff|team|colleagues?|waiter|waitress|driver|manager|engineer|agent|rep|receptionist|"
    r"barista|porter|nurse|carer|guard|steward|courier|technician|adviser|advisor|cashier|cleaner|contractors?)\b")
_PRONOUN = re.compile(r"^(?:that|this|it|that one|this one|what|which|all that|all this)$")
_YOU_WORD = re.compile(r"\b(?:you|u|y'all)\b")  # "btw you hypocrites are pathetic", "some of you"
_JOINERS = frozenset({"and", "but", "so", "or", "&", "yet", "then"})  # "…, and looks ridiculous": the subject is earlier
_YOURS = re.compile(r"^(?:you|your|yours|ur|u|you're|youre|y'all)\b")
_CLAIM = re.compile(
    r"\b(?:claims?|complaints?|ideas?|rumou?rs?|posts?|comments?|reviews?|accusations?|story|stories|theory|theories|"
    r"arguments?|points?|logic|tweets?|questions?|remarks?|username|attitude|behaviou?r|language|take|opinion|views?|"
    r"sources?|nonsense|lies|scam|appeal|messages?|account)\b"
)


def harsh_about_other(c: Check, h: Match) -> bool:
    """A harsh word ("useless", "a disgrace", "ridiculous") said of something other than the commenter or their
    words: the predicate of a third-party or a thing as subject ("their techs are useless", "4 months is ridiculous",
    "the crew cuts were a disgrace"), or conceded in a sentence that agrees with the commenter ("absolutely shameful,
    couldn't agree more"). A gerund subject counts only when the sentence agrees or sympathises ("fining people at a
    hospital is shameful, you're right"; not "basing a health scare on hearsay is absurd"), and a person ("he's
    disgusting", "Trump is pathetic") only when the sentence makes them the brand's own people or a business it deals
    with; "that's nonsense" and "your post is rubbish" stay the commenter's."""
    a = c.reply
    lo = a.clause_of(h.start)[0]
    s, e = a.sentence_of(h.start)
    clause_before = a.norm[lo : h.start]
    sentence = a.norm[s:e]
    # the sentence, or the one before it ("We agree entirely. It is disgraceful"), agrees with the commenter
    agrees = _AGREEING.search(sentence) is not None or (s > 0 and _AGREEING.search(a.norm[a.sentence_of(s - 1)[0] : s]) is not None)
    if _IF_TRUE.search(sentence):
        return True  # "that's shameful if true": about an allegation, not the commenter
    if _THEIR_SPREADING.search(clause_before):
        return True  # "…, who've been spreading rubbish about us": a third party's words, not the commenter's
    if _ATTRIBUTIVE.match(a.norm, h.end) and _SYMPATHY.search(sentence):
        return True  # "sorry you've had such a rubbish time": the situation, in a sympathetic sentence
    pred = _PREDICATE.search(clause_before)
    if pred is None:
        # an exclamation in a sentence that agrees: "yep, shameful", "absolutely shameful, couldn't agree more"
        return agrees and not clause_before.strip(" ,;:-").split()[1:] and not _SECOND.search(a.norm[lo:e])
    subject = clause_before[: pred.start()].strip(" ,;:-(\"'‘“")
    if not subject:  # "Our loss adjusting firm, ClaimRight, is useless": the subject is in the clause before
        subject = a.norm[s : pred.start() + lo].strip(" ,;:-(\"'‘“")
    if not subject or _YOURS.search(subject) or _YOU_WORD.search(subject) or _CLAIM.search(subject) or subject in _JOINERS:
        return False
    if _PRONOUN.match(subject):
        return agrees and not _SECOND.search(clause_before)
    words = subject.split()
    if words[0].endswith("ing") and len(words) > 1:  # a gerund phrase: whose act it is, the sentence tells
        return agrees or _SYMPATHY.search(sentence) is not None
    named = a.text[lo : lo + pred.start()].strip(" ,;:-(\"'‘“")
    if _PERSON.match(subject) or _PERSON_NAME.match(named):
        # a person ("he's disgusting", "Trump is pathetic") stays abuse in the brand's voice unless the sentence makes
        # them the brand's own people or a business it deals with ("our contractor … they're useless")
        return agrees or _BRAND_SIDE.search(sentence) is not None or _BUSINESS.search(sentence) is not None
    return True


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
