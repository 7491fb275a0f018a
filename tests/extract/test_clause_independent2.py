"""The second independent batch (clause_corpus/independent2.jsonl) and `clause_eval --independent FILE`.

The batch is a blind check of clause recognition on platforms nobody tuning the recogniser
has seen: these tests check its format and provenance and how the option reads a file,
never a target on its scores (a score target would invite tuning on it)."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from cardshop_auditor.extract.clause_corpus import BLIND_SETS, load_corpus, load_independent
from cardshop_auditor.extract.clause_eval import BatchError, load_batch, main, parse_batch
from cardshop_auditor.extract.clauses import KINDS


def _shipped_rows() -> list[dict]:
    text = resources.files("cardshop_auditor.extract.clause_corpus").joinpath("independent2.jsonl").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    rows = [json.loads(line) for line in lines]          # every line parses
    assert len(rows) == len(lines)
    return rows


def test_batch_format_and_provenance():
    rows = _shipped_rows()
    assert len(rows) >= 120
    assert len({r["platform"] for r in rows}) >= 20
    assert len({r["id"] for r in rows}) == len(rows) and len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "independent2"
        assert r["text"].strip() and r["platform"].strip()
        assert r["source_url"].startswith(("http://", "https://"))
        assert set(r["kinds"]) <= set(KINDS) and len(set(r["kinds"])) == len(r["kinds"])
        assert ("fee_percent" in r) <= ("refund_activated_fee" in r["kinds"])
    negatives = sum(1 for r in rows if not r["kinds"])
    assert 0.15 * len(rows) <= negatives <= 0.45 * len(rows)      # real pages carry non-clauses too
    assert sum(1 for r in rows if len(r["kinds"]) > 1) >= 10       # sentences that do two things
    assert parse_batch("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "independent2") == rows


def test_batch_platforms_and_sentences_are_unseen():
    rows = _shipped_rows()
    seen = load_corpus() + load_independent()
    assert not {r["platform"] for r in rows} & {r["platform"] for r in seen}
    assert not {r["source_url"] for r in rows} & {r["source_url"] for r in seen}
    assert not {r["text"] for r in rows} & {r["text"] for r in seen}


def _write(tmp_path, rows, name="batch.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def _row(i, text, kinds, **extra):
    return {"id": f"t{i}", "text": text, "kinds": kinds, "source_url": "https://example.test/terms",
            "platform": f"p{i % 2}.example.test", **extra}


def test_independent_option_prints_per_kind_table_and_support(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path, [
        _row(1, "本协议的最终解释权归本店所有。", ["final_interpretation"]),
        _row(2, "退款审核通过后，款项三个工作日内原路退回。", ["refund_channel", "refund_timeline"]),
        _row(3, "本店营业时间为每天九点到十八点。", []),
    ])
    monkeypatch.chdir(tmp_path)
    assert main(["--independent", path.name]) == 0                 # relative to the current directory
    out = capsys.readouterr().out
    assert "3 sentences from 2 platforms, 3 gold labels, 1 negatives" in out
    assert str(path.name) in out and "NOT independent" not in out
    table = {line.split()[0]: line.split() for line in out.splitlines() if line.split() and line.split()[0] in KINDS}
    assert set(table) == set(KINDS)
    assert table["refund_channel"][1] == "1" and table["refund_timeline"][1] == "1"
    assert table["final_interpretation"][1] == "1" and table["evidence_required"][1] == "0"
    assert "micro (all kinds)" in out and "rules" in out and "final" in out


def test_shipped_batch_is_found_by_name():
    rows, label = load_batch("independent2.jsonl")
    assert label == "clause_corpus/independent2.jsonl" and rows == _shipped_rows()


def test_a_batch_reusing_corpus_platforms_is_flagged(tmp_path, capsys):
    known = load_corpus("train")[0]
    row = {k: known[k] for k in ("id", "text", "kinds", "source_url", "platform")}
    assert main(["--independent", str(_write(tmp_path, [row]))]) == 0
    assert f"NOT independent: 1 platform(s) also in corpus.jsonl ({known['platform']})" in capsys.readouterr().out


@pytest.mark.parametrize("line, complaint", [
    ("{not json", "line 2: not JSON"),
    ('["a list"]', "line 2: not a JSON object"),
    ('{"id": "x", "text": "退款说明", "kinds": ["refund_speed"], "source_url": "https://a.test", "platform": "a.test"}',
     "line 2: unknown kind(s) 'refund_speed'"),
    ('{"id": "x", "text": "退款说明", "kinds": [], "platform": "a.test"}', "line 2: field 'source_url' missing or empty"),
    ('{"id": "t1", "text": "另一句", "kinds": [], "source_url": "https://a.test", "platform": "a.test"}', "line 2: id 't1' repeated"),
    ('{"id": "x", "text": "扣百分之十", "kinds": [], "fee_percent": 10, "source_url": "https://a.test", "platform": "a.test"}',
     "line 2: fee_percent"),
])
def test_malformed_batch_is_refused_with_its_line(tmp_path, capsys, line, complaint):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(_row(1, "本店营业时间为每天九点到十八点。", []), ensure_ascii=False)
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    assert main(["--independent", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and complaint in err and "Traceback" not in err


def test_missing_empty_or_binary_file_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--independent", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "no batch file" in capsys.readouterr().err
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    assert main(["--independent", str(tmp_path / "empty.jsonl")]) == 2
    assert "no labelled sentence" in capsys.readouterr().err
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00\x81")
    assert main(["--independent", str(tmp_path / "bin.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(BatchError):
        load_batch("../corpus.jsonl")                               # shipped names are bare file names only


def test_blind_batch_never_lists_errors_and_does_not_mix_with_splits(tmp_path, capsys):
    path = _write(tmp_path, [_row(1, "本店营业时间为每天九点到十八点。", [])])
    assert main(["--independent", str(path), "--errors"]) == 2
    assert "--errors is not available" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["--independent", str(path), "--split", "test"])
    assert exit_info.value.code == 2


# Each blind set after independent2 (clause_corpus.BLIND_SETS): (file, minimum sentences,
# minimum platforms, where its texts were found).
LATER_BLIND_SETS = [
    ("independent3.jsonl", 300, 40, ("http://", "https://")),       # batches 28-29: published pages
    ("independent4.jsonl", 150, 30, ("github:", "github-file:")),   # batches 44-45: public code repositories
    ("independent5.jsonl", 200, 35, ("github-file:",)),             # batches 51 and 57: public code repositories
    ("independent6.jsonl", 500, 90, ("http://", "https://", "github-file:")),  # batches 63, 67, 70, 72: pages and code
    ("independent7.jsonl", 450, 70, ("http://", "https://", "github-file:")),  # batches 74, 75, 80, 82: pages and code
    ("independent8.jsonl", 290, 55, ("http://", "https://")),       # batches 84, 87, 93: published pages
]


@pytest.mark.parametrize("name, min_rows, min_platforms, provenance", LATER_BLIND_SETS)
def test_later_blind_set_is_apart_from_every_other_set(name, min_rows, min_platforms, provenance):
    """A blind set of a later round (corpus README): scored once on first contact and kept out
    of training and tuning since; its platforms and sentences are in no other set, synthetic
    ones included."""
    from cardshop_auditor.extract.clause_corpus import load_augment
    rows, label = load_batch(name)
    assert label == f"clause_corpus/{name}"
    assert len(rows) >= min_rows and len({r["platform"] for r in rows}) >= min_platforms
    assert all(r["split"] == name.removesuffix(".jsonl") and r["source_url"].startswith(provenance) for r in rows)
    others = load_corpus() + load_independent() + [r for other in BLIND_SETS if other != name for r in load_batch(other)[0]]
    assert not {r["platform"] for r in rows} & {r["platform"] for r in others}
    assert not {r["text"] for r in rows} & {r["text"] for r in others + load_augment()}
    negatives = sum(1 for r in rows if not r["kinds"])
    assert 0.15 * len(rows) <= negatives <= 0.45 * len(rows)


def test_every_later_blind_set_is_checked():
    assert {name for name, *_ in LATER_BLIND_SETS} == set(BLIND_SETS) - {"independent2.jsonl"}
