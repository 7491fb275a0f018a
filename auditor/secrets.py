"""The secrets of a run, in one place, and the scrubbing of every string that leaves the process.

    from cardshop_auditor import secrets
    secrets.register(password)                  # also kind="username" | "token" | "cookie"
    secrets.scrub(text) / scrub_bytes(data) / scrub_obj(report)   → the same with "***"

Everything the auditor writes passes a choke point that calls ``scrub*``: the file writer
(``artifacts.write_atomic``: reports, meta.json, pages.jsonl, batch.json, summaries), the
report writer, the history store, the batch log, and sys.stdout / sys.stderr once
``guard_streams()`` ran (the commands that take credentials call it).  Besides the secret
itself its cheap encodings are scrubbed: URL-encoded (as Python and as a browser's form
post write it), JSON-escaped, HTML-escaped, base64 (of the secret and of ``user:pass``).

Library exceptions never reach a report as they are (Playwright's call log repeats the
arguments of ``fill("…")``): ``failure_reason`` maps them to a short, fixed, translated
sentence plus the exception's class name; the raw text goes to stderr with ``--debug`` /
``CARDSHOP_DEBUG=1`` only, scrubbed.

Credentials themselves (``Credentials``, ``--password-env``, references) live in
cardshop_auditor.credentials and cardshop_auditor.browser.credentials; they register here.
"""
from __future__ import annotations

import base64
import builtins
import html
import io
import json
import logging
import os
import re
import sys
import threading
from pathlib import Path
from urllib.parse import quote, quote_plus

from cardshop_auditor import logs

MASK = "***"
MIN_LENGTH = 4          # shorter values are everywhere in ordinary text: not scrubbable
KINDS = ("password", "username", "token", "cookie", "webhook")


# --------------------------------------------------------------------------- the registry

def encodings(value: str) -> set[str]:
    """``value`` and the forms it takes in URLs, JSON, HTML and base64."""
    forms = {value,
             quote(value, safe=""), _lower_hex(quote(value, safe="")),
             quote_plus(value, safe=""), _lower_hex(quote_plus(value, safe="")),
             # a browser's form post keeps *-._ and writes a space as +
             quote(value, safe="*-._").replace("%20", "+"),
             # JavaScript's encodeURIComponent / encodeURI (a page building a URL itself)
             quote(value, safe="!'()*-._~"), quote(value, safe=";,/?:@&=+$-_.!~*'()#"),
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             html.escape(value), html.escape(value, quote=False),
             html.escape(value).replace("&#x27;", "&#39;").replace("&quot;", "&#34;"),
             _b64(value), _b64(value).rstrip("="), _b64(value, urlsafe=True).rstrip("="),
             # page text as a browser reads it (innerText, dialog labels): runs of spaces as one
             " ".join(value.split()),
             # pasted raw into a URL by a page's script: the browser escapes only what the URL
             # standard says (query, path, fragment, user-info sets), a form no encoder writes
             *(quote(value, safe=_printable_except(unsafe)) for unsafe in URL_STANDARD_SETS)}
    return {f for f in forms if len(f) >= MIN_LENGTH}


# WHATWG URL percent-encode sets (printable ASCII a browser escapes; controls, space and
# non-ASCII always): special-query, path, fragment, userinfo
URL_STANDARD_SETS = (' "#<>\'', ' "#<>?`{}', ' "<>`', ' "#<>?`{}/:;=@[\\]^|')


def _printable_except(unsafe: str) -> str:
    return "".join(ch for ch in map(chr, range(0x21, 0x7F)) if ch not in unsafe)


