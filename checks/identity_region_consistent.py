"""identity.region_consistent: the ICP filing, the 公安 filing and the credit code point to one province.

An ICP filing is made with the telecom administration of a province (互联网信息服务管理办法
第八条), the 公安 filing with the public security bureau where the operator is located
(计算机信息网络国际联网安全保护管理办法 第十二条), and a USCC carries the registering
district in characters 3-8 (GB 32100-2015).  On a real operator the three provinces
normally agree; a 公安 number of one province beside an ICP number and a credit code of
another is a sign that a number was borrowed.  A review signal only (low severity): a
company may be registered in one province and file its site in another.

The 公安 number counts with either its prefix or its district code: a number whose two
disagree is psb.consistent's business, not a second finding here.
"""
from __future__ import annotations

from cardshop_auditor.checks._common import (INTERNET_INFO, NETWORK_SECURITY, USCC_STANDARD, art,
                                             not_applicable, say)
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "备案号与信用代码的省份一致", "en": "Filings and credit code point to one province"}
FAILURE_TITLE = {"zh": "ICP 备案、公安备案与信用代码的省份不一致",
                 "en": "ICP filing, 公安 filing and credit code name different provinces"}
DESCRIPTION = {
    "zh": "ICP 备案向所在省的通信管理局办理（《互联网信息服务管理办法》第八条），公安联网备案向所在地省级公安机关指定的受理机关办理"
          "（《计算机信息网络国际联网安全保护管理办法》第十二条），统一社会信用代码第 3-8 位是登记机关的行政区划码（GB 32100-2015）。"
          "同一个经营者的这三个号码通常指向同一个省；一个省的公安备案号配另一个省的 ICP 备案号和信用代码，常见于套用他人号码。"
          "企业也可能在外省登记或托管网站，所以这只是供人工复核的提示，风险等级低。",
    "en": "An ICP filing is made with a province's telecom administration (Internet Information Services "
          "Measures, Art. 8), the 公安 filing with the public security bureau where the operator is located "
          "(International Connection Security Measures, Art. 12), and characters 3-8 of a credit code are the "
          "registering district (GB 32100-2015). One operator's three numbers normally point to one province; "
          "a 公安 number from one province beside an ICP number and a credit code from another is typical of "
          "borrowed numbers. A company may legitimately register or host in another province, so this is a "
          "low-severity hint for human review.",
}
REASONS = {
    "few": {"zh": "只有一个可比较的号码，无法交叉核对省份", "en": "fewer than two numbers to compare"},
    "ok": {"zh": "省份一致：{zh}", "en": "one province: {en}"},
    "mismatch": {"zh": "省份不一致：{zh}", "en": "provinces differ: {en}"},
}

# GB/T 2260 province codes and the abbreviations 备案 numbers use (蜀/黔/滇/陇 included)
PROVINCE_OF_PREFIX = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
    "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
    "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51",
    "贵": "52", "黔": "52", "云": "53", "滇": "53", "藏": "54", "陕": "61", "甘": "62", "陇": "62",
    "青": "63", "宁": "64", "新": "65",
}
NAME_OF_CODE = {"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
                "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
                "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
                "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
                "63": "青海", "64": "宁夏", "65": "新疆"}

NAME_EN = {"11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia", "21": "Liaoning",
           "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui",
           "35": "Fujian", "36": "Jiangxi", "37": "Shandong", "41": "Henan", "42": "Hubei", "43": "Hunan",
           "44": "Guangdong", "45": "Guangxi", "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou",
           "53": "Yunnan", "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
           "65": "Xinjiang"}
LABEL_EN = {"ICP": "ICP", "公安备案": "public-security filing", "USCC": "USCC"}

FLAG = Flag(
    "identity_region_mismatch", severity="low",
    name={"zh": "备案号与信用代码的省份不一致", "en": "Filings and credit code name different provinces"},
    advice={
        "zh": "ICP 备案、公安备案和统一社会信用代码指向不同省份，可能是套用别人的号码：到 beian.miit.gov.cn 和 beian.mps.gov.cn 核对备案主体。",
        "en": "The ICP filing, 公安 filing and credit code point to different provinces and may be borrowed: check the filing holder at beian.miit.gov.cn and beian.mps.gov.cn.",
    },
)

REQUIRES = ("icp", "psb_filing", "business")


def _sources(findings: dict) -> list[tuple[str, set[str], str, str | None]]:
    """[(label, province codes, number, source url)] for each number that names a province."""
    out = []
    icp = findings.get("icp") or {}
    number = icp.get("number") or ""
    if number and not icp.get("placeholder") and number[:1] in PROVINCE_OF_PREFIX:
        out.append(("ICP", {PROVINCE_OF_PREFIX[number[0]]}, number, icp.get("source_url")))
    psb = findings.get("psb_filing") or {}
    number = psb.get("number") or ""
    codes = set()
    if number[:1] in PROVINCE_OF_PREFIX:
        codes.add(PROVINCE_OF_PREFIX[number[0]])
    region = (psb.get("region_code") or "")[:2]
    if region in NAME_OF_CODE:
        codes.add(region)
    if codes and not psb.get("placeholder"):
        out.append(("公安备案", codes, number, psb.get("source_url")))
    business = findings.get("business") or {}
    uscc = business.get("uscc") or ""
    if uscc and business.get("uscc_valid") and uscc[2:4] in NAME_OF_CODE:
        out.append(("USCC", {uscc[2:4]}, uscc, business.get("source_url")))
    return out


def _describe(sources) -> dict:
    """The numbers and their provinces, in zh and en (an en report shows no Chinese names)."""
    return {"zh": "；".join(f"{label} {number} → {'/'.join(NAME_OF_CODE[c] for c in sorted(codes))}"
                           for label, codes, number, _url in sources),
            "en": "; ".join(f"{LABEL_EN[label]} → {'/'.join(NAME_EN[c] for c in sorted(codes))}"
                           for label, codes, _number, _url in sources)}


def _evaluate(findings: dict) -> Result:
    sources = _sources(findings)
    if len(sources) < 2:
        return not_applicable(REASONS["few"])
    evidence = [ev(url, f"{label}: {number}") for label, _codes, number, url in sources]
    common = set.intersection(*(codes for _label, codes, _n, _u in sources))
    if common:
        return Result(PASS, evidence, reason=say(REASONS["ok"], **_describe(sources)))
    return Result(FAIL, evidence, reason=say(REASONS["mismatch"], **_describe(sources)))


CHECK = Check(
    id="identity.region_consistent",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "八"), art(NETWORK_SECURITY, "十二"), USCC_STANDARD),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG,
)
