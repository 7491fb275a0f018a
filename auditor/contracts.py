"""Typed contracts: the ``findings`` object of report.json and the browser stage's observations.

Extraction builds a ``Findings`` (one place: ``cardshop_auditor.extract.findings``); the
browser stage records a ``BrowserObservations`` in ``artifacts.meta.browser``; extraction
merges the two.  ``to_json()`` gives report.json's shape exactly; ``from_json()`` reads it
back.  The JSON schema (``schema/report.schema.json``) describes the same fields — a test
holds the two together.

DESIGN.md's contract fields keep their names; the others are extra facts the checks and
the report use (report.json allows extra keys).  A field whose default is ``ABSENT`` is a
key that appears only when it was set (``page_url`` of a refund entry that was found, the
``depth`` of an agreement document): report.json has always written them that way.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any, ClassVar


class _Absent:
    """A key that is not written at all (not ``null``)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return "ABSENT"


ABSENT: Any = _Absent()


def maybe() -> Any:
    """A field written only when it was given."""
    return field(default=ABSENT)


def internal(default: Any = None) -> Any:
    """Working state that is never serialised."""
    return field(default=default, repr=False, compare=False, metadata={"internal": True})


class Contract:
    """``to_json`` / ``from_json`` for the dataclasses below (keys = field names, in order)."""

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            if f.metadata.get("internal"):
                continue
            value = getattr(self, f.name)
            if value is ABSENT:
                continue
            out[f.name] = _to_json(value)
        return out

    @classmethod
    def from_json(cls, data: dict | None):
        """The dataclass for a JSON object; unknown keys are ignored, missing ones take
        their defaults.  ``None`` (or not a dict) gives ``None``."""
        if not isinstance(data, dict):
            return None
        hints = _hints(cls)
        kwargs = {}
        for f in fields(cls):
            if f.metadata.get("internal") or f.name not in data:
                continue
            kwargs[f.name] = _from_json(hints[f.name], data[f.name])
        return cls(**kwargs)


def _to_json(value: Any) -> Any:
    if isinstance(value, Contract):
        return value.to_json()
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _from_json(hint: Any, value: Any) -> Any:
    contract = _contract_in(hint)
    if contract is not None and isinstance(value, dict):
        return contract.from_json(value)
    item = _list_item(hint)
    if item is not None and isinstance(value, list):
        inner = _contract_in(item)
        if inner is not None:
            return [inner.from_json(v) if isinstance(v, dict) else v for v in value]
    return value


def _members(hint: Any) -> tuple:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def _contract_in(hint: Any):
    for member in _members(hint):
        if isinstance(member, type) and issubclass(member, Contract):
            return member
    return None


def _list_item(hint: Any):
    for member in _members(hint):
        if typing.get_origin(member) is list:
            return typing.get_args(member)[0]
    return None


# ---- identifiers ------------------------------------------------------------------------------

@dataclass
class IcpFiling(Contract):
    """ICP 备案号 (《非经营性互联网信息服务备案管理办法》)."""
    number: str                                  # normalised: half-width, no spaces
    valid_format: bool                           # matches the format and is not a placeholder
    placeholder: bool                            # 12345678 / XXXXXXXX / 00000000 style
    source_url: str | None
    in_footer: bool | None                       # in the start page's footer
    raw: str                                     # as printed: "京 ICP 备 １２３４５６７８ 号"
    hidden: bool = False                         # in text a visitor cannot see
    linked_to_miit: bool = False                 # linked to beian.miit.gov.cn
    others: list[str] = field(default_factory=list)


@dataclass
class LicenceRef(Contract):
    number: str
    kind: str


@dataclass
class Licence(Contract):
    """ICP 经营许可证 / B2 / 网络文化经营许可证 (the strongest one found)."""
    number: str
    kind: str                                    # icp_license | b2 | network_culture
    source_url: str | None
    raw: str
    others: list[LicenceRef] = field(default_factory=list)


@dataclass
class PsbFiling(Contract):
    """公安联网备案号."""
    number: str
    region_code: str | None
    consistent: bool | None                      # region code and province agree
    source_url: str | None
    in_footer: bool
    raw: str
    province: str | None
    valid_format: bool
    placeholder: bool


@dataclass
class Business(Contract):
    """The operator: 统一社会信用代码 and company name."""
    uscc: str | None
    uscc_valid: bool | None
    company_name: str | None
    source_url: str | None
    name_source_url: str | None = None
    license_link: str | None = None              # a link labelled 营业执照 / 资质


# ---- terms ------------------------------------------------------------------------------------

