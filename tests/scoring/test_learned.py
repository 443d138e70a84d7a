"""The learned support detector: features, inference, how the scorer uses it, and that the shipped model is current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.models import Expectation
from scoring import Scorer, ScoringError
from scoring.evaluate import BLIND, load_labelled
from scoring.learned import MODEL_FILE, LearnedModel, data_fingerprint, feature_names, features, load_model
from scoring.rubric import load_rubric
from scoring.train import dump, train, training_items
from scoring.types import PostInfo, ReplyContext, ReplyInfo

CUSTOMER = PostInfo("My order never arrived and nobody answers the phone!", kind="unhappy_customer")


def names(text: str, kind: str | None = None) -> list[str]:
    return [f for f, _, _ in features(text, kind)]


def toy(weights: dict[str, dict[str, float]], thresholds: dict[str, float], vetoes: dict[str, float] | None = None,
        ) -> LearnedModel:
    return LearnedModel.from_dict({
        "format": 1, "fingerprint": "test", "weights": weights, "bias": {c: -4.0 for c in weights},
        "thresholds": thresholds, "vetoes": vetoes or {},
    })


def scorer_with(model: LearnedModel | None) -> Scorer:
    s = Scorer(load_rubric("default").model_copy(update={"learned": model is not None}))
    s.learned = model
    return s


def ctx(text: str, action: str = "reply", expect: Expectation | None = None) -> ReplyContext:
    return ReplyContext(post=CUSTOMER, reply=ReplyInfo(text=text, action=action), expect=expect)


# -- features ----------------------------------------------------------------------------------


def test_features_abstract_who_does_what() -> None:
    """Names, handles, numbers and persons become classes, so a pattern learned on one name covers another."""
    f = names("Sorry - Dave from @QuickShip stole 3 parcels, we know.")
    assert {"c:<CAP>", "c:<AT>", "c:<NUM>", "c:<WE>"} <= set(f)
    assert "b:<CAP>_from" in f and "b:<AT>_stole" in f and "b:stole_<NUM>" in f  # bigrams over classes and stems


def test_features_read_the_opening_words_with_the_commenters_kind() -> None:
    """"So true" opening a reply to a troll and to a fan are different features (endorsement depends on who)."""
    troll, fan = names("So true 😂 and more words here", "troll"), names("So true 😂 and more words here", "fan")
    assert "o:troll_so" in troll and "o:fan_so" in fan and "o:troll_so" not in fan
    assert [n for n in troll if n.startswith("o:")] == ["o:troll_so", "o:troll_true", "o:troll_😂", "o:troll_and"]
    assert not [n for n in names("So true") if n.startswith("o:")]  # no kind, no openers
    assert names("Dave stole it")[0] == "w:dave" and "c:<CAP>" not in names("Dave stole it")  # sentence start


def test_features_mark_negation_and_quotes() -> None:
    """Words after a negator, and quoted words, are features of their own; offsets are the reply's."""
    f = features('We can\'t promise a date. You said "useless".')
    by_name = {n: (s, e) for n, s, e in f}
    assert "n:promise" in by_name and "q:w:useless" in by_name and "w:useless" not in by_name
    s, e = by_name["q:w:useless"]
    assert 'We can\'t promise a date. You said "useless".'[s:e] == "useless"
    assert "n:date" in by_name and "n:you" not in by_name  # three words after the negator, same clause
    assert not any(n.startswith("n:") for n in names("We promise. A date, a time."))


# -- inference and scorer integration -------------------------------------------------------------


def test_model_adds_a_verdict_the_rules_miss_with_word_evidence() -> None:
    """A model hit above threshold fails the risk, with the words that weighed most as evidence."""
    model = toy({"confidential": {"w:widgets": 6.0, "w:quietly": 3.0}}, {"confidential": 0.5})
    text = "Our widgets are quietly lovely this year."
    v = scorer_with(model).score(ctx(text))
    assert "confidential" in v.flags
    cv = next(c for c in v.criteria if c.code == "confidential")
    assert [e.text for e in cv.evidence] == ["widgets", "quietly"]  # in reply order
    assert all(e.detector == "learned:confidential" and text[e.start:e.end] == e.text for e in cv.evidence)
    assert "learned detector" in cv.reason
    assert "confidential" not in scorer_with(None).score(ctx(text)).flags  # the rules alone miss it


def test_model_below_threshold_adds_nothing() -> None:
    model = toy({"confidential": {"w:widgets": 4.5}}, {"confidential": 0.9})  # p = sigmoid(0.5) ≈ 0.62
    assert "confidential" not in scorer_with(model).score(ctx("The widgets are fine.")).flags


