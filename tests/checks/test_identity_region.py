"""identity.region_consistent: ICP, 公安备案 and USCC provinces cross-checked."""
from cardshop_auditor.checks import identity_region_consistent as region
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.judge import run_one
from cardshop_auditor.profile import weight_of


def _ids(make_findings, icp=None, psb=None, psb_region=None, uscc=None, uscc_valid=True):
    f = make_findings()
    f["icp"] = {"number": icp, "valid_format": True, "placeholder": False, "source_url": "http://s/"} if icp else None
    f["psb_filing"] = ({"number": psb, "region_code": psb_region, "consistent": True, "source_url": "http://s/"}
                       if psb else None)
    f["business"] = {"uscc": uscc, "uscc_valid": uscc_valid, "company_name": None, "source_url": "http://s/about"} \
        if uscc else None
    return f


def test_same_province_passes(make_findings):
    f = _ids(make_findings, icp="粤ICP备2021045678号-1", psb="粤公网安备44030502008821号", psb_region="440305",
             uscc="91440300708461136T")
    result = run_one(region.CHECK, f)
    assert result.status == PASS and len(result.evidence) == 3


def test_psb_from_another_province_fails_with_every_number_as_evidence(make_findings):
    f = _ids(make_findings, icp="浙ICP备2022036184号-2", psb="苏公网安备32050602011234号", psb_region="320506",
             uscc="91440300708461136T")
    result = run_one(region.CHECK, f)
    assert result.status == FAIL
    assert {e.snippet.split(":")[0] for e in result.evidence} == {"ICP", "公安备案", "USCC"}
    assert "江苏" in result.reason and "浙江" in result.reason and "广东" in result.reason


def test_an_internally_inconsistent_psb_is_left_to_psb_consistent(make_findings):
    # 豫 prefix over a 42 (湖北) district code: psb.consistent reports it; the 豫 prefix agrees here
    f = _ids(make_findings, icp="豫ICP备2021012345号-1", psb="豫公网安备42010602000123号", psb_region="420106")
    assert run_one(region.CHECK, f).status == PASS


def test_aliases_are_one_province(make_findings):
    f = _ids(make_findings, icp="蜀ICP备2025143639号", psb="川公网安备51010402001234号", psb_region="510104")
    assert run_one(region.CHECK, f).status == PASS


def test_fewer_than_two_numbers_or_an_invalid_uscc_is_not_applicable(make_findings):
    assert run_one(region.CHECK, _ids(make_findings, icp="京ICP备16059763号-1")).status == NOT_APPLICABLE
    f = _ids(make_findings, icp="京ICP备16059763号-1", uscc="91440300708461136A", uscc_valid=False)
    assert run_one(region.CHECK, f).status == NOT_APPLICABLE


def test_is_a_low_severity_review_signal():
    assert region.CHECK.severity == "low" and weight_of(region.CHECK.id) == 0
    assert region.CHECK.flag.id == "identity_region_mismatch"