@dataclass
class Clause(Contract):
    kind: str                                    # DESIGN.md clause kinds
    text: str                                    # the verbatim sentence
    source_url: str | None
    fee_percent: int | float | None = maybe()    # refund_activated_fee
    channel: str = maybe()                       # refund_channel: original | balance | manual


@dataclass
class Agreement(Contract):
    """The purchase terms: a document (``source`` says how it was found) or, with
    ``source == "scattered"``, rules spread over ordinary pages."""
    url: str | None
    title: str | None
    reachable_from_home: bool                    # linked from the start page (or its footer / nav)
    pages: list[str]                             # every page that contributed clauses
    clauses: list[Clause]
    source: str
    fetched: bool
    depth: int | None = maybe()                  # clicks from the start page (documents only)

    @classmethod
    def scattered(cls, pages: list[str], clauses: list[Clause]) -> "Agreement":
        return cls(url=None, title=None, reachable_from_home=False, pages=pages, clauses=clauses,
                   source="scattered", fetched=True)


# ---- the refund entry -----------------------------------------------------------------------

@dataclass
class RefundEntry(Contract):
    """Where a buyer applies for a refund / after-sales, and in how many clicks.  Built only
    through the constructors below."""
    found: bool = False
    steps: list[str] = field(default_factory=list)
    clicks: int | None = None
    url: str | None = None
    requires_login: bool | None = None
    screenshot: str | None = None                # relative path of the evidence PNG
    in_overflow_menu: bool = False               # the control sat inside a 更多/… menu
    evaluated: bool = False                      # False: could not look (login wall, no browser)
    method: str = "static"                       # static | browser
    reason: str = ""
    page_url: str | None = maybe()               # the page the control is on (found only)
    verified: bool = maybe()                     # static: the link's target page was read
    order_query: bool = maybe()                  # reached through the public order query

    METHODS: ClassVar[tuple[str, ...]] = ("static", "browser")

    @classmethod
    def located(cls, steps: list[str], url: str | None, *, method: str, page_url: str | None,
                requires_login: bool, in_overflow_menu: bool, reason: str = "",
                screenshot: str | None = None, verified: bool = ABSENT) -> "RefundEntry":
        return cls(found=True, steps=list(steps), clicks=len(steps), url=url,
                   requires_login=requires_login, screenshot=screenshot,
                   in_overflow_menu=in_overflow_menu, evaluated=True, method=method, reason=reason,
                   page_url=page_url, verified=verified)

    @classmethod
    def not_found(cls, reason: str, *, method: str, requires_login: bool | None = False) -> "RefundEntry":
        """Looked everywhere a buyer could, and there is none."""
        return cls(requires_login=requires_login, evaluated=True, method=method, reason=reason)

    @classmethod
    def not_evaluated(cls, reason: str, *, method: str,
                      requires_login: bool | None = None) -> "RefundEntry":
        """Could not look (behind a login, no browser, the search broke off): no verdict."""
        return cls(requires_login=requires_login, evaluated=False, method=method, reason=reason)


# ---- contacts and signals -------------------------------------------------------------------

@dataclass
class ContactDetails(Contract):
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    qq: list[str] = field(default_factory=list)
    wechat: list[str] = field(default_factory=list)
    address: str | None = None
    qq_groups: list[str] = field(default_factory=list)
    telegram: list[str] = field(default_factory=list)
    sources: dict[str, str | None] = field(default_factory=dict)   # "kind:value" -> page first seen


@dataclass
class SignalHit(Contract):
    """One fingerprint (fly-by-night template, evasive payment, anti-blocking) with its evidence."""
    id: str
    label: str = maybe()                         # platform / gateway name
    kind: str = maybe()                          # gateway kind
    url: str | None = None
    snippet: str = ""
    in_markup: bool = False                      # seen in markup, not visible text
    system: str = maybe()                        # platform: the system's id
    agent: str = maybe()                         # ua_probe: the in-app browser (qq / wechat)


@dataclass
class Signals(Contract):
    platform: list[SignalHit] = field(default_factory=list)
    template: list[SignalHit] = field(default_factory=list)
    payment: list[SignalHit] = field(default_factory=list)
    gateways: list[SignalHit] = field(default_factory=list)
    anti_blocking: list[SignalHit] = field(default_factory=list)


# ---- the site -----------------------------------------------------------------------------

@dataclass
class PlatformEvidence(Contract):
    url: str | None = None
    snippet: str | None = None


@dataclass
class Platform(Contract):
    """The open-source shop system the site runs on (a neutral fact)."""
    system: str
    label: str
    evidence: PlatformEvidence
    others: list[str] = field(default_factory=list)