def _lower_hex(encoded: str) -> str:
    """%2F → %2f (some encoders write lower-case escapes); the secret's own letters stay."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded)


def _b64(text: str, urlsafe: bool = False) -> str:
    raw = text.encode("utf-8")
    return (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode("ascii")


LINEWISE = 1 << 16      # texts longer than this are masked line by line (hits are rare)


class Registry:
    """The secrets known to this process and the compiled patterns that mask them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] = {}           # secret → kind
        self._needles: set[str] = set()             # masked wherever they occur
        self._names: set[str] = set()               # account names: masked as whole words only
        self._text: re.Pattern | None = None
        self._bytes: re.Pattern | None = None
        self._cut: re.Pattern | None = None         # a secret's head where a text was cut
        self._probes: tuple = ()
        self._probes_bytes: tuple = ()

    def register(self, value: str | None, kind: str = "password") -> bool:
        """Remember ``value`` (and its encodings); False when it is too short to scrub."""
        if not value or not isinstance(value, str):
            return False
        value = value.strip("\r\n")
        if len(value) < MIN_LENGTH:
            return False
        with self._lock:
            if value in self._values:
                return True
            self._values[value] = kind
            (self._names if kind == "username" else self._needles).update(encodings(value))
            if kind == "password":                  # HTTP basic auth: base64("user:pass")
                for user, k in self._values.items():
                    if k == "username":
                        self._needles |= _pair_forms(user, value)
            elif kind == "username":
                for secret, k in self._values.items():
                    if k == "password":
                        self._needles |= _pair_forms(value, secret)
            self._compile()
        return True

    def _compile(self) -> None:
        # An account name is masked only where it stands as a word of its own: "kameng" the
        # user, not the "kameng" of http://kameng.cn/ (the target, its history key).
        self._text = _alternation(self._needles, self._names, WORD_EDGE)
        self._bytes = _alternation({n.encode("utf-8") for n in self._needles},
                                   {n.encode("utf-8") for n in self._names}, WORD_EDGE.encode("ascii"))
        self._cut = _cut_pattern(self._needles)
        # Probes: every match of the patterns above contains one of these (a needle's head,
        # an account name), and `in` is C-fast, so text without a secret skips the regexes.
        heads = {n[:CUT_MIN] for n in self._needles} | set(self._names)
        self._probes = tuple(heads)
        self._probes_bytes = tuple({h.encode("utf-8") for h in heads})

    def might_contain(self, data: str | bytes) -> bool:
        probes = self._probes_bytes if isinstance(data, (bytes, bytearray)) else self._probes
        return any(p in data for p in probes)

    def reset(self) -> None:
        with self._lock:
            self._values.clear()
            self._needles.clear()
            self._names.clear()
            self._text = self._bytes = self._cut = None
            self._probes = self._probes_bytes = ()

    @property
    def empty(self) -> bool:
        return self._text is None

    def scrub(self, text: str) -> str:
        pattern = self._text
        if pattern is None or not isinstance(text, str) or not text or not self.might_contain(text):
            return text
        if len(text) > LINEWISE and "\n" in text:    # a big file: only its lines with a hit
            return "\n".join(self.scrub(line) for line in text.split("\n"))
        text = pattern.sub(MASK, text)
        cut = self._cut
        return cut.sub(MASK, text) if cut is not None else text

    def scrub_bytes(self, data: bytes) -> bytes:
        pattern = self._bytes
        if pattern is None or not data or not self.might_contain(data):
            return data
        if len(data) > LINEWISE and b"\n" in data:
            return b"\n".join(self.scrub_bytes(line) for line in data.split(b"\n"))
        return pattern.sub(MASK.encode("ascii"), data)

    def shown_values(self) -> list[str]:
        """The passwords and account names as a page would show them (for screenshots)."""
        return [v for v, kind in self._values.items() if kind in ("password", "username")]

    def is_secret(self, value: str) -> bool:
        return isinstance(value, str) and value.strip("\r\n") in self._values

    def contains(self, text: str | bytes) -> bool:
        pattern = self._bytes if isinstance(text, (bytes, bytearray)) else self._text
        return bool(pattern is not None and text and pattern.search(text))


# A text cut to a length (a dialog's first 120 characters, a label's first 80) may end
# inside a secret: its head is masked too where a text ends or says it was cut (… / ...).
CUT_MIN = 6             # shorter heads are ordinary words; at most this much of a secret can show
CUT_END = r"(?=\s*(?:…|\.\.\.|[”」』]|\Z))"


def _cut_pattern(needles: set[str]) -> re.Pattern | None:
    """Every proper head (CUT_MIN characters or more, up to 64) of every needle, followed by
    the end of the text or a cut mark: nested optional groups, so one pattern per needle."""
    alts = []
    for needle in sorted(needles, key=len, reverse=True):
        head = needle[:64]
        if len(head) <= CUT_MIN:
            continue
        tail = "".join(f"(?:{re.escape(ch)}" for ch in head[CUT_MIN:-1]) + ")?" * (len(head) - CUT_MIN - 1)
        if len(needle) > 64:
            tail = "".join(f"(?:{re.escape(ch)}" for ch in head[CUT_MIN:]) + ")?" * (len(head) - CUT_MIN)
        alts.append(re.escape(head[:CUT_MIN]) + tail)
    return re.compile("(?:" + "|".join(alts) + ")" + CUT_END) if alts else None


