"""Pinyin keys for titles and keywords, and segmentation of what a citizen types on an A–Z keyboard.

A text becomes a list of *units*: one per Chinese character (its toneless syllable, ü written v) and
one per ASCII letter or digit; other characters are skipped. Every reading of a polyphonic character
is indexed (bounded), so 重庆 is found by both "cq" and "zq" and 银行 by "yh" and "yx".

Two keys per reading, both computed once at commit time:
- initials: the first letter of each unit ("不动产登记" → "bdcdj"), searched with instr();
- slots: each unit as "|" + syllable padded to SLOT_WIDTH with "." ("|bu....|dong..|…"), so a GLOB
  pattern can require consecutive units to *start with* the typed chunks ("budongchandj" →
  "*|bu????|dong??|chan??|d?????|j?????*"), which covers full pinyin, initials and any mix.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

SLOT_WIDTH = 6  # the longest syllables (zhuang, chuang, shuang) have six letters
MAX_READINGS = 16
MAX_SEGMENTATIONS = 4
SHORT_QUERY = 6  # up to this many letters a query may be initials only, even if it spells syllables
_UNKNOWN = "#"  # a character with no known reading: occupies a slot no query letter can match

# Every toneless syllable pypinyin knows (generated from its dictionary).
_SYLLABLE_LIST = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca
    cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
    deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
    fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
    gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun
    huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
    keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian
    liang liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men
    meng mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia
    nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei
    pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu
    quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se
    sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui
    shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting
    tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie
    xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za
    zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu
    zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
SYLLABLES = frozenset(_SYLLABLE_LIST.split())
# Interjections like "ng" and "hm" would only add odd ways to split what people type.
_TYPED_SYLLABLES = SYLLABLES - {"hm", "hng", "ng", "m", "n"}
_PREFIXES = frozenset(s[:n] for s in _TYPED_SYLLABLES for n in range(1, len(s) + 1))
_NO_SYLLABLE_STARTS = frozenset("iuv")  # no syllable starts with these: never an initial


def normalize(text: str) -> str:
    """Fold width and case: full-width letters and digits become ASCII, letters lower case."""
    # normalize() does the full work even on text that needs none, and Chinese text is rarely
    # normalized only because of full-width punctuation. Mapping that first (each such character is
    # its own one-character NFKC decomposition, so the result is the same) lets the cheap check pass.
    if not unicodedata.is_normalized("NFKC", text):
        text = _FULL_WIDTH_RUN.sub(_to_ascii, text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


# U+FF01–U+FF5E are NFKC-equivalent to ASCII U+0021–U+007E, and U+3000 to a space.
_FULL_WIDTH = {0xFF01 + n: 0x21 + n for n in range(0x5E)} | {0x3000: 0x20}
_FULL_WIDTH_RUN = re.compile("[\uff01-\uff5e\u3000]+")


def _to_ascii(match: re.Match[str]) -> str:
    return match.group().translate(_FULL_WIDTH)


_NOT_ALNUM = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """`normalize`, then only letters, digits and Chinese characters: what search compares."""
    return _NOT_ALNUM.sub("", normalize(text))


def _is_han(char: str) -> bool:
    return (
        "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f" or "\uf900" <= char <= "\ufaff"
    )


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    """pypinyin and its dictionaries, loaded on first use: about a second of start-up that only a
    commit needs (queries are matched against keys computed then), not an app opening the store."""
    from pypinyin import Style, pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.seg.mmseg import seg

    return SimpleNamespace(
        Style=Style,
        pinyin=pinyin,
        PHRASES_DICT=PHRASES_DICT,
        PINYIN_DICT=PINYIN_DICT,
        to_normal=to_normal,
        seg=seg,
    )


def _unknown(text: str) -> Any:
    return [_UNKNOWN]


@lru_cache(maxsize=8192)
def _all_readings(char: str) -> tuple[str, ...]:
    py = _pypinyin()
    readings = py.pinyin(char, style=py.Style.NORMAL, heteronym=True, errors=_unknown)[0]
    clean = [r for r in readings if r.isascii() and r.isalpha()]
    return tuple(dict.fromkeys(clean)) or (_UNKNOWN,)


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    return str(_pypinyin().to_normal(syllable))


def _primary(text: str) -> list[str]:
    """The context-aware reading, one syllable per character (what pypinyin's lazy_pinyin gives).

    Done from pypinyin's own word segmentation and dictionaries with the tone stripping cached,
    which is several times faster than lazy_pinyin and matters when a whole feed is indexed.
    """
    out: list[str] = []
    for run, followed in _han_runs(text):
        if run[0].isascii():
            out.extend(run)  # no phrase holds a non-Han character: each one is a word of its own
        else:
            out.extend(_run_reading(run, followed))
    return out


_RUNS = re.compile(r"[0-9A-Za-z]+|[^0-9A-Za-z]+")  # the text holds Han characters and ASCII ones
_SENTINEL = "\x00"  # in no phrase: ends a match the way the character after a run does


def _han_runs(text: str) -> list[tuple[str, bool]]:
    """Maximal runs of Han and of other characters, each with whether more text follows it."""
    runs = _RUNS.findall(text)
    return [(run, n < len(runs) - 1) for n, run in enumerate(runs)]


@lru_cache(maxsize=16384)
def _run_reading(run: str, followed: bool) -> tuple[str, ...]:
    """The reading of a run of Han characters, segmented as it would be inside the whole text.

    pypinyin's segmenter matches phrase prefixes, and phrases hold Han characters only, so a match
    never crosses into a following non-Han character; that character only ends the match the way
    any non-prefix does, which a sentinel stands for here. Runs recur across titles (district,
    department, topic) far more than whole titles do, so this is cached.
    """
    words = list(_pypinyin().seg.cut(run + _SENTINEL if followed else run))
    if followed:
        words.pop()  # the sentinel, always a word of its own
    return tuple(syllable for word in words for syllable in _word_reading(word))


@lru_cache(maxsize=16384)
def _word_reading(word: str) -> tuple[str, ...]:
    """The reading of one segmented word; words recur across titles far more than titles do."""
    py = _pypinyin()
    phrase = py.PHRASES_DICT.get(word)
    if phrase and len(phrase) == len(word):
        return tuple(_toneless(options[0]) for options in phrase)
    out = []
    for char in word:
        known = py.PINYIN_DICT.get(ord(char))
        out.append(_toneless(known.split(",")[0]) if known else char)
    return tuple(out)


def units(text: str) -> list[tuple[str, ...]]:
    """The candidate syllables of each unit of `text`, the context-aware (phrase) reading first."""
    text = normalize(text)
    kept = [c for c in text if _is_han(c) or (c.isascii() and c.isalnum())]
    if not kept:
        return []
    primary = _primary("".join(kept))
    if len(primary) != len(kept):  # alignment lost on odd input: fall back to per-character readings
        primary = [_all_readings(c)[0] if _is_han(c) else c for c in kept]
    return [_unit(char, reading) for char, reading in zip(kept, primary, strict=True)]


@lru_cache(maxsize=16384)
def _unit(char: str, reading: str) -> tuple[str, ...]:
    """One unit's candidates: the character's reading in context first, then all its readings."""
    if not _is_han(char):
        return (char,)
    first = reading if reading.isascii() and reading.isalpha() else _UNKNOWN
    return tuple(dict.fromkeys((first, *_all_readings(char))))


@lru_cache(maxsize=4096)
def readings(text: str, limit: int = MAX_READINGS) -> tuple[tuple[str, ...], ...]:
    """Syllable lists for `text`: every combination when few, else the primary plus one-swap variants."""
    candidates = units(text)
    if not candidates:
        return ()
    total = 1
    for options in candidates:
        total *= len(options)
        if total > limit:
            break
    if total <= limit:
        return tuple(itertools.product(*candidates))
    primary = tuple(options[0] for options in candidates)
    found = [primary]
    for index, options in enumerate(candidates):
        for alternative in options[1:]:
            if len(found) >= limit:
                return tuple(found)
            found.append((*primary[:index], alternative, *primary[index + 1 :]))
    return tuple(found)


def initials_key(syllables: Sequence[str]) -> str:
    return "".join([s[0] for s in syllables])


@lru_cache(maxsize=4096)
def _slot(syllable: str) -> str:
    return "|" + syllable[:SLOT_WIDTH].ljust(SLOT_WIDTH, ".")


def slots_key(syllables: Sequence[str]) -> str:
    return "".join(map(_slot, syllables))


def segmentations(query: str, limit: int = MAX_SEGMENTATIONS) -> list[list[str]]:
    """Ways to read typed letters as consecutive units, most syllable-like first.

    A chunk is a whole syllable, a single letter (an initial) or a digit; the last chunk may also be
    an unfinished syllable, because results update while the citizen types. Readings that leave the
    fewest letters as bare initials are kept (so "xian" is both 先 and 西安, but "budongchandj" is
    not read as "b-u-d-o-n-g…"), and a short query is also read as initials only ("bdc").
    """
    if not query or not (query.isascii() and query.isalnum()):
        return []
    found: list[list[str]] = []
    budget = limit * 16  # explore a bounded number of readings, then keep the best

    def walk(start: int, chunks: list[str]) -> None:
        if len(found) >= budget:
            return
        if start == len(query):
            found.append(chunks.copy())
            return
        for end in range(min(len(query), start + SLOT_WIDTH), start, -1):
            chunk = query[start:end]
            whole = chunk in _TYPED_SYLLABLES or (len(chunk) == 1 and chunk not in _NO_SYLLABLE_STARTS)
            unfinished = end == len(query) and chunk in _PREFIXES
            if whole or unfinished:
                chunks.append(chunk)
                walk(end, chunks)
                chunks.pop()

    walk(0, [])

    def initials_left(chunks: list[str]) -> int:
        return sum(1 for c in chunks if len(c) == 1)

    singles = list(query)
    fewest = min((initials_left(c) for c in found), default=len(query))
    best = sorted((c for c in found if initials_left(c) == fewest and c != singles), key=len)[: limit - 1]
    if len(query) <= SHORT_QUERY or not best:
        best.append(singles)
    return best


def slot_pattern(chunk: str, *, last: bool) -> str:
    """A typed chunk against one slot: a whole syllable must match exactly unless it is the last
    chunk (still being typed); a single letter is an initial, matching any syllable it starts."""
    if len(chunk) > 1 and not last:
        return _slot(chunk)
    return "|" + chunk + "?" * (SLOT_WIDTH - len(chunk))


def slots_pattern(chunks: list[str], *, anchored: bool) -> str:
    """GLOB pattern matching consecutive slots typed as `chunks` (anchored: from the first slot)."""
    body = "".join(slot_pattern(c, last=n == len(chunks) - 1) for n, c in enumerate(chunks))
    return body + "*" if anchored else "*" + body + "*"