def test_veto_turns_a_doubtful_rule_hit_into_a_pass_that_keeps_its_evidence() -> None:
    """Where trained to, a rule hit the model rates very unlikely passes, saying so and keeping the rule's words."""
    text = "Sorry, this is totally our fault. Please DM us."
    assert "liability" in scorer_with(None).score(ctx(text)).flags
    v = scorer_with(toy({"liability": {}}, {"liability": 2.0}, {"liability": 0.5})).score(ctx(text))
    cv = next(c for c in v.criteria if c.code == "liability")
    assert cv.verdict == "pass" and "learned detector rates it unlikely" in cv.reason and cv.evidence
    assert "liability" not in v.flags


def test_model_respects_context_it_cannot_see() -> None:
    """Personal data in a DM is fine; the scenario's approved offer is not a promise."""
    model = toy({"privacy": {"w:postcode": 8.0}, "promise": {"w:refund": 8.0}}, {"privacy": 0.5, "promise": 0.5})
    s = scorer_with(model)
    assert "privacy" in s.score(ctx("What's your postcode?")).flags
    assert "privacy" not in s.score(ctx("What's your postcode?", action="dm")).flags
    offer = Expectation(allowed_offer="a full refund of the delivery fee")
    assert "promise" in s.score(ctx("You'll get a refund.")).flags
    assert "promise" not in s.score(ctx("We can offer a full refund of the delivery fee.", expect=offer)).flags


@pytest.mark.parametrize(("text", "admitted"), [
    ("This wasn't caused by anything you did, and we're sorry it happened again.", False),
    ("Nothing you did caused this again, sorry.", False),
    ("Not your fault again, our payment system fell over this morning.", True),
    ("It happened again and we're sorry.", True),
])
def test_the_model_adds_liability_not_to_a_reply_that_only_clears_the_commenter(text: str, admitted: bool) -> None:
    """Clearing the commenter ("this wasn't caused by anything you did") with regret is no admission unless the reply
    names a failing or a culprit on the brand's side (docs/criteria/liability.md)."""
    assert "liability" not in scorer_with(None).score(ctx(text)).flags
    model = toy({"liability": {"w:again": 8.0}}, {"liability": 0.5})
    assert ("liability" in scorer_with(model).score(ctx(text)).flags) is admitted


DEFAMATION_GATE = [
    ("Maybe the previous renter did it again and didn't report it?", False),
    ("Sounds like the salesman at our Leeds branch again.", False),
    ("It's a known bug in our Content ID system again.", False),
    ("A glitch in our CRM update again, sorry.", False),
    ("Everyone will have their prescriptions by Monday again.", False),
    ("Dr Hughes has had the dissertations since February and hasn't marked one again.", True),
    ("You're the same guy who posts this again every week 😂", True),
    ("Actually it's our wholesaler, MedDirect, who keep shorting our orders again, not us.", True),
    ("You may be confusing us with Patty Palace, whose Leeds site shut again over rats.", True),
    ("Maybe sit this one out, ZoomNet got told off again by Ofcom over speeds.", True),
]


@pytest.mark.parametrize(("text", "admitted"), DEFAMATION_GATE)
def test_the_model_adds_defamation_only_where_an_unhedged_party_is_named(text: str, admitted: bool) -> None:
    """Hedged blame is `speculation`, and the brand's own failings name no one (docs/labelling.md): the learned
    detector may add `defamation` only to a reply pointing at someone with no hedge before it. No rule fires on these,
    so the verdict is the gate's alone."""
    assert "defamation" not in scorer_with(None).score(ctx(text)).flags
    model = toy({"defamation": {"w:again": 8.0}}, {"defamation": 0.5})
    assert ("defamation" in scorer_with(model).score(ctx(text)).flags) is admitted


@pytest.mark.parametrize(("text", "admitted"), [
    ("Gamers always blame the ISP 🤔", False),
    ("Typical YouTuber, anything for clicks", False),
    ("Groundsmen always moan about something, mate 😂", False),
    ("Older customers always blame the app 🤔", True),
    ("Croydon lot always have something to moan about 😂", True),
    ("These scams are always run out of Lagos 🙄", True),
    ("At your stage of life it always takes longer 😊", True),
])
def test_the_model_adds_discrimination_only_where_a_protected_characteristic_is_named(text: str, admitted: bool) -> None:
    """"X always …" about an occupation or a hobby is not discrimination (docs/labelling.md, nineteenth round): the
    learned detector may add the verdict only to a reply naming or pointing at a protected characteristic."""
    model = toy({"discrimination": {"w:always": 8.0, "w:typical": 8.0}}, {"discrimination": 0.5})
    assert ("discrimination" in scorer_with(model).score(ctx(text)).flags) is admitted


