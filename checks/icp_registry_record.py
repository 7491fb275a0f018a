"""icp.registry_record: the site's domain has a filing record in the local registry file."""
from __future__ import annotations

from cardshop_auditor.checks._common import INTERNET_INFO, art, say
from cardshop_auditor.checks._registry import record_evidence, registry_gate, site_evidence
from cardshop_auditor.checks.base import Flag, FAIL, PASS, Check, Result

TITLE = {"zh": "域名在备案记录中有记录", "en": "The domain has a filing record"}
FAILURE_TITLE = {"zh": "域名在备案记录中查无记录", "en": "The domain has no filing record"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第四条：经营性互联网信息服务实行许可制度，非经营性实行备案制度；"
          "第八条：备案时须提交主办单位和网站负责人的基本情况、网站网址。本项按可注册域名在 --icp-registry "
          "给出的备案系统导出文件中查找记录；查无记录说明网站未备案，或所示备案号属于别的网站。"
          "结论以所给文件为准：文件只含某一地区或某一时期的记录时，请对照工信部备案系统核实。",
    "en": "Internet Information Services Measures art. 4: commercial services need a licence, "
          "non-commercial ones a filing; art. 8: a filing names the holder, the person in charge and "
          "the site's address. This check looks the site's registered domain up in the filing-system "
          "export given with --icp-registry; no record means the site is not filed, or the number it "
          "shows belongs to another site. The file given is the reference: when it covers only one "
          "region or period, confirm at beian.miit.gov.cn.",
}
REASONS = {
    "found": {"zh": "{domain} 有 {n} 条备案记录", "en": "{domain} has {n} filing record(s)"},
    "none": {"zh": "{domain} 在 {source}（{total} 条记录）中查无备案", "en": "{domain}: no record among the {total} in {source}"},
}
FLAG = Flag(
    "icp_not_on_record", severity="medium",
    name={"zh": "域名无备案记录", "en": "Domain not on record"},
    advice={"zh": "所给备案记录中查不到这个域名：网站可能未备案，或显示的备案号属于别的网站。到 beian.miit.gov.cn 用域名查询核实。",
            "en": "The filing records given hold nothing for this domain: the site may be unfiled, or its number may belong to another site. Search the domain at beian.miit.gov.cn."},
)

REQUIRES = ("icp_registry",)
# what the checks that compare with the records lack when this one found none
ABSENT = {"zh": "没有可比对的备案记录（未提供 --icp-registry，或该域名无记录）",
          "en": "no filing record to compare with (no --icp-registry, or none for the domain)"}


def _evaluate(findings: dict) -> Result:
    if blocked := registry_gate(findings):
        return blocked
    lookup = findings["icp_registry"]
    records = lookup.get("records") or []
    if records:
        return Result(PASS, record_evidence(findings, records),
                      reason=say(REASONS["found"], domain=lookup["domain"], n=len(records)))
    values = {"domain": lookup.get("domain") or "?", "source": lookup.get("source") or "?",
              "total": lookup.get("records_in_file") or 0}
    return Result(FAIL, [site_evidence(findings, REASONS["none"], **values)], reason=say(REASONS["none"], **values))


CHECK = Check(
    id="icp.registry_record",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "四"), art(INTERNET_INFO, "八")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
