"""The typed contracts (cardshop_auditor.contracts) and report.schema.json describe the same
findings: every dataclass field is a schema property and every property a field, with the
same JSON types; and to_json / from_json round-trip report.json's findings."""
from __future__ import annotations

import json
import types
import typing
from dataclasses import fields
from importlib import resources

import pytest

from cardshop_auditor import contracts
from cardshop_auditor.contracts import (ABSENT, Contract, Findings, RefundEntry, SignalHit)

PY_TO_JSON = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null",
              list: "array", dict: "object"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("cardshop_auditor.schema").joinpath("report.schema.json").read_text("utf-8"))


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _alternatives(schema: dict, node: dict) -> list[dict]:
    node = _resolve(schema, node)
    alts = node.get("oneOf") or node.get("anyOf")
    if alts:
        return [a for alt in alts for a in _alternatives(schema, alt)]
    return [node]


def schema_types(schema: dict, node: dict) -> set[str]:
    found: set[str] = set()
    for alt in _alternatives(schema, node):
        if "type" in alt:
            kinds = alt["type"]
            found.update([kinds] if isinstance(kinds, str) else kinds)
        elif "enum" in alt:
            found.update(PY_TO_JSON[type(v)] for v in alt["enum"])
        elif "const" in alt:
            found.add(PY_TO_JSON[type(alt["const"])])
    return _numbers(found)


def _numbers(kinds: set[str]) -> set[str]:
    # JSON Schema's "number" includes integers
    return (kinds - {"integer"}) if "number" in kinds else kinds


def _members(hint) -> tuple:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def hint_types(hint) -> set[str]:
    found = set()
    for member in _members(hint):
        origin = typing.get_origin(member) or member
        if isinstance(origin, type) and issubclass(origin, Contract):
            found.add("object")
        else:
            found.add(PY_TO_JSON[origin])
    return _numbers(found)


def _object_of(schema: dict, node: dict) -> dict:
    objects = [a for a in _alternatives(schema, node) if "properties" in a]
    assert len(objects) == 1, node
    return objects[0]


def _check(schema: dict, cls: type, node: dict, path: str, seen: list[str]) -> None:
    seen.append(cls.__name__)
    obj = _object_of(schema, node)
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls) if not f.metadata.get("internal")]
    assert set(names) == set(obj["properties"]), \
        f"{path} ({cls.__name__}): only in the dataclass {sorted(set(names) - set(obj['properties']))}, " \
        f"only in the schema {sorted(set(obj['properties']) - set(names))}"
    for name in names:
        hint, prop = hints[name], obj["properties"][name]
        assert hint_types(hint) == schema_types(schema, prop), f"{path}.{name}: {hint} vs {prop}"
        for member in _members(hint):
            origin = typing.get_origin(member)
            if isinstance(member, type) and issubclass(member, Contract):
                _check(schema, member, prop, f"{path}.{name}", seen)
            elif origin is list:
                item = typing.get_args(member)[0]
                if isinstance(item, type) and issubclass(item, Contract):
                    array = next(a for a in _alternatives(schema, prop) if a.get("type") == "array")
                    _check(schema, item, array["items"], f"{path}.{name}[]", seen)
    required = set(obj.get("required", ()))
    assert required <= set(names), f"{path}: required but not a field: {required - set(names)}"


def test_schema_and_dataclasses_agree(schema):
    seen: list[str] = []
    _check(schema, Findings, schema["properties"]["findings"], "findings", seen)
    # every contract of report.json was compared (the browser's observations live in meta.json)
    report_contracts = {c.__name__ for c in contracts.contract_classes()} - {"BrowserObservations"}
    assert report_contracts <= set(seen), report_contracts - set(seen)
    assert set(schema["$defs"]["findings"]["required"]) == set(Findings.DESIGN_KEYS)