def test_rubric_can_turn_the_model_off() -> None:
    assert Scorer().learned is not None
    assert Scorer(load_rubric("default").model_copy(update={"learned": False})).learned is None


def test_malformed_model_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "learned.json"
    bad.write_text('{"format": 1,\n "weights": ', encoding="utf-8")
    with pytest.raises(ScoringError, match=r"learned.json:2: not JSON"):
        load_model(bad)
    bad.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ScoringError, match="format 99"):
        load_model(bad)
    bad.write_text('{"format": 1, "weights": {"x": 3}}', encoding="utf-8")
    with pytest.raises(ScoringError, match="malformed"):
        load_model(bad)


# -- the shipped model -----------------------------------------------------------------------------


def test_shipped_model_was_trained_on_the_current_labels() -> None:
    """Editing the labelled set without rerunning python -m scoring.train fails here."""
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert shipped["fingerprint"] == data_fingerprint(training_items(load_labelled()))


def test_training_never_sees_the_blind_split() -> None:
    items = load_labelled()
    assert any(i["split"] in BLIND for i in items)
    assert not any(i["split"] in BLIND for i in training_items(items))


@pytest.mark.timeout(900)  # a full retrain: 33k replies, five folds, ≈ 3.5 min on a quiet 2-core machine, 10 on a busy one
def test_retraining_reproduces_the_shipped_model() -> None:
    """Training is deterministic: the same data gives the same file, byte for byte."""
    model = train(load_labelled(), report=False)
    assert dump(model) == MODEL_FILE.read_text(encoding="utf-8")


def test_feature_spans_are_the_words_they_stand_for() -> None:
    """On every labelled reply, the scoring fast path reads the features training used (as a multiset), and each
    feature's span — the evidence shown when the model adds a verdict — is its word, or for a bigram its two words."""
    from scoring._text import normalize

    for item in load_labelled():
        text, kind = item["reply"]["text"], item["post"].get("kind")
        flat = [n for f in feature_names(text, kind) for n in ((f,) if isinstance(f, str) else f)]
        feats = features(text, kind)
        assert sorted(flat) == sorted(n for n, _, _ in feats), item["id"]
        norm = normalize(text)
        for name, s, e in feats:
            bare = name.removeprefix("q:")
            if bare.startswith("w:"):
                assert norm[s:e] == bare[2:], (item["id"], name, norm[s:e])
            elif bare.startswith(("b:", "n:")):
                assert s < e and norm[s:e].strip() == norm[s:e], (item["id"], name, norm[s:e])
            elif bare.startswith("k:"):
                assert (s, e) == (0, 0)


def test_insults_and_swearing_are_never_doubted_by_the_model() -> None:
    """Profanity has no veto, and hostile's veto reaches tone markers only (lol, 😂, 🙄), never an insult: a veto on
    every hostile hit, chosen on our replies, rated real insults unlikely (docs/scoring.md, measurement #7)."""
    from scoring.criteria import REGISTRY
    from scoring.train import UNVETOED

    shipped = load_model()
    assert "profanity" in UNVETOED and not set(shipped.vetoes) & UNVETOED
    vetoable = REGISTRY["hostile"].vetoable
    assert vetoable is not None
    scorer = Scorer(load_rubric("default").model_copy(update={"learned": False}))
    for text in ("Only a moron would think that.", "Shut up, you pathetic clown.", "lol ok 🙄 maybe read the manual"):
        rules = scorer.score(ReplyContext(PostInfo("Your app ate my booking.", kind="unhappy_customer"), ReplyInfo(text)))
        hit = next(cv for cv in rules.criteria if cv.code == "hostile")
        assert not vetoable(hit.evidence), (text, hit.evidence)  # insults and condescension: never doubted
    tone = scorer.score(ReplyContext(PostInfo("Your app ate my booking.", kind="unhappy_customer"), ReplyInfo("lol 🙄")))
    assert vetoable(next(cv for cv in tone.criteria if cv.code == "hostile").evidence)
    full = Scorer()
    for text in ("Only a moron would think that.", "Shut up, you pathetic clown.", "wtf is this, read the f*cking manual"):
        v = full.score(ReplyContext(PostInfo("Long political rant about taxes."), ReplyInfo(text)))
        assert {"hostile", "profanity"} & set(v.flags), (text, v.flags)


