"""Every model folder a run writes (SFT, RM, the DPO policy and its snapshots) carries a model card that
huggingface_hub loads offline, with the step's tags and, for the RM, metrics equal to its metrics.json."""
import json, shutil, subprocess
from conftest import micro_run_args


def test_every_model_folder_has_a_card(micro_run, tmp_path):
    from huggingface_hub import ModelCard
    d = tmp_path / "runs"
    shutil.copytree(micro_run, d)
    subprocess.run(micro_run_args(d) + ["--set", "dpo.snapshots=[1]"], check=True, capture_output=True)
    run = d / "micro"
    models = sorted(p.parent for p in run.rglob("model/config.json") if "checkpoints" not in p.parts)
    names = {str(p.relative_to(run)) for p in models}
    assert {"sft/model", "reward_model/model", "dpo/model", "dpo/snapshots/1/model"} <= names, names
    for p in models:
        card = ModelCard.load(p / "README.md")                  # a local file: nothing is downloaded
        step = p.relative_to(run).parts[0]
        assert card.data.library_name == "transformers" and step.replace("_", "-") in card.data.tags, p
    rm = ModelCard.load(run / "reward_model/model/README.md").data
    acc = json.loads((run / "reward_model/metrics.json").read_text())["accuracy"]
    assert [r.metric_value for r in rm.eval_results if r.metric_type == "accuracy"] == [acc]
    snap = ModelCard.load(run / "dpo/snapshots/1/model/README.md").data
    assert snap.model_name == "hw2-micro-dpo-step1" and snap.eval_results is None and "dpo" in snap.tags
