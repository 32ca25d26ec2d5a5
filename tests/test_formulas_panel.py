"""§28–§31 panel findings: imprint law, purity, decomposition v2, invariant K, IH phase, constants."""
import json
import math

import pytest

from taf.formulas import panel
from taf.formulas.attention import gamma_pade

NU = -1 / (2 * math.pi)


def test_constants():
    assert panel.NU_IMPRINT == pytest.approx(-0.15915494309189535, rel=1e-15)
    assert panel.NU_IMPRINT * 2 * math.pi == pytest.approx(-1.0, rel=1e-15)
    assert panel.P0_IMPRINT_M == 14.0
    assert (panel.K_PANEL_MEAN, panel.K_PANEL_STD) == (51.2, 16.8)
    assert panel.IMPRINT_CI_HALF_WIDTH == 0.18
    assert panel.DELTA_INSTRUCT == -0.10


def test_imprint_shift_hand_values():
    assert panel.imprint_shift(14) == 0.0
    assert panel.imprint_shift(140) == pytest.approx(NU, rel=1e-15)        # log10(10) = 1
    assert panel.imprint_shift(1.4) == pytest.approx(-NU, rel=1e-15)       # log10(0.1) = −1
    assert panel.imprint_shift(1400) == pytest.approx(2 * NU, rel=1e-15)
    assert panel.imprint_shift(1000) == pytest.approx(NU * math.log10(1000 / 14), rel=1e-15)


def test_imprint_shift_floor_and_domain():
    floored = NU * math.log10(1e-3 / 14)
    assert panel.imprint_shift(1e-3) == pytest.approx(floored, rel=1e-15)
    assert panel.imprint_shift(1e-6) == panel.imprint_shift(1e-3)
    assert panel.imprint_shift(0) == panel.imprint_shift(1e-3)
    assert panel.imprint_shift(-1) is None
    assert panel.imprint_shift(float("nan")) is None
    assert panel.imprint_shift(float("inf")) is None


def test_gamma_random_predict_pythia_1b():
    expected = gamma_pade(10000, 2048) + NU * math.log10(1000 / 14)
    assert panel.gamma_random_predict(10000, 2048, 1000) == pytest.approx(expected, rel=1e-15)
    assert panel.gamma_random_predict(10000, 2048, 1000) == pytest.approx(0.4519535560038923, rel=1e-15)


def test_gamma_random_predict_domain():
    assert panel.gamma_random_predict(0, 2048, 1000) is None
    assert panel.gamma_random_predict(10000, 0, 1000) is None
    assert panel.gamma_random_predict(10000, 2048, -5) is None


@pytest.mark.parametrize("offset,purity", [(0.0, "clean (within CI)"), (0.1, "clean (within CI)"),
                                           (-0.17, "clean (within CI)"), (-0.2, "over-imprinted"),
                                           (0.25, "under-imprinted"), (-1.0, "over-imprinted")])
def test_imprint_purity_labels(offset, purity):
    pred = panel.gamma_random_predict(10000, 2048, 1000)
    out = panel.imprint_purity(pred + offset, 10000, 2048, 1000)
    assert out["purity"] == purity
    assert out["imprint_residual"] == pytest.approx(offset, abs=1e-12)
    assert out["gamma_random_pred"] == pred
    assert out["gamma_pade_only"] == gamma_pade(10000, 2048)
    assert out["imprint_predicted"] == pytest.approx(NU * math.log10(1000 / 14), rel=1e-12)
    assert out["ci_95_half_width"] == 0.18


def test_imprint_purity_domain():
    assert panel.imprint_purity(float("nan"), 10000, 2048, 1000) is None
    assert panel.imprint_purity(0.5, 0, 2048, 1000) is None


def test_decompose_v2_text_corpus_has_no_imprint():
    d = panel.gamma_decompose_v2(0.7, 1000, has_GQA=True, corpus="text")
    assert d["delta_imprint"] == 0.0 and d["delta_imprint_status"] is None
    assert d["gamma_corrected"] == pytest.approx(0.7 + 0.11 - 0.15, abs=1e-15)


def test_decompose_v2_random_corpus_and_instruct():
    d = panel.gamma_decompose_v2(0.7, 140, has_GQA=False, has_SWA=True, corpus="random", is_instruct=True)
    assert d["delta_imprint"] == pytest.approx(NU, rel=1e-15)
    assert d["delta_instruct"] == -0.10 and d["delta_instruct_status"] == "exploratory"
    assert d["delta_post_IH"] == 0.0               # 140 M < 400 M
    assert d["delta_SWA"] == 0.0 and d["delta_SWA_status"] == "disabled"
    assert d["gamma_corrected"] == pytest.approx(0.7 + NU - 0.10, abs=1e-15)
    assert d["axes"] == ["pade", "imprint", "GQA", "SWA", "IH", "instruct"]


def test_decompose_v2_post_ih_boundary_and_domain():
    assert panel.gamma_decompose_v2(0.5, 400)["delta_post_IH"] == -0.15
    assert panel.gamma_decompose_v2(0.5, 399.9)["delta_post_IH"] == 0.0
    assert panel.gamma_decompose_v2(0.5, 400, corpus="code") is None
    assert panel.gamma_decompose_v2(float("nan"), 400) is None