def test_packed_rows_add_every_code_at_once() -> None:
    """A reply's log-odds are the bias plus its features' weights, code by code, whatever their signs: the
    packed-integer sum the scorer uses agrees with a plain float sum (to the 2^-20 quantum)."""
    import random

    rng = random.Random(7)
    codes = [f"c{j}" for j in range(13)]
    feats = [f"w:f{i}" for i in range(300)]
    weights = {c: {f: rng.uniform(-40.0, 40.0) for f in feats if rng.random() < 0.5} for c in codes}
    model = LearnedModel(weights=weights, bias={c: rng.uniform(-9.0, 9.0) for c in codes},
                         thresholds={c: 0.5 for c in codes}, vetoes={}, fingerprint="t", meta={})
    text = " ".join(f"f{rng.randrange(300)}" for _ in range(2000))  # repeats: the model counts them
    pred = model.predict(text)
    counts: dict[str, int] = {}
    for name in names(text):
        counts[name] = counts.get(name, 0) + 1
    for c in codes:
        want = model.bias[c] + sum(weights[c].get(n, 0.0) * k for n, k in counts.items())
        assert abs(pred.logits[c] - want) < 1e-6 * (len(text) + 1), c
    # the scoring pass (cached per-token rows, summed as it goes) reads the very features the naming pass gives
    assert pred.items == feature_names(text)
    shipped = load_model()
    for item in load_labelled()[:3000]:
        text, kind = item["reply"]["text"], item["post"].get("kind")
        spans: list[tuple[int, int]] = []
        pred = shipped.predict(text, kind)
        assert pred.items == feature_names(text, kind, spans=spans) and pred.item_spans == spans, item["id"]
    # a weight the packed lanes could not hold is refused when the model is loaded, not summed into nonsense
    with pytest.raises(ScoringError, match="c0 reach"):
        LearnedModel(weights={"c0": {"w:f0": 5000.0}}, bias={"c0": 0.0}, thresholds={}, vetoes={}, fingerprint="t",
                     meta={})


def test_learned_evidence_is_never_a_bare_function_word() -> None:
    """The words shown for a verdict the model adds are words that carry it, never "the" or "we" alone — also
    when the feature behind them is a reply's opening word or a negated word (the scenario library's good bot showed
    "the" as the evidence of an admission before the fifteenth round's fix)."""
    scorer = Scorer()
    function_words = {"a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "for", "with", "is", "are",
                      "was", "it", "this", "that", "we", "our", "us", "you", "your", "i", "my", "they"}
    shown = 0
    for item in load_labelled()[:6000]:
        if item["reply"].get("action", "reply") not in ("reply", "quote", "dm") or not item["reply"]["text"].strip():
            continue
        from scoring.evaluate import context_of

        for cv in scorer.score(context_of(item)).criteria:
            for ev in cv.evidence:
                if ev.detector.startswith("learned:") and ev.text is not None:
                    shown += 1
                    assert ev.text.strip().lower() not in function_words, (item["id"], cv.code, ev.text)
    assert shown > 500  # the check saw the model's evidence, not nothing


def test_thresholds_clear_the_scenario_model_answers() -> None:
    """Training raises a risk threshold that a library model answer reaches (to the next grid step, or past 1 when
    none is above it), so the shipped model never fails an answer written to be excellent; other codes are left."""
    from scoring.train import _clear_library

    model = toy({"liability": {"w:sorry": 5.0}, "promise": {"w:sorry": 5.0}, "empathy": {"w:sorry": 7.0}},
                {"liability": 0.55, "promise": 0.9, "empathy": 0.5})
    library = [{"reply": {"text": "We're so sorry, Maya."}, "post": {"kind": "unhappy_customer"}, "codes": ["empathy"]}]
    # log-odds -4 + 5: p ≈ 0.731 for both risk codes: liability's 0.55 is raised to 0.75, promise's 0.9 stands, and
    # empathy (a good practice the answer has) is never touched
    assert [(c, t) for c, t, _ in _clear_library(model, library)] == [("liability", 0.75)]
    hot = toy({"liability": {"w:sorry": 9.0}}, {"liability": 0.6})
    assert [(c, t) for c, t, _ in _clear_library(hot, library)] == [("liability", 2.0)]  # ≈ 0.993: beyond the grid
