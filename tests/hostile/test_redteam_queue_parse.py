"""Red-team queue messages at the parser (no Redis needed): JSON that json.loads accepts
but no bound or file can hold, and ids that look like safe names only after Unicode
normalisation or case folding.  The end-to-end twin is tests/scale/test_redteam_queue.py."""
from __future__ import annotations

import pytest

from cardshop_auditor.queue_tasks import TaskRejected, contained_dir, parse_batch_options, parse_task, split_task_id

URL = "http://shop.example.cn/"


@pytest.mark.parametrize("raw", [
    '{"shop_time_budget": NaN}',                 # NaN passes minimum and maximum alike
    '{"timeout": Infinity}',
    '{"browser_time_budget": -Infinity}',
    '{"retry_after_max": 1e999}',                # float("1e999") is inf
    '{"user_agent": "cardshop \\ud800"}',        # a lone surrogate: fails every later write
])
def test_batch_options_that_no_bound_or_file_can_hold_are_refused(raw):
    with pytest.raises(TaskRejected) as info:
        parse_batch_options(raw)
    assert "NaN" in str(info.value) or "Unicode" in str(info.value)
    assert "ud800" not in str(info.value)


@pytest.mark.parametrize("payload", [
    '{"url": "%s", "label": "\\udc80"}' % URL,
    '{"url": "%s?q=\\ud83d"}' % URL,
    '{"url": "%s", "credential_ref": {"auth": true, "username": "\\udfff"}}' % URL,
])
def test_task_payload_with_a_lone_surrogate_is_refused(payload):
    with pytest.raises(TaskRejected, match="not valid Unicode"):
        parse_task("b1:s1", payload)


def test_ordinary_numbers_and_text_still_pass():
    options, notes = parse_batch_options('{"timeout": 2.5, "shop_time_budget": 60, "user_agent": "审计 🔍"}')
    assert options == {"timeout": 2.5, "shop_time_budget": 60, "user_agent": "审计 🔍"} and notes == []
    assert parse_task("b1:s1", '{"url": "%s", "label": "晨曦卡铺 😀"}' % URL).label == "晨曦卡铺 😀"


def test_deep_nesting_within_the_size_limit_is_a_reason_not_a_crash():
    with pytest.raises(TaskRejected):
        parse_task("b1:s1", "[" * 16000 + "]" * 16000)


@pytest.mark.parametrize("task", [
    "b1:\uff0e\uff0e",                 # fullwidth full stops: ".." after NFKC
    "b1:\u2024\u2024",                 # one-dot leaders
    "b1:s\u0130",                      # İ lower-cases to i + combining dot
    "b1:\u212aelvin",                  # Kelvin sign: "Kelvin" after NFKC / case folding
    "\uff42\uff11:s1",                 # fullwidth "b1"
    "b1:s1\n",                         # a newline after a valid id
    "b1:s1\x00x",
])
def test_ids_that_are_safe_only_after_normalisation_are_refused(task, tmp_path):
    with pytest.raises(TaskRejected):
        split_task_id(task)
    with pytest.raises(TaskRejected):
        contained_dir(tmp_path, *task.split(":", 1))


def test_a_one_column_csv_header_is_not_a_shop():
    """`url` alone on the first line (a one-column CSV export) was audited as http://url/ —
    and put on the queue as a task of its own."""
    from cardshop_auditor.batch import parse_targets
    assert [s.url for s in parse_targets("URL\nhttp://a.example.cn/\nb.example.cn\n")] == \
        ["http://a.example.cn/", "http://b.example.cn/"]