@dataclass
class UaProbe(Contract):
    """The start page as the QQ / WeChat in-app browser was served it (防红)."""
    agent: str
    status: int
    final_url: str | None
    differs: bool
    error: str | None


@dataclass
class LoginObservation(Contract):
    """The browser's login (or saved session) and how it went."""
    attempted: bool = False
    ok: bool | None = None
    method: str | None = None                    # form | json | storage_state
    reason: str = ""
    url: str = maybe()                           # the page right after login
    login_url: str = maybe()

    @classmethod
    def from_result(cls, result) -> "LoginObservation":
        """From ``browser.login.LoginResult`` (unknown URLs are left out)."""
        return cls(attempted=result.attempted, ok=result.ok, method=result.method, reason=result.reason or "",
                   url=result.url if result.url is not None else ABSENT,
                   login_url=result.login_url if result.login_url is not None else ABSENT)


@dataclass
class Site(Contract):
    start_url: str | None
    final_url: str | None
    https: bool
    host: str | None
    pages_fetched: int
    pages_failed: int
    login_required: bool
    needs_browser: bool                          # the start page looked like an app shell
    gather_errors: list[str] = field(default_factory=list)
    platform: Platform | None = None
    ua_probe: list[UaProbe] = field(default_factory=list)
    login: LoginObservation = maybe()            # only after a browser stage


@dataclass
class RegistryRecord(Contract):
    """One filing record of an ``--icp-registry`` export (auditor/icp_registry.py)."""
    number: str                                  # 网站备案号 / 许可证号, normalised
    holder: str                                  # 主办单位名称
    holder_type: str                             # 主办单位性质: 企业, 个人, 事业单位 …
    site_name: str                               # 网站名称
    domains: list[str]                           # 网站域名, as filed
    approved: str | None                         # 审核日期
    line: int                                    # the record's line / row in the file


@dataclass
class RegistryLookup(Contract):
    """The filing records on file for the site's registered domain (``--icp-registry``)."""
    source: str                                  # the export's file name (no directory)
    records_in_file: int
    domain: str                                  # registered domain looked up
    records: list[RegistryRecord]                # empty: no record for this domain
    number_records: list[RegistryRecord] = field(default_factory=list)   # filed under the shown number


@dataclass
class Findings(Contract):
    """report.json's ``findings``."""
    icp: IcpFiling | None
    icp_license: Licence | None
    psb_filing: PsbFiling | None
    business: Business | None
    agreement: Agreement | None
    refund_entry: RefundEntry
    contacts: ContactDetails
    signals: Signals
    site: Site
    icp_registry: RegistryLookup | None = None   # None: no --icp-registry given

    # DESIGN.md's keys: always present in report.json (null = looked, not found)
    DESIGN_KEYS: ClassVar[tuple[str, ...]] = ("icp", "icp_license", "psb_filing", "business", "agreement",
                                              "refund_entry", "contacts")


# ---- the browser stage --------------------------------------------------------------------

@dataclass
class BrowserObservations(Contract):
    """What the browser stage saw (``artifacts.meta.browser``).  It records; extraction
    merges its refund entry and login into the findings."""
    refund_entry: RefundEntry | None = None      # None: the search left the page-based result
    login: LoginObservation = field(default_factory=lambda: LoginObservation(reason="no credentials given"))
    evidence: list[dict] = field(default_factory=list)       # EvidenceWriter items
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages_rendered: int = 0
    blocked_requests: dict[str, int] = field(default_factory=dict)
    dialogs: list[dict] = field(default_factory=list)
    clicks_explored: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    reach: dict | None = None                    # script-built links followed (ReachResult)
    seconds: float = 0.0
    network: dict = maybe()                      # refusals and TLS status (ShopSession.network_report)
    search_seconds: float = maybe()              # login + search, for the benchmark
    warc: dict = maybe()                         # what went into the scan's WARC (auditor/evidence/browser.py)
    # working state of a run
    render_facts: dict | None = internal(None)
    browser_dead: bool = internal(False)

    def set_refund_entry_unless_evaluated(self, entry: RefundEntry) -> None:
        """A failure replaces any entry that is not an evaluated result."""
        if self.refund_entry is None or self.refund_entry.evaluated is not True:
            self.refund_entry = entry


def contract_classes() -> list[type]:
    """Every contract dataclass (for the schema test)."""
    return [c for c in globals().values()
            if isinstance(c, type) and issubclass(c, Contract) and c is not Contract and is_dataclass(c)]
