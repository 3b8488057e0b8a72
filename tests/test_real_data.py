"The real loaders on the real files in ../shared/data (HH-RLHF harmless-base test, PKU-SafeRLHF sample)."
import gzip, json
from conftest import require
from hw2_lib import data as D, models as M, synthetic as S


def test_hh_rlhf_harmless_test_file(shared_data):
    path = require(shared_data / "hh-rlhf/harmless-base/test.jsonl.gz", "HH-RLHF harmless-base test file")
    ds, rep = D.load_hh_rlhf(path, return_report=True)
    n_raw = sum(1 for _ in gzip.open(path, "rt"))
    assert rep.n_input == n_raw == 2312
    # every input row is either kept or counted under exactly one reason
    dropped = sum(c["count"] for c in rep.checks.values() if c["policy"].startswith("drop"))
    assert len(ds) + dropped == n_raw
    assert rep.count("no_shared_prefix") == 5          # README: 2,307 of 2,312 share the prefix
    assert len(ds) == 2303 and rep.count("empty_text") == 4
    r = ds[0]
    assert r["prompt_messages"][-1]["role"] == "user" and r["prompt"] == r["prompt_messages"][-1]["content"]
    raw = json.loads(gzip.open(path, "rt").readline())
    assert raw["chosen"].endswith(r["chosen"]) and raw["rejected"].endswith(r["rejected"])


def test_hh_rlhf_overlong_counted_with_a_tokenizer(shared_data):
    path = require(shared_data / "hh-rlhf/harmless-base/test.jsonl.gz", "HH-RLHF harmless-base test file")
    tok = M.train_tokenizer(S.synthetic_corpus(), vocab_size=512)
    n = M.pair_token_length(tok, "homework")
    ds, rep = D.load_hh_rlhf(path, token_length=n, max_length=256, return_report=True)
    assert 0 < rep.count("overlong") < len(ds)         # counted and kept (truncate policy)
    ds2, rep2 = D.load_hh_rlhf(path, token_length=n, max_length=256, overlong="drop", return_report=True)
    assert len(ds2) == len(ds) - rep.count("overlong")


def test_pku_saferlhf_sample_both_dimensions(shared_data):
    path = require(shared_data / "pku-saferlhf/test.sample10.jsonl", "PKU-SafeRLHF sample")
    raw = [json.loads(l) for l in open(path)]
    for dim in ("better", "safer"):
        ds, rep = D.load_pku_saferlhf(path, dimension=dim, return_report=True)
        assert rep.n_input == 10 and len(ds) == 10
        for r, x in zip(ds, raw):
            lab = x[f"{dim}_response_id"]
            assert (r["chosen"], r["rejected"]) == (x[f"response_{lab}"], x[f"response_{1-lab}"])
            assert (r["better_response_id"] == x["better_response_id"] and r["safer_response_id"]
                    == x["safer_response_id"])
            assert r["chosen_severity_level"] == x[f"response_{lab}_severity_level"]
