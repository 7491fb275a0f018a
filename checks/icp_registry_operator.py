"""icp.registry_operator: the operator the site names is the 主办单位 on record for its domain."""
from __future__ import annotations

from cardshop_auditor.checks._common import ECOMMERCE, INTERNET_INFO, art, not_applicable, say
from cardshop_auditor.checks._registry import PERSONAL_TYPES, record_evidence
from cardshop_auditor.checks.base import Flag, FAIL, PASS, Check, Result, ev

TITLE = {"zh": "网站所示经营者与备案主办单位一致", "en": "The operator shown is the holder on record"}
FAILURE_TITLE = {"zh": "网站所示经营者与备案主办单位不一致", "en": "The operator shown is not the holder on record"}
DESCRIPTION = {
    "zh": "《电子商务法》第十五条、第十七条要求经营者如实公示营业执照信息；《互联网信息服务管理办法》第八条："
          "备案登记的是网站的主办单位。网站上写的公司与 --icp-registry 文件中该域名的主办单位不同，"
          "买家投诉时不知道该找谁：可能是借用别人的备案，也可能网站已转手而备案未变更。"
          "个人备案不在此比对。",
    "en": "E-Commerce Law arts. 15 and 17: an operator shows its business licence truthfully; Internet "
          "Information Services Measures art. 8: a filing names the site's holder. When the company on the "
          "site differs from the holder the --icp-registry file records for the domain, a buyer does not "
          "know whom to complain to: a borrowed filing, or a site sold on without updating it. Personal "
          "filings are not compared here .",
}
REASONS = {
    "ok": {"zh": "网站所示 {name} 即备案主办单位", "en": "{name} on the site is the holder on record"},
    "other": {"zh": "网站所示 {name}，备案主办单位为 {holders}", "en": "the site names {name}; the holder on record is {holders}"},
    "no_name": {"zh": "网站未写明经营者名称", "en": "the site names no operator "},
    "personal": {"zh": "该域名为个人备案", "en": "the domain has a personal filing "},
}
FLAG = Flag(
    "icp_operator_mismatch", severity="medium",
    name={"zh": "经营者与备案主办单位不符", "en": "Operator differs from the filing holder"},
    advice={"zh": "网站写的公司与备案主办单位不同：投诉前先到 beian.miit.gov.cn 核对主办单位，并保存网页截图。",
            "en": "The company on the site is not the filing holder: check the holder at beian.miit.gov.cn before complaining and keep screenshots."},
)

REQUIRES = ("icp_registry", "business")


def _evaluate(findings: dict) -> Result:
    from cardshop_auditor.icp_registry import normalise_name
    business = findings["business"] or {}
    name = business.get("company_name")
    if not name:
        return not_applicable(REASONS["no_name"])
    records = [r for r in findings["icp_registry"]["records"] if r.get("holder_type") not in PERSONAL_TYPES]
    if not records:
        return not_applicable(REASONS["personal"])
    shown = ev(business.get("name_source_url") or business.get("source_url"), name)
    if any(normalise_name(name) == normalise_name(r.get("holder")) for r in records):
        return Result(PASS, [shown], reason=say(REASONS["ok"], name=name))
    holders = "、".join(sorted({r.get("holder") or "?" for r in records}))
    return Result(FAIL, [shown] + record_evidence(findings, records),
                  reason=say(REASONS["other"], name=name, holders=holders))


CHECK = Check(
    id="icp.registry_operator",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "十五"), art(ECOMMERCE, "十七"), art(INTERNET_INFO, "八")),
    requires=REQUIRES, depends_on=("icp.registry_record",), evaluate=_evaluate,
    flag=FLAG,
)
