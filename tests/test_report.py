"""The compiled report from a micro run and a one-variant micro study: both files, every section heading, the
figures, the case study, calibration, training dynamics, the study chapter, the precision and compute tables,
no placeholder."""
import re
import pytest

HEADINGS = ["1 Introduction", "2 Reward model", "2.1 Evaluation results", "2.2 Score distributions",
            "2.3 Calibration", "2.4 Length", "2.5 Questions", "3 DPO", "3.1 Score distributions",
            "3.2 Training dynamics", "3.3 Case study", "3.4 The policy as a reward model", "3.5 Questions",
            "4 Studies", "4.1", "5 References",
            "Appendix", "D. Metric glossary"]


@pytest.fixture(scope="module")
def report(micro_report):
    return micro_report[1]                  # conftest.py: the micro run with a one-variant study, reported


def test_html_report(report):
    html = re.sub(r"\s+", " ", (report / "report.html").read_text())     # pandoc wraps lines at 72 columns
    for h in HEADINGS: assert h in html, h
    assert html.count('class="chart"') >= 6
    for fig in ("fig1_rm_scores", "fig1b_rm_calibration", "fig2_rm", "fig3_dpo_dynamics",
                "dpo_family_fig_gain_kl"): assert f"embed('#{fig}'" in html, fig
    # calibration, dynamics and the study quoted in words; the study's question answered from it
    # the reward model's checks and probability scores; the DPO policy judged as a reward model beside it
    assert "swap test" in html and "Brier score" in html and "the policy as a reward model" in html.lower()
    assert "Expected calibration error" in html and "held-out test pairs, at the end of training" in html
    assert "the largest gold reward gain over the base policy was dpo" in html
    assert "largest gain" in html and "largest loss" in html          # the case-study table
    # length: accuracy per length-difference bin, and DPO's change of answer length with its CI
    assert "prefer the longer</th>" in html and "length change per prompt, words (95% CI)" in html
    assert "without the RM’s length term" in html
    assert "RM score, base" in html and "base_rmdpo_rm" not in html     # its headers in words
    assert "Per prompt, by the gold reward" in html and "wall_time_s" in html   # gain spread; glossary
    # no unresolved placeholder, works offline
    assert "{{" not in html and "cdn.jsdelivr" not in html
    # the precision in the run table (fp32 asked for here), and the compute table with every training step
    assert "fp32 (asked for fp32" in html and "Compute</h3>" in html and "native bf16:" in html
    compute = html[html.index("Compute</h3>"):html.index("2 Reward model")]
    for step in ("sft", "reward_model", "dpo", "generation"): assert f"<td>{step}</td>" in compute, step


def test_pdf_report(report):
    from pypdf import PdfReader
    text = "\n".join(p.extract_text() for p in PdfReader(report / "report.pdf").pages)
    flat = re.sub(r"\s+", " ", text)
    for h in HEADINGS: assert h in flat, h
    assert "Figure 1" in flat and "Figure 2" in flat and "largest gain" in flat and "{{" not in flat
    typ = (report / "report.typ").read_text()
    assert typ.count("image(") >= 6                                     # every figure embedded as an image