WORD_EDGE = r"A-Za-z0-9._@-"        # what continues a host name, an e-mail or an account name


def _alternation(anywhere: set, words: set, edge):
    """One pattern: ``anywhere`` as they are, ``words`` only between non-word characters;
    longest first, so that a secret's encoding is masked whole."""
    def alt(items):
        return (b"|" if isinstance(edge, bytes) else "|").join(
            re.escape(n) for n in sorted(items, key=len, reverse=True))
    parts = []
    if anywhere:
        parts.append(alt(anywhere))
    if words:
        if isinstance(edge, bytes):
            parts.append(b"(?<![" + edge + b"])(?:" + alt(words) + b")(?![" + edge + b"])")
        else:
            parts.append(f"(?<![{edge}])(?:{alt(words)})(?![{edge}])")
    if not parts:
        return None
    return re.compile((b"|" if isinstance(edge, bytes) else "|").join(parts))


def _pair_forms(user: str, password: str) -> set[str]:
    pair = f"{user}:{password}"
    return {_b64(pair), _b64(pair).rstrip("="), _b64(pair, urlsafe=True).rstrip("=")}


REGISTRY = Registry()


def register(value: str | None, kind: str = "password") -> bool:
    return REGISTRY.register(value, kind)


def register_credentials(username: str | None, password: str | None) -> None:
    """A login's secrets: the password, and the account name (personal data, shown back by
    some shops' error pages)."""
    REGISTRY.register(username, "username")
    if password and not REGISTRY.register(password, "password"):
        warn("the password is shorter than 4 characters: it cannot be scrubbed from outputs reliably")


TOKEN_MIN_LENGTH = 12   # cookie / storage values: short ones are flags and language codes


def register_session(cookies=(), storage=()) -> None:
    """A browser session's cookie values and localStorage / sessionStorage values (tokens)."""
    for value in [c.get("value") for c in cookies or () if isinstance(c, dict)] + list(storage or ()):
        if isinstance(value, str) and len(value) >= TOKEN_MIN_LENGTH and not re.search(r"\s", value):
            REGISTRY.register(value, "cookie")          # tokens have no spaces; text does


def register_storage_state(path: str | Path | None) -> None:
    """The secrets in a Playwright storage state file (``--storage-state``)."""
    if not path:
        return
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return                       # the browser stage reports an unusable file
    if not isinstance(data, dict):
        return
    from cardshop_auditor.browser.labels import TOKEN_KEY
    storage = [item.get("value") for origin in data.get("origins") or () if isinstance(origin, dict)
               for item in origin.get("localStorage") or ()
               if isinstance(item, dict) and TOKEN_KEY.search(str(item.get("name") or ""))]
    register_session(data.get("cookies") or (), storage)


def register_url_credentials(url: str | None, kind: str = "token") -> None:
    """The password in a URL's user-info (postgresql://u:PASS@…, redis://:PASS@…) and long
    query values (a webhook's ?access_token=…)."""
    if not url or not isinstance(url, str):
        return
    from urllib.parse import parse_qsl, unquote, urlsplit
    try:
        parts = urlsplit(url)
        if parts.password:
            REGISTRY.register(unquote(parts.password), kind)
        for _, value in parse_qsl(parts.query):
            if len(value) >= TOKEN_MIN_LENGTH:
                REGISTRY.register(value, kind)
    except ValueError:
        return


def scrub(text):
    """``text`` with every known secret masked (non-strings are returned as they are)."""
    return REGISTRY.scrub(text) if isinstance(text, str) else text


def scrub_bytes(data: bytes) -> bytes:
    return REGISTRY.scrub_bytes(data)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_STRING_BYTES = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


def scrub_json(data: str | bytes) -> str | bytes:
    """JSON (or JSON lines) text with secrets masked inside its strings only: a secret of
    digits that also occurs in a number (a port, a size) must not turn the number into
    ``***`` and the file into invalid JSON."""
    if REGISTRY.empty or not data or not REGISTRY.might_contain(data):
        return data
    if isinstance(data, str):
        return _JSON_STRING.sub(lambda m: REGISTRY.scrub(m.group(0)), data)
    return _JSON_STRING_BYTES.sub(lambda m: REGISTRY.scrub_bytes(m.group(0)), data)


