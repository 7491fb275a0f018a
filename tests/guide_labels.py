"""The refund guide (auditor/guide.py) compared with a fixture shop's hand-written labels.json:
what the guide tells the buyer must be what a careful reader of the shop finds."""
from __future__ import annotations

from cardshop_auditor.guide import build_guide

# the buyer's situation -> (the clause kind that settles it, the guide's status when present)
SITUATION_KINDS = {"not_extracted": ("refund_unactivated", "refundable"),
                   "extracted_unused": ("refund_activated_fee", "fee"),
                   "invalid_key": ("platform_fault", "remedy"),
                   "used": ("no_refund_used", "not_refundable")}
CONTACT_KINDS = ("phones", "emails", "qq", "wechat")


def guide_mismatches(report: dict, labels: dict) -> list[str]:
    """Every way the guide disagrees with the labels (empty: it is right for this shop)."""
    guide = build_guide(report, "zh")
    problems: list[str] = []

    def expect(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    expect(guide["available"], "guide not available")
    if not guide["available"]:
        return problems
    kinds = set(labels["clause_kinds"])
    flags = set(labels["flags"])
    entry, where = labels["refund_entry"], guide["where"]
    if entry["found"]:
        expect(where["kind"] == "entry", f"where: {where['kind']}, labels: entry found")
        expect(where.get("clicks") == entry["clicks"], f"clicks {where.get('clicks')} != {entry['clicks']}")
        expect(len(where.get("steps") or []) == entry["clicks"], "one step per click")
        expect(where.get("in_overflow") == bool(entry.get("in_overflow_menu")), "overflow menu")
    else:
        want = "login" if entry.get("requires_login") else "no_entry"
        expect(where["kind"] == want, f"where: {where['kind']}, labels: {want}")
        shown = {(c["kind"], c["value"]) for c in where["contacts"]}
        for kind in CONTACT_KINDS:
            for value in labels["contacts"].get(kind) or []:
                expect((kind, value) in shown, f"contact {kind} {value} not offered")
    by_name = {s["situation"]: s for s in guide["situations"]}
    for name, (kind, status) in SITUATION_KINDS.items():
        got = by_name[name]["status"]
        if kind in kinds:
            expect(got == status, f"{name}: {got}, labels have {kind}")
        elif name != "invalid_key" and "blanket_no_refund" in kinds and name != "extracted_unused":
            expect(got == "refuses", f"{name}: {got}, labels have blanket_no_refund")
        else:
            expect(got in ("unstated", "refuses", "not_refundable"), f"{name}: {got}, labels have no {kind}")
        expect(bool(by_name[name]["quotes"]["items"]) == (got != "unstated"), f"{name}: quotes iff stated")
    money = guide["money"]
    expect(money["fee_percent"] == labels.get("fee_percent"), f"fee {money['fee_percent']} != {labels.get('fee_percent')}")
    expect(money["stated"]["time"] == ("refund_timeline" in kinds), "time stated iff refund_timeline")
    expect(money["stated"]["channel"] == ("refund_channel" in kinds), "channel stated iff refund_channel")
    expect(guide["prepare"]["stated"] == bool(kinds & {"evidence_required", "supplement_deadline"}),
           "shop's demands iff evidence_required / supplement_deadline")
    refused = guide["refused"]
    expect(refused["shop_route_stated"] == ("complaint_channel" in kinds), "complaint route iff complaint_channel")
    void = {v["kind"] for v in refused["void_terms"]}
    expect(("blanket" in void) == ("blanket_no_refund" in flags), f"void blanket term: {sorted(void)}")
    expect(("final_interpretation" in void) == ("final_interpretation_claim" in flags), f"void 最终解释权: {sorted(void)}")
    expect(bool(refused["personal_payment"]) == ("personal_payment" in flags), "personal payment warning")
    expect((refused["operator"] or {}).get("name") == labels["company_name"], "operator named for 12315")
    return problems
