"""The pattern notation of the lexicon: parsed once into a small tree, rendered for Python `re`.

A pattern is a small regular expression over lower-case words, always matched as whole words:

- a space stands for a separator (spaces, line breaks or hyphens): `self harm` finds "self-harm";
- ` ~ ` stands for a gap of up to three words: `stockpiling ~ pills` finds "stockpiling his pills";
- `'` is an optional apostrophe, straight or curly: `don't` finds "dont" and "don’t";
- `{name}` is a macro of the vocabulary (`{self}`: myself, herself, ...);
- otherwise only `(?:…)`, `|`, `?`, `*`, `+`, `{m,n}`, classes of letters such as `[ie]`, and the
  escapes `\\(`, `\\)`, `\\.`. A whole pattern wrapped in `(?-i:…)` is case-sensitive (`SI`).

The notation is that small so that a program can reason about it: `trie.py` regroups the patterns
for speed, `anchors.py` finds the words every match must contain (the SQL prefilter).
Word characters are ASCII letters and digits, separators ASCII white space, U+00A0 and the hyphen,
as PostgreSQL sees them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

WORD_CHAR = "A-Za-z0-9"
SEP_PY = r"[\s\u00a0-]+"
APOSTROPHE = "['’]?"
GAP_PY = SEP_PY + r"(?:[a-z0-9'’]+" + SEP_PY + "){0,3}"

_TOKEN = re.compile(
    r"""
      (?P<gap>\ ~\ ) | (?P<sep>\ ) | (?P<apostrophe>') | (?P<open>\(\?:) | (?P<close>\))
    | (?P<bar>\|) | (?P<quantifier>[?*+]|\{\d+(?:,\d*)?\}) | (?P<cls>\[[a-z0-9'-]+\])
    | (?P<literal>\\[().]|[a-zA-Z0-9/&-])
    """,
    re.VERBOSE,
)
_MACRO = re.compile(r"\{([a-z_]+)\}")
_CASE_SENSITIVE = "(?-i:"


class NotationError(ValueError):
    """A pattern uses something outside the notation."""


@dataclass(frozen=True)
class Lit:
    char: str


@dataclass(frozen=True)
class Cls:
    source: str  # "[ie]"


@dataclass(frozen=True)
class Space:
    kind: str  # "sep", "gap" or "apostrophe"


@dataclass(frozen=True)
class Group:
    alternatives: tuple[Seq, ...]


@dataclass(frozen=True)
class Rep:
    node: Node
    lo: int
    hi: int | None


Node = Lit | Cls | Space | Group | Rep
Seq = tuple[Node, ...]


@dataclass(frozen=True)
class Pattern:
    body: Group
    case_sensitive: bool


def expand(pattern: str, macros: Mapping[str, str]) -> str:
    """The pattern with its macros replaced (macros may use other macros)."""
    for _ in range(10):
        expanded = _MACRO.sub(lambda m: _macro(m.group(1), macros), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise NotationError(f"Macros nest too deep in {pattern!r}.")


def _macro(name: str, macros: Mapping[str, str]) -> str:
    if name not in macros:
        raise NotationError(f"Unknown macro {{{name}}}.")
    return f"(?:{macros[name]})"


def parse(pattern: str, macros: Mapping[str, str]) -> Pattern:
    """The pattern's tree, or NotationError saying what is outside the notation."""
    text = expand(pattern, macros)
    case_sensitive = text.startswith(_CASE_SENSITIVE) and text.endswith(")")
    if case_sensitive:
        text = text[len(_CASE_SENSITIVE) : -1]
    elif text != text.lower():
        raise NotationError(f"{pattern!r}: write in lower case, or wrap it all in '(?-i:…)'.")
    tokens = _tokens(text)
    body, rest = _alternatives(tokens, pattern)
    if rest:
        raise NotationError(f"{pattern!r}: unbalanced ')'.")
    if any(_is_space(seq[0]) or _is_space(seq[-1]) for seq in body.alternatives):
        raise NotationError(f"{pattern!r} starts or ends with a separator.")
    return Pattern(body, case_sensitive)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        m = _TOKEN.match(text, position)
        if m is None or m.lastgroup is None:
            raise NotationError(f"{text!r}: {text[position:]!r} is outside the notation.")
        tokens.append((m.lastgroup, m.group()))
        position = m.end()
    return tokens


def _alternatives(tokens: list[tuple[str, str]], pattern: str) -> tuple[Group, list]:
    alternatives, rest = [], tokens
    while True:
        seq, rest = _sequence(rest, pattern)
        alternatives.append(seq)
        if not rest or rest[0][0] != "bar":
            return Group(tuple(alternatives)), rest
        rest = rest[1:]


def _sequence(tokens: list[tuple[str, str]], pattern: str) -> tuple[Seq, list]:
    items: list[Node] = []
    while tokens and tokens[0][0] not in ("bar", "close"):
        (kind, text), tokens = tokens[0], tokens[1:]
        if kind == "open":
            group, tokens = _alternatives(tokens, pattern)
            if not tokens or tokens[0][0] != "close":
                raise NotationError(f"{pattern!r}: unclosed '(?:'.")
            items.append(group)
            tokens = tokens[1:]
        elif kind == "quantifier":
            items.append(_quantified(items, text, pattern))
        else:
            items.append(_atom(kind, text))
    if not items:
        raise NotationError(f"{pattern!r}: an empty alternative.")
    return tuple(items), tokens


def _atom(kind: str, text: str) -> Node:
    if kind == "literal":
        return Lit(text[-1])
    if kind == "cls":
        return Cls(text)
    return Space(kind)


def _quantified(items: list[Node], text: str, pattern: str) -> Rep:
    if not items or isinstance(items[-1], Space | Rep):
        raise NotationError(
            f"{pattern!r}: {text!r} follows nothing it can repeat (an optional space is '(?: )?')."
        )
    node = items.pop()
    if text in "?*+":
        lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[text]
        return Rep(node, lo, hi)
    bounds = text[1:-1].split(",")
    return Rep(node, int(bounds[0]), int(bounds[-1]) if bounds[-1] else None)


def _is_space(node: Node) -> bool:
    return isinstance(node, Space) and node.kind != "apostrophe"


def render(node: Node | Seq) -> str:
    """A node or sequence as a Python regular expression (flags re.ASCII, on lower-cased text)."""
    if isinstance(node, tuple):
        return "".join(render(n) for n in node)
    if isinstance(node, Lit):
        return "\\" + node.char if node.char in "()." else node.char
    if isinstance(node, Cls):
        return node.source
    if isinstance(node, Space):
        return {"sep": SEP_PY, "apostrophe": APOSTROPHE, "gap": GAP_PY}[node.kind]
    if isinstance(node, Group):
        return "(?:" + "|".join(render(seq) for seq in node.alternatives) + ")"
    return render(node.node) + _quantifier(node.lo, node.hi)


def _quantifier(lo: int, hi: int | None) -> str:
    return {(0, 1): "?", (0, None): "*", (1, None): "+"}.get(
        (lo, hi), f"{{{lo},{'' if hi is None else hi}}}"
    )


def class_chars(cls: Cls) -> str:
    """The characters of a class, ranges spelled out: '[1-9]' -> '123456789'."""
    inner, chars, i = cls.source[1:-1], list[str](), 0
    while i < len(inner):
        if i + 2 < len(inner) and inner[i + 1] == "-":
            chars.extend(chr(x) for x in range(ord(inner[i]), ord(inner[i + 2]) + 1))
            i += 3
        else:
            chars.append(inner[i])
            i += 1
    return "".join(dict.fromkeys(chars))


def whole_words(regex: str) -> str:
    """The regex matched only as whole words."""
    return rf"(?<![{WORD_CHAR}])(?:{regex})(?![{WORD_CHAR}])"
