"""icp.registry_number: the ICP number the site shows is the one on record for its domain."""
from __future__ import annotations

from cardshop_auditor.checks._common import INTERNET_INFO, art, not_applicable, say
from cardshop_auditor.checks._registry import record_evidence
from cardshop_auditor.checks.base import Flag, FAIL, PASS, Check, Result, ev

TITLE = {"zh": "所示备案号与该域名的备案记录一致", "en": "The number shown is the domain's number on record"}
FAILURE_TITLE = {"zh": "所示备案号不是该域名的备案号", "en": "The number shown is not the domain's number on record"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第十二条要求网站标明其（自己的）经营许可证编号或备案编号。"
          "网站显示的备案号与 --icp-registry 文件中该域名的记录不符，常见于套用、冒用别人的备案号："
          "买家据此查到的主办者并不是这个网站的经营者。广东等地只显示主体备案号（不带 -序号），同一主体的号码视为一致。",
    "en": "Internet Information Services Measures art. 12: a site shows its own licence or filing number. "
          "A number that is not the one the --icp-registry file holds for this domain is typically "
          "borrowed from another site: a buyer who looks it up finds someone who does not run this shop. "
          "Sites that show the holder's number without the -N site suffix (as in Guangdong) match their holder's records.",
}
REASONS = {
    "ok": {"zh": "网站显示 {shown}，与备案记录 {record} 一致", "en": "the site shows {shown}, as on record ({record})"},
    "other": {"zh": "网站显示 {shown}，该域名的备案号是 {record}", "en": "the site shows {shown}; the domain's number on record is {record}"},
    "no_number": {"zh": "网站未显示备案号", "en": "the site shows no ICP number "},
}
FLAG = Flag(
    "icp_number_not_on_record", severity="medium",
    name={"zh": "备案号不是本域名的", "en": "ICP number not this domain's"},
    advice={"zh": "网站显示的备案号与该域名的备案记录不符，可能套用了别人的备案号；出了问题很难找到真正的经营者，不要大额充值。",
            "en": "The number the site shows is not its domain's number on record and may be borrowed; the real operator is hard to trace — avoid large top-ups."},
)

REQUIRES = ("icp_registry", "icp")


def _same(shown: str, recorded: str) -> bool:
    from cardshop_auditor.icp_registry import normalise_number, subject_number
    shown, recorded = normalise_number(shown), normalise_number(recorded)
    if shown == recorded:
        return True
    return "-" not in shown.rsplit("号", 1)[-1] and shown == subject_number(recorded)


def _evaluate(findings: dict) -> Result:
    icp = findings["icp"]
    if not icp or not icp.get("number"):
        return not_applicable(REASONS["no_number"])
    lookup, shown = findings["icp_registry"], icp["number"]
    records = lookup["records"]
    numbers = "、".join(sorted({r["number"] for r in records}))
    shown_ev = ev(icp.get("source_url"), icp.get("raw") or shown)
    if any(_same(shown, r["number"]) for r in records):
        return Result(PASS, [shown_ev], reason=say(REASONS["ok"], shown=shown, record=numbers))
    evidence = [shown_ev] + record_evidence(findings, records, limit=2)
    others = [r for r in lookup.get("number_records") or [] if r not in records]
    if others:
        evidence += record_evidence(findings, others, limit=1)
    return Result(FAIL, evidence, reason=say(REASONS["other"], shown=shown, record=numbers))


CHECK = Check(
    id="icp.registry_number",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "十二"),),
    requires=REQUIRES, depends_on=("icp.registry_record",), evaluate=_evaluate,
    flag=FLAG,
)