def test_invariant_K_chinchilla_default():
    # γ = 1, N = 10^9, D = 2·10^10: K = ln(2·10^28) = 28·ln 10 + ln 2
    out = panel.compute_invariant_K(1.0, 1e9)
    K = 28 * math.log(10) + math.log(2)
    assert out["K"] == pytest.approx(K, rel=1e-14)
    assert out["D_tokens"] == 2e10
    assert out["z_score"] == pytest.approx((K - 51.2) / 16.8, rel=1e-13)
    assert out["in_distribution"] is True and out["interpretation"] == "in-band"


def test_invariant_K_outliers_and_explicit_D():
    low = panel.compute_invariant_K(0.5, 1e9)
    assert low["K"] == pytest.approx(0.5 * (28 * math.log(10) + math.log(2)), rel=1e-14)
    assert low["in_distribution"] is False and low["interpretation"] == "low-K outlier"
    high = panel.compute_invariant_K(1.5, 1e9)
    assert high["interpretation"] == "high-K outlier"
    explicit = panel.compute_invariant_K(1.0, 1e6, 1e6)
    assert explicit["K"] == pytest.approx(18 * math.log(10), rel=1e-14)
    # seed number: Llama-3-8B, γ = 0.85
    assert panel.compute_invariant_K(0.85, 8e9)["K"] == pytest.approx(60.693276248017824, rel=1e-15)


def test_invariant_K_when_N2D_leaves_the_double_range():
    # N²·D underflows (or overflows) a double: K = γ·(2 ln N + ln D), never None
    tiny = panel.compute_invariant_K(1.0, 5e-324)
    assert tiny["K"] == pytest.approx(2 * math.log(5e-324) + math.log(20 * 5e-324), rel=1e-12)
    assert tiny["interpretation"] == "low-K outlier"
    huge = panel.compute_invariant_K(0.5, 1e300, 1e300)
    assert huge["K"] == pytest.approx(0.5 * 900 * math.log(10), rel=1e-12)


def test_invariant_K_domain():
    assert panel.compute_invariant_K(0.8, 0) is None
    assert panel.compute_invariant_K(0.8, -1e9) is None
    assert panel.compute_invariant_K(0.8, 1e9, 0) is None
    assert panel.compute_invariant_K(float("inf"), 1e9) is None


@pytest.mark.parametrize("gt,gr,n,observed,expected,consistent", [
    (0.7, 0.6, 1e9, "post-IH", "post-IH", True),
    (0.5, 0.7, 1e8, "pre-IH", "pre-IH", True),
    (0.7, 0.6, 1e8, "post-IH", "pre-IH", False),
    (0.5, 0.7, 4e8, "pre-IH", "post-IH", False),
    (0.5, 0.5, 1e9, "ambiguous", "post-IH", None),
    (0.3, 0.1 + 0.2, 1e9, "ambiguous", "post-IH", None),   # Δγ = −5.6e-17: float noise, not a phase
    (0.7, 0.6, None, "post-IH", None, None),
])
def test_ih_phase_check(gt, gr, n, observed, expected, consistent):
    out = panel.ih_phase_check(gt, gr, n)
    assert out["delta_gamma"] == gt - gr
    assert out["phase_observed"] == observed
    assert out["phase_expected_by_size"] == expected
    assert out["consistent"] is consistent
    assert (out["panel_pre_IH_mean"], out["panel_post_IH_mean"], out["panel_std"]) == (-0.19, 0.03, 0.26)


def test_ih_expected_phase_threshold():
    assert panel.ih_expected_phase(4e8) == "post-IH"
    assert panel.ih_expected_phase(3.999e8) == "pre-IH"
    assert panel.ih_expected_phase(-1) is None
    assert panel.ih_phase_check(float("nan"), 0.5) is None


def test_famous_constants_panel_hits():
    golden = panel.famous_constant_proximity(0.3823)   # CodeLlama-13b
    assert golden["n_hits"] == 1
    assert golden["hits"][0]["constant"] == "1−1/φ (golden conjugate)"
    assert golden["hits"][0]["value"] == pytest.approx((3 - math.sqrt(5)) / 2, rel=1e-15)
    assert golden["hits"][0]["error"] == pytest.approx(0.3823 - (3 - math.sqrt(5)) / 2, rel=1e-12)
    assert panel.famous_constant_proximity(0.7051)["hits"][0]["constant"] == "1/√2"    # pythia-1.4b
    assert panel.famous_constant_proximity(0.2871)["hits"][0]["constant"] == "1−1/√2"  # Llama-2-7b
    assert panel.famous_constant_proximity(0.4284)["hits"][0]["constant"] == "log_10(e)"  # Mistral-Nemo
    assert panel.famous_constant_proximity(0.5)["n_hits"] == 0


def test_famous_constants_sorted_and_capped():
    out = panel.famous_constant_proximity(0.65, tolerance=0.1)
    # 2/π (0.0134), 1/φ (0.0320), ln 2 (0.0431), 1/√2 (0.0571), (√17−3)/2 (0.0885)
    assert out["n_hits"] == 5
    assert [h["constant"] for h in out["hits"]] == ["2/π", "1/φ", "ln(2)"]
    two = panel.famous_constant_proximity(0.3, tolerance=0.05)
    assert [h["constant"] for h in two["hits"]] == ["1−1/√2", "1/π"]
    assert panel.famous_constant_proximity(float("nan")) is None
    assert panel.famous_constant_proximity(0.5, tolerance=-1) is None
    json.dumps(out, allow_nan=False)
