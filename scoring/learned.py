"""The learned support detector: a linear model over the reply's words, trained on our own labelled replies.

Word lists and patterns recognise the phrasings they were written from; on replies written later by
other hands they miss new constructions (docs/scoring.md, "Held-out measurements"). This detector adds
a second opinion that generalises a little further: one logistic-regression model per content code over
binary features of the reply —

* words (``w:``; an emoji is a word: 😂, 🙄 and 🤷 carry tone) and crude stems (``s:``): ``stole`` and ``stealing``
  share ``s:stol``/``s:steal``;
* word classes (``c:``) that say *who* without saying *which*: ``<WE>`` (we, our), ``<YOU>``, ``<THEY>``,
  ``<I>``, ``<CAP>`` (a capitalised word inside a sentence: a name), ``<AT>`` (a handle), ``<NUM>``,
  ``<LONGNUM>``, ``<EMAIL>``, ``<URL>``;
* negated words (``n:``: up to three words after a negator in the same clause) and quoted words (``q:``
  prefix), so "we can't promise" and a quote of the customer's words are features of their own;
* bigrams (``b:``) over the stream of classes and stems: ``<CAP>_stole``, ``<WE>_caus`` generalise over
  names and persons (trigrams were tried: no better in cross-validation, and 40 % more features);
* the commenter's kind (``k:``), and the reply's first four words read with it (``o:``): "so true" opening a reply
  to a troll is endorsement, to a fan it is not.

The weights live in ``scoring/data/learned.json``, written by ``python -m scoring.train`` (scikit-learn,
a training-time dependency only). Inference here is a dictionary lookup per feature in pure Python: no
download, no numerical library at run time. Each code has a threshold chosen by cross-validation;
the scorer consults the model only as *support* for its rule-based criteria (``Scorer._support``), and
every verdict it adds carries the words that weighed most as evidence (detector ``learned:<code>``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._text import NEGATORS, normalize, quote_ranges
from .errors import ScoringError
from .lexicon import DATA_DIR

__all__ = [
    "MODEL_FILE", "Feature", "LearnedModel", "Prediction", "data_fingerprint", "feature_names", "features", "load_model",
]

MODEL_FILE = DATA_DIR / "learned.json"
FORMAT = 1

Feature = tuple[str, int, int]  # name, start, end (offsets into the reply; 0, 0 for whole-reply features)

_TOK = re.compile(r"@[a-z0-9_]+|[a-z0-9][a-z0-9'@._/\-]*[a-z0-9]|[a-z0-9]|[£$€]|[\U0001F300-\U0001FAFF\u2600-\u27BF]|[.!?;:,\n]")
_DIGIT = re.compile("[0-9]")
_URL = re.compile(r"(?:https?:|www\.)|\.(?:com|co\.uk|org|net|io|gov|nhs\.uk)(?:/|$)")
_WE = frozenset("we our us we're we've we'll we'd ours ourselves".split())
_YOU = frozenset("you your you're you've you'll you'd yours yourself yourselves u ur".split())
_THEY = frozenset("he she they him her them his their he's she's they're theirs".split())
_I = frozenset("i i'm i've i'll i'd me my".split())
_SUFFIXES = ("ingly", "edly", "ing", "ied", "ies", "ed", "es", "ly", "s")
_STOP = ".!?;:,\n"
# words that weigh in the sum but mean nothing shown alone as evidence ("the", "your"), whatever feature they stand in
# (the word, a capitalised "The", a reply's opening word, a negated word), and the person classes of words that are
# not in that list ("ours", "yourself")
_FUNCTION_WORDS = frozenset(
    "a an the and or but so to of in on at for with by from as is are was were be been being it its this that "
    "these those there here has have had do does did will would can could should may might just also very "
    "really we we're we've we'll our us you your you're i i'm my me he she they them their his her".split()
)
_PERSON_CLASSES = frozenset(f"c:{c}" for c in ("<WE>", "<YOU>", "<I>", "<THEY>"))
_SENTENCE_END = ".!?;\n"


@lru_cache(maxsize=65536)
def _stem(w: str) -> str:
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=65536)
def _token(tok: str, capital: bool) -> tuple[tuple[str, ...], str, bool]:
    """(feature names, stream key, is a negator) of one token; ``capital``: capitalised inside a sentence."""
    cls: str | None = None
    if tok in _WE:
        cls = "<WE>"
    elif tok in _YOU:
        cls = "<YOU>"
    elif tok in _THEY:
        cls = "<THEY>"
    elif tok in _I:
        cls = "<I>"
    elif tok[0] == "@":
        cls = "<AT>" if len(tok) > 1 else None
    elif "@" in tok and "." in tok:
        cls = "<EMAIL>"
    elif ("." in tok or ":" in tok) and _URL.search(tok):
        cls = "<URL>"
    elif _DIGIT.search(tok):  # a token is ASCII, or one currency sign or emoji: its digits are 0-9
        cls = "<NUM>" if len(tok) < 5 else "<LONGNUM>"
    elif capital:
        cls = "<CAP>"
    stem = _stem(tok)
    names = ["w:" + tok]
    if stem != tok:
        names.append("s:" + stem)
    if cls is not None:
        names.append("c:" + cls)
    return tuple(names), cls or stem, tok in NEGATORS or tok.endswith("n't")


def features(text: str, kind: str | None = None) -> list[Feature]:
    """The features of a reply (with repeats: the model counts them), each with the reply span it stands for."""
    spans: list[tuple[int, int]] = []
    return _flatten(feature_names(text, kind, spans=spans), spans)


def _flatten(items: list[str | tuple[str, ...]], spans: list[tuple[int, int]]) -> list[Feature]:
    """Items with their spans, one feature each: words first, then bigrams, then the kind, each in text order."""
    out: list[Feature] = []
    pairs: list[Feature] = []
    kind: list[Feature] = []
    for f, (s, e) in zip(items, spans):
        if isinstance(f, tuple):
            out.extend((n, s, e) for n in f)
        elif f[0] == "b" and f[1] == ":":
            pairs.append((f, s, e))
        elif f[0] == "k" and f[1] == ":":
            kind.append((f, s, e))
        else:
            out.append((f, s, e))
    return out + pairs + kind


def feature_names(text: str, kind: str | None = None, norm: str | None = None,
                  quotes: tuple[tuple[int, int], ...] | None = None,
                  spans: list[tuple[int, int]] | None = None) -> list[str | tuple[str, ...]]:
    """The features of a reply, for scoring: a token's own features come as one tuple (cached per token).

    Flattened, it is :func:`features` without offsets. ``norm`` and ``quotes``, when given, are
    ``normalize(text)`` and its quote ranges (the scorer's analysis already holds them); ``spans``, when given,
    receives the reply span of each item (``(0, 0)`` for whole-reply features), so that evidence needs no second
    pass.
    """
    if norm is None:
        norm = normalize(text)
    stream: list[_Step] = []
    _scan(text, kind, norm, quote_ranges(norm) if quotes is None else quotes, _Rows(), stream)
    return _names(stream, kind, spans)


# One step of a reply's feature stream: a token's span, its own features (a tuple; quoted: "q:" names) or a "w:!" /
# "w:?" mark, and the parts of the token's other features — the negated word's key, the bigram (previous key, key)
# and the bigram's start, the opener (kind, key) — or None where the token has none.
_Step = tuple[int, int, "str | tuple[str, ...]", "str | None", "tuple[str, str] | None", int, "tuple[str, str] | None"]


def _names(stream: list[_Step], kind: str | None, spans: list[tuple[int, int]] | None = None,
           ) -> list[str | tuple[str, ...]]:
    """The items of :func:`feature_names` (and their spans into ``spans``) from a reply's feature stream."""
    out: list[str | tuple[str, ...]] = []
    where = spans.append if spans is not None else _no_span
    for s, e, own, neg, pair, pair_start, opener in stream:
        out.append(own)
        where((s, e))
        if neg is not None:
            out.append("n:" + neg)
            where((s, e))
        if pair is not None:
            out.append(f"b:{pair[0]}_{pair[1]}")
            where((pair_start, e))
        if opener is not None:
            out.append(f"o:{opener[0]}_{opener[1]}")
            where((s, e))
    if kind:
        out.append("k:" + kind)
        where((0, 0))
    return out


def _no_span(span: tuple[int, int]) -> None:
    """Where spans nobody asked for go."""


_Weights = tuple[dict[str, float], dict[tuple[str, str], float], dict[str, float], dict[tuple[str, str], float]]
_TokenEntry = tuple[str, bool, int, tuple[str, ...]]  # a token's stream key, negator flag, own rows summed, own names
_MARKS = {"!": "w:!", "?": "w:?"}


def _by_parts(table: dict[str, Any]) -> tuple[dict[tuple[str, str], Any], dict[str, Any], dict[tuple[str, str], Any]]:
    """The bigram, negated-word and opener entries of a table by feature name, by their parts instead: (previous key,
    key), key and (kind, key) (stream keys hold no "_"), so that a pass looks them up without building a name."""
    pairs: dict[tuple[str, str], Any] = {}
    negated: dict[str, Any] = {}
    openers: dict[tuple[str, str], Any] = {}
    for f, v in table.items():
        if f[1:2] != ":":
            continue
        if f[0] == "b":
            prev, _, key = f[2:].partition("_")
            pairs[(prev, key)] = v
        elif f[0] == "n":
            negated[f[2:]] = v
        elif f[0] == "o":
            kind, _, key = f[2:].rpartition("_")
            openers[(kind, key)] = v
    return pairs, negated, openers


@dataclass(slots=True)
class _Rows:
    """A model's packed rows (see :func:`_pack`) by feature name and (:func:`_by_parts`) by parts, and per-token
    caches (by whether the token is capitalised inside a sentence). Empty for a pass that only names features."""

    names: dict[str, int] = field(default_factory=dict)
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    negated: dict[str, int] = field(default_factory=dict)
    openers: dict[tuple[str, str], int] = field(default_factory=dict)
    plain: dict[str, _TokenEntry] = field(default_factory=dict)
    capitals: dict[str, _TokenEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pairs, self.negated, self.openers = _by_parts(self.names)


def _scan(text: str, kind: str | None, norm: str, quotes: tuple[tuple[int, int], ...], rows: _Rows,
          stream: list[_Step]) -> int:
    """The one feature pass: the sum of the reply's features' packed rows, looked up without naming the features, and
    the reply's feature stream (its steps appended to ``stream``; :func:`_names` names them)."""
    get = rows.names.get
    pair_row = rows.pairs.get
    negated_row = rows.negated.get
    opener_row = rows.openers.get
    step = stream.append
    total = 0
    prev = ""
    prev_start = 0
    neg = 0
    opening = kind or ""
    count = 0 if opening else 4  # the reply's first four words are read with the commenter's kind
    sentence_start = True
    for m in _TOK.finditer(norm):
        tok = m.group()
        if tok in _STOP:
            if tok in _SENTENCE_END:
                sentence_start = True
            neg = 0
            prev = ""
            mark = _MARKS.get(tok)
            if mark is not None:
                total += get(mark, 0)
                step((m.start(), m.end(), mark, None, None, 0, None))
            continue
        s = m.start()
        capital = not sentence_start and text[s].isupper()
        cache = rows.capitals if capital else rows.plain
        entry = cache.get(tok)
        if entry is None:
            names, key, negator = _token(tok, capital)
            row = 0
            for n in names:
                row += get(n, 0)
            entry = (key, negator, row, names)
            if len(cache) < 200_000:
                cache[tok] = entry
        key, negator, row, names = entry
        sentence_start = False
        negated = None
        if quotes and any(a <= s < b for a, b in quotes):
            names = tuple("q:" + n for n in names)
            for n in names:
                total += get(n, 0)
        else:
            total += row
            if neg:
                negated = key
                total += negated_row(key, 0)
        if neg:
            neg -= 1
        if negator:
            neg = 3
        pair = None
        if prev:
            pair = (prev, key)
            total += pair_row(pair, 0)
        opener = None
        if count < 4:
            opener = (opening, key)
            total += opener_row(opener, 0)
            count += 1
        step((s, m.end(), names, negated, pair, prev_start, opener))
        prev = key
        prev_start = s
    if kind:
        total += get("k:" + kind, 0)
    return total


@dataclass(slots=True)
class Prediction:
    """The model's log-odds per code for one reply, and the reply's feature stream (for the evidence)."""

    logits: dict[str, float]
    stream: list[_Step] = field(default_factory=list)
    kind: str | None = None
    norm: str = ""  # the normalised reply the spans index (to tell a bare function word)
    _items: list[str | tuple[str, ...]] | None = None
    _item_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def items(self) -> list[str | tuple[str, ...]]:
        """:func:`feature_names` of the reply, named from the stream on first use (scoring names no feature)."""
        return self._named()[0]

    @property
    def item_spans(self) -> list[tuple[int, int]]:
        """The reply span of each of :attr:`items` (``(0, 0)`` for whole-reply features)."""
        return self._named()[1]

    def _named(self) -> tuple[list[str | tuple[str, ...]], list[tuple[int, int]]]:
        if self._items is None:
            self._items = _names(self.stream, self.kind, self._item_spans)
        return self._items, self._item_spans

    def prob(self, code: str) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logits[code]))))