def scrub_obj(obj):
    """A JSON-like value (dicts, lists, strings; keys too) with every known secret masked;
    a new object when something changed, else the same one."""
    if REGISTRY.empty:
        return obj
    if isinstance(obj, str):
        return REGISTRY.scrub(obj)
    if isinstance(obj, dict):
        return {scrub_obj(k): scrub_obj(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(scrub_obj(v) for v in obj)
    return obj


def scrub_in_place(obj: dict) -> dict:
    """Scrub a dict's values in place (callers keep references to it: the report)."""
    if not REGISTRY.empty:
        clean = scrub_obj(obj)
        obj.clear()
        obj.update(clean)
    return obj


def child_env(base=None) -> dict[str, str]:
    """The environment for a child process (the crawler, Chromium) without the variables
    that hold a secret of the run (``--password-env``, an --auth entry's password_env)."""
    base = os.environ if base is None else base
    return {k: v for k, v in base.items() if not REGISTRY.is_secret(v)}


def reset() -> None:
    """Forget every secret and the --debug switch (tests; a long-lived process between
    unrelated runs): one run's --debug must not print another run's raw error text."""
    global _DEBUG
    REGISTRY.reset()
    _DEBUG = False


# --------------------------------------------------------------------------- stderr / stdout

class ScrubbingStream(io.TextIOBase):
    """A text stream that masks secrets in everything written to it."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text) -> int:
        self._stream.write(scrub(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", "utf-8")

    def __getattr__(self, name):
        return getattr(self._stream, name)


def guard_streams() -> None:
    """From now on, what this process prints (logs, progress, tracebacks) is scrubbed."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, ScrubbingStream):
            setattr(sys, name, ScrubbingStream(stream))


def warn(message: str) -> None:
    logs.get_logger().warning(message)


_DEBUG = False


def enable_debug() -> None:
    """``--debug``: raw technical detail (scrubbed) on stderr."""
    global _DEBUG
    _DEBUG = True
    logs.get_logger().setLevel(logging.DEBUG)


def debug_enabled() -> bool:
    return _DEBUG or bool(os.environ.get("CARDSHOP_DEBUG"))


def debug(message: str) -> None:
    """Raw technical detail (an exception's text): stderr with --debug only, scrubbed."""
    if debug_enabled():
        logger = logs.get_logger()
        if not logger.isEnabledFor(logging.DEBUG):      # CARDSHOP_DEBUG=1 set after logging was
            logger.setLevel(logging.DEBUG)
        logger.debug(scrub(message))


# --------------------------------------------------------------------------- fixed reasons

# step → (zh, en): what the auditor was doing when a library call failed
STEPS = {
    "fill_password": ("登录失败：密码框不可填写", "login failed: the password box could not be filled"),
    "fill_username": ("登录失败：账号框不可填写", "login failed: the account box could not be filled"),
    "submit": ("登录失败：无法提交登录表单", "login failed: the login form could not be submitted"),
    "find_form": ("登录失败：找不到可用的登录表单", "login failed: no usable login form"),
    "login": ("登录失败：浏览器操作出错", "login failed: a browser action went wrong"),
    "browser": ("浏览器阶段出错", "the browser stage failed"),
    "extract": ("页面内容解析出错", "extraction failed on this site's pages"),
}
# exception class → (zh, en) detail, more telling than the step alone
CAUSES = {
    "TimeoutError": ("操作超时", "timed out"),
    "TargetClosedError": ("页面已被关闭", "the page was closed"),
    "OSError": ("本机读写出错", "a local OS error"),
    "MemoryError": ("内存不足", "out of memory"),
    "FieldNotEditable": ("输入框只读或已禁用", "the box is read-only or disabled"),
}
OWN_EXCEPTIONS = {"FieldNotEditable"}     # ours: the cause says it all, no class name


def failure_reason(step: str, exc: BaseException | None = None, lang: str = "zh") -> str:
    """A short, fixed, translated reason for a failed ``step``: never the exception's text
    (which may repeat what was typed), at most its class name.  The raw text goes to
    ``debug`` (stderr with --debug, scrubbed)."""
    zh, en = STEPS.get(step, STEPS["login"])
    text = en if lang == "en" else zh
    if exc is not None:
        name = type(exc).__name__
        cause = CAUSES.get(name) or next((v for k, v in CAUSES.items()
                                          if isinstance(exc, getattr(builtins, k, ()))), None)
        if cause:
            text += ("（" + cause[0] + "）") if lang != "en" else f" ({cause[1]})"
        if name not in OWN_EXCEPTIONS:
            text += f" [{name}]"
        debug(f"{step}: {name}: {exc}")
    return text


logs.install_scrubber(scrub)       # every log record is scrubbed before it is written