def test_refund_entry_constructors_share_one_shape():
    keys = {"found", "steps", "clicks", "url", "requires_login", "screenshot", "in_overflow_menu",
            "evaluated", "method", "reason"}
    unknown = RefundEntry.not_evaluated("behind a login", method="browser", requires_login=True).to_json()
    none = RefundEntry.not_found("no control", method="static").to_json()
    found = RefundEntry.located(["个人中心", "我的订单", "申请售后"], "https://shop.example.cn/after",
                                method="static", page_url="https://shop.example.cn/user",
                                requires_login=False, in_overflow_menu=True, verified=True).to_json()
    assert set(unknown) == set(none) == keys
    assert set(found) == keys | {"page_url", "verified"}
    assert (unknown["evaluated"], unknown["found"], unknown["requires_login"]) == (False, False, True)
    assert (none["evaluated"], none["found"], none["requires_login"]) == (True, False, False)
    assert found["clicks"] == 3 and found["found"] and found["in_overflow_menu"]


def test_absent_keys_round_trip():
    hit = SignalHit(id="fanghong", url="http://127.0.0.1/", snippet="防红", in_markup=False, agent="qq")
    data = hit.to_json()
    assert "label" not in data and data["agent"] == "qq"
    assert SignalHit.from_json(data) == hit
    assert SignalHit.from_json(data).label is ABSENT


SHOP = "http://127.0.0.1:8000"
HOME_HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>星河卡铺 - 自动发卡</title>"
    "<meta name='generator' content='dujiaoka'></head><body>"
    "<nav><a href='/'>首页</a><a href='/notice'>购买须知</a><a href='/orders'>订单查询</a></nav>"
    "<div class='goods'><h3>游戏点卡 100 元</h3><p>支付方式：码支付 / 微信扫码</p></div>"
    "<footer><p>杭州星河数娱科技有限公司 统一社会信用代码：91330110MA2J7X3PX1</p>"
    "<p><a href='https://beian.miit.gov.cn/'>浙ICP备2021012345号-1</a> 浙公网安备 33011002000001号</p>"
    "<p>客服QQ：800012345 邮箱：kf@xinghe.cn</p></footer></body></html>")
NOTICE_HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>购买须知</title></head><body>"
    "<h1>购买须知</h1><p>已提取但未使用的卡密，可扣除 10% 手续费后退款。</p>"
    "<p>退款将原路退回至您的原支付方式。</p><p>本站保留最终解释权。</p></body></html>")


def _shop_artifacts(browser: dict | None = None):
    from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta

    pages = [Page(url=SHOP + "/", final_url=SHOP + "/", status=200, html=HOME_HTML, depth=0),
             Page(url=SHOP + "/notice", final_url=SHOP + "/notice", status=200, html=NOTICE_HTML, depth=1,
                  link_text="购买须知")]
    return ShopArtifacts(meta=ShopMeta(target=SHOP + "/", final_url=SHOP + "/", errors=[], browser=browser),
                         pages=pages)


def test_extracted_findings_round_trip():
    from cardshop_auditor.extract import extract_findings

    findings = extract_findings(_shop_artifacts())
    assert findings["icp"]["number"] == "浙ICP备2021012345号-1"
    assert any(c["kind"] == "refund_activated_fee" for c in findings["agreement"]["clauses"])
    assert Findings.from_json(findings).to_json() == findings
    assert json.loads(json.dumps(findings)) == findings


def test_browser_observations_are_merged_by_extraction():
    """The browser's refund entry and login enter the findings in extraction, not afterwards."""
    from cardshop_auditor.contracts import BrowserObservations, LoginObservation
    from cardshop_auditor.extract import extract_findings

    seen = BrowserObservations(
        refund_entry=RefundEntry.not_evaluated("the refund entry is behind a login", method="browser",
                                               requires_login=True),
        login=LoginObservation(reason="no credentials given"))
    findings = extract_findings(_shop_artifacts(browser=seen.to_json()))
    assert findings["refund_entry"] == seen.refund_entry.to_json()
    assert findings["site"]["login"] == {"attempted": False, "ok": None, "method": None,
                                         "reason": "no credentials given"}
    # no refund entry from the browser: the page-based one stands
    plain = extract_findings(_shop_artifacts(browser=BrowserObservations().to_json()))
    assert plain["refund_entry"]["method"] == "static"