@dataclass(slots=True)
class LearnedModel:
    """Per-code linear weights (code → feature → weight), biases, and the thresholds the scorer applies."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    thresholds: dict[str, float]
    vetoes: dict[str, float]
    fingerprint: str
    meta: dict[str, Any]
    codes: tuple[str, ...] = ()
    _rows: _Rows = field(default_factory=_Rows, repr=False)
    _bias: int = 0
    _lanes: struct.Struct = field(default_factory=lambda: struct.Struct(""), repr=False)
    _fire_at: dict[str, float] = field(default_factory=dict, repr=False)  # thresholds and vetoes as log-odds
    _veto_under: dict[str, float] = field(default_factory=dict, repr=False)
    _evidence: dict[str, _Weights] = field(default_factory=dict, repr=False)  # see _evidence_weights

    def __post_init__(self) -> None:
        # One row of weights (every code) per feature, packed into one integer (see _pack): a reply costs a
        # lookup and one integer addition per feature, and one unpacking.
        self.codes = tuple(self.weights)
        big = [c for c in self.codes
               if abs(self.bias[c]) >= _MAX_WEIGHT or any(abs(w) >= _MAX_WEIGHT for w in self.weights[c].values())]
        if big:
            raise ScoringError(f"learned model: weights of {', '.join(big)} reach ±{_MAX_WEIGHT}, beyond what the packed "
                               "sums hold; retrain with python -m scoring.train (or a stronger regularisation)")
        self._bias = _pack([self.bias[c] for c in self.codes], _OFFSET)
        self._lanes = struct.Struct(f"<{len(self.codes)}Q")
        self._fire_at = {c: _logit(t) for c, t in self.thresholds.items() if t <= 1.0}
        self._veto_under = {c: _logit(v) for c, v in self.vetoes.items() if v > 0.0}
        rows: dict[str, int] = {}
        for j, c in enumerate(self.codes):
            shift = _LANE * j
            for f, w in self.weights[c].items():
                rows[f] = rows.get(f, 0) + (round(w * _SCALE) << shift)
        self._rows = _Rows(rows)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "learned model") -> LearnedModel:
        if data.get("format") != FORMAT:
            raise ScoringError(f"{where}: format {data.get('format')!r}, expected {FORMAT}; rerun python -m scoring.train")
        try:
            return cls(
                weights={c: {f: float(w) for f, w in ws.items()} for c, ws in data["weights"].items()},
                bias={c: float(b) for c, b in data["bias"].items()},
                thresholds={c: float(t) for c, t in data["thresholds"].items()},
                vetoes={c: float(t) for c, t in data.get("vetoes", {}).items()},
                fingerprint=str(data["fingerprint"]),
                meta=dict(data.get("meta", {})),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ScoringError(f"{where}: malformed ({exc!r}); rerun python -m scoring.train") from exc

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "thresholds": self.thresholds,
            "vetoes": self.vetoes,
            "bias": {c: round(b, 4) for c, b in self.bias.items()},
            "meta": self.meta,
            "weights": {c: {f: round(w, 4) for f, w in sorted(ws.items())} for c, ws in self.weights.items()},
        }

    def predict(self, text: str, kind: str | None = None, norm: str | None = None,
                quotes: tuple[tuple[int, int], ...] | None = None) -> Prediction:
        """Log-odds for every code the model knows (``norm``, ``quotes``: see :func:`feature_names`)."""
        if norm is None:
            norm = normalize(text)
        if quotes is None:
            quotes = quote_ranges(norm)
        stream: list[_Step] = []
        total = _scan(text, kind, norm, quotes, self._rows, stream) + self._bias
        return Prediction(logits=dict(zip(self.codes, _unpack(total, self._lanes))), stream=stream, kind=kind, norm=norm)

    def fires(self, code: str, pred: Prediction) -> bool:
        """True when ``code``'s probability reaches its threshold (compared as log-odds: no exp per reply)."""
        t = self._fire_at.get(code)
        return t is not None and pred.logits[code] >= t

    def vetoes_hit(self, code: str, pred: Prediction) -> bool:
        """True when a rule hit on ``code`` should be doubted: probability under the code's veto level."""
        v = self._veto_under.get(code)
        return v is not None and pred.logits[code] < v

    def _evidence_weights(self, code: str) -> _Weights:
        """The features that may stand as evidence for ``code``, and their weights: those weighing for it, but not the
        person classes (a class is no word to show); by name, and by parts (see :func:`_by_parts`). Built on first use."""
        table = self._evidence.get(code)
        if table is None:
            names = {f: w for f, w in self.weights[code].items() if w > 0 and f not in _PERSON_CLASSES}
            table = self._evidence[code] = (names, *_by_parts(names))
        return table

    def spans(self, code: str, pred: Prediction, limit: int = 3) -> list[tuple[int, int, float]]:
        """The reply spans whose features pushed ``code`` up the most (non-overlapping, best first)."""
        # the features that may stand as evidence: a span of the reply, not a bare function word, weighing for
        # ``code``; met in :func:`features` order (a token's own features and the other per-token ones in text
        # order, then the bigrams), which breaks ties between equal weights
        names, pair_weight, negated_weight, opener_weight = self._evidence_weights(code)
        norm = pred.norm
        found: list[tuple[int, int, float]] = []
        pairs: list[tuple[int, int, float]] = []
        for s, e, own, neg, pair, pair_start, opener in pred.stream:
            before = len(found)
            for n in (own,) if isinstance(own, str) else own:
                if n in names:
                    found.append((s, e, names[n]))
            if neg is not None and neg in negated_weight:
                found.append((s, e, negated_weight[neg]))
            if opener is not None and opener in opener_weight:
                found.append((s, e, opener_weight[opener]))
            if len(found) > before and norm[s:e] in _FUNCTION_WORDS:
                del found[before:]  # one function word is no evidence, whatever the feature ("The" as an opener)
            if pair is not None and pair in pair_weight:
                pairs.append((pair_start, e, pair_weight[pair]))
        best: dict[tuple[int, int], float] = {}
        for s, e, w in found + pairs:
            if w > best.get((s, e), 0.0):
                best[(s, e)] = w
        out: list[tuple[int, int, float]] = []
        for (s, e), w in sorted(best.items(), key=lambda kv: -kv[1]):  # equal weights: in features() order
            if any(s < oe and os_ < e for os_, oe, _ in out):
                continue
            out.append((s, e, w))
            if len(out) == limit:
                break
        return sorted(out)


# Packed rows: a vector of weights w_0…w_k-1 is stored as the integer Σ round(w_j·2^20)·2^(64·j), so adding two
# packed rows adds every code's weight at once, in C, exactly. The bias row also carries 2^62 in every lane, so
# each lane of a reply's total is 2^62 + a signed sum far inside ±2^62 (|w| < 2^11 a feature, fewer than 2^30
# features a reply): no lane goes negative or spills into the next, and the total's bytes are the lanes as
# unsigned 64-bit integers. The quantum 2^-20 is far below the model file's 4 decimals.
_SCALE = float(1 << 20)
_LANE = 64
_OFFSET = 1 << 62
_MAX_WEIGHT = 1 << 11  # checked when a model is loaded


def _pack(values: list[float], offset: int = 0) -> int:
    return sum((round(v * _SCALE) + offset) << (_LANE * j) for j, v in enumerate(values))


def _unpack(total: int, lanes: struct.Struct) -> list[float]:
    """The lanes of a packed total (``lanes``: one unsigned 64-bit integer a code) as weights."""
    return [(v - _OFFSET) / _SCALE for v in lanes.unpack(total.to_bytes(lanes.size, "little"))]


@lru_cache(maxsize=256)
def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1.0 - p))


def data_fingerprint(items: Iterable[dict[str, Any]]) -> str:
    """A stable hash of the training items' ids, texts, kinds and labels (to tell a stale model)."""
    h = hashlib.sha256()
    for it in sorted(items, key=lambda i: str(i["id"])):
        rec = [it["id"], it["post"]["text"], it["post"].get("kind"), it["reply"]["text"],
               it["reply"].get("action", "reply"), sorted(it["codes"])]
        h.update(json.dumps(rec, ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def load_model(path: str | Path | None = None) -> LearnedModel:
    """Read the model file (``scoring/data/learned.json`` by default)."""
    p = Path(path) if path is not None else MODEL_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ScoringError(f"{p}: no learned model; run python -m scoring.train (or set learned: false in the rubric)") from exc
    except json.JSONDecodeError as exc:
        raise ScoringError(f"{p}:{exc.lineno}: not JSON ({exc.msg}); rerun python -m scoring.train") from exc
    return LearnedModel.from_dict(data, str(p))
