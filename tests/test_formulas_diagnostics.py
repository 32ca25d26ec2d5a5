"""§32–§34 diagnostics: safety zones, phase class, constants, concentration law, PDI,
4-bit rule, critical exponents and the twelve algebraic consistency checks."""
import json
import math

import pytest
from hypothesis import given, settings, strategies as st

from taf.formulas import diagnostics as diag
from taf.formulas.attention import gamma_pade

SQRT2 = math.sqrt(2.0)


def no_emoji(value):
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return not any(0x2600 <= ord(c) <= 0x27BF or ord(c) >= 0x1F000 for c in text)


@pytest.mark.parametrize("gamma,level,label", [
    (1.0, "critical", "HAGEDORN ZONE"), (1.7, "critical", "HAGEDORN ZONE"),
    (0.95, "warning", "HAGEDORN BOUNDARY"), (0.9999, "warning", "HAGEDORN BOUNDARY"),
    (0.9499, "ok", "PHASE A NORMAL"), (0.65, "ok", "PHASE A NORMAL"),
    (0.6499, "info", "PHASE A WIDE-FIELD"), (1e-9, "info", "PHASE A WIDE-FIELD"),
    (0.0, "catastrophic", "NEGATIVE γ"), (-0.4, "catastrophic", "NEGATIVE γ"),
    (None, "unknown", "UNKNOWN"), (float("nan"), "unknown", "UNKNOWN"),
])
def test_hagedorn_safety_zones(gamma, level, label):
    out = diag.hagedorn_safety(gamma)
    assert out["level"] == level and out["label"] == label
    assert out["message"]
    assert no_emoji(out)


@pytest.mark.parametrize("gamma,cls", [
    (-0.1, "catastrophic"), (0.0, "catastrophic"), (0.3, "Phase A (long-range)"),
    (0.8499, "Phase A (long-range)"), (0.85, "boundary (gap zone)"), (0.9499, "boundary (gap zone)"),
    (0.95, "Hagedorn boundary"), (0.999, "Hagedorn boundary"), (1.0, "Hagedorn zone"), (2.0, "Hagedorn zone"),
    (None, "unknown"), (float("inf"), "unknown"),
])
def test_bimodal_phase_class(gamma, cls):
    assert diag.bimodal_phase_class(gamma) == cls


def test_nearest_famous_constants():
    hits = diag.nearest_famous_constants(0.65, max_results=2, tolerance=0.1)
    assert [h["constant"] for h in hits] == ["2/π", "1/φ"]
    assert diag.nearest_famous_constants(0.7051)[0]["constant"] == "1/√2"
    assert diag.nearest_famous_constants(0.5, tolerance=0.02) == []
    assert diag.nearest_famous_constants(None) == []
    assert diag.nearest_famous_constants(0.69, max_results=0) == []


def test_architectural_concentration():
    out = diag.architectural_concentration(0.9, 8)
    assert out["gamma_text_predicted"] == pytest.approx(0.9 - 0.012 * 8, rel=1e-15)
    assert out["k_arch"] == 0.012
    assert "Correlational" in out["caveat"]
    assert diag.architectural_concentration(0.9, 32)["gamma_text_predicted"] == pytest.approx(0.516, rel=1e-14)
    assert diag.architectural_concentration(0.9, 0) is None
    assert diag.architectural_concentration(float("nan"), 8) is None


def test_pdi_identity_at_gamma_pade():
    out = diag.pade_deviation_index(500000, gamma_pade(500000, 32000), 32000)
    assert out["PDI"] == pytest.approx(1.0, rel=1e-12)
    assert out["regime"].startswith("canonical")
    assert out["traffic_light"].startswith("GREEN")


@pytest.mark.parametrize("gamma_obs,pdi,regime,light", [
    (0.5, 500 / 150, "γ_obs ≪ γ_Padé", "ORANGE"),   # θ = 1000/√2, T = 100: PDI = 1000·(1−γ)/((1+γ)·100)
    (0.9, 100 / 190, "canonical", "GREEN"),
    (0.95, 50 / 195, "γ_obs > γ_Padé", "YELLOW"),
])
def test_pdi_hand_values(gamma_obs, pdi, regime, light):
    out = diag.pade_deviation_index(1000 / SQRT2, gamma_obs, 100)
    assert out["PDI"] == pytest.approx(pdi, rel=1e-14)
    assert out["log_PDI"] == pytest.approx(math.log(pdi), rel=1e-12)
    assert out["regime"].startswith(regime)
    assert out["traffic_light"].startswith(light)


def test_pdi_phase_b_and_undefined_cases_never_inf():
    b = diag.pade_deviation_index(10000, 1.5, 1000)
    assert b["PDI"] == pytest.approx(10000 * (-0.5) * SQRT2 / (2.5 * 1000), rel=1e-14)
    assert b["log_PDI"] is None and b["regime"].startswith("Phase B") and b["traffic_light"].startswith("RED")
    at_one = diag.pade_deviation_index(10000, 1.0, 1000)
    assert at_one["PDI"] == 0.0 and at_one["regime"].startswith("Phase B") and at_one["log_PDI"] is None
    for args in [(10000, -1.0, 1000), (10000, -2.0, 1000), (0, 0.5, 1000), (10000, 0.5, 0),
                 (1e308, -0.9999999999999999, 1e-300), (float("nan"), 0.5, 10)]:
        out = diag.pade_deviation_index(*args)
        assert out["PDI"] is None and out["reason"], args
        json.dumps(out, allow_nan=False)
    assert diag.pade_deviation_index(10000, -1.0, 1000)["regime"] == "singular"


@pytest.mark.parametrize("r2,gqa,direction", [
    (0.5, True, "stable"), (0.999, True, "stable"), (0.85, False, "UP"), (0.8999, False, "UP"),
    (0.92, False, "stable"), (0.97, False, "stable"), (0.99, False, "stable"), (0.995, False, "DOWN"),
])
def test_precision_shift_4bit(r2, gqa, direction):
    out = diag.precision_shift_4bit(r2, gqa)
    assert out["predicted_shift_direction"] == direction
    assert "n=5" in out["evidence"]


def test_precision_shift_4bit_domain():
    assert diag.precision_shift_4bit(1.2, False) is None
    assert diag.precision_shift_4bit(-0.1, True) is None
    assert diag.precision_shift_4bit(float("nan"), True) is None


def test_critical_exponents_hand_values():
    out = diag.critical_exponents(0.5)
    assert out["nu_correlation_length"] == 2.0
    assert out["beta_order_param"] == -0.5
    assert out["eta_anomalous_dim"] == -0.5
    assert out["alpha_specific_heat"] == 0.0
    assert out["gamma_susceptibility"] == 3.0
    assert out["hyperscaling_check"]["rushbrooke_alpha_plus_2beta_plus_gamma_susc"] == 2.0
    assert diag.critical_exponents(0.0)["gamma_susceptibility"] == 3.0
    minimum = diag.critical_exponents(1 - 1 / SQRT2)
    assert minimum["gamma_susceptibility"] == pytest.approx(2 * SQRT2, rel=1e-15)
    assert minimum["AM_GM_bound"] == {"min_gamma_susc": 2 * SQRT2, "min_at_gamma": 1 - 1 / SQRT2}


def test_critical_exponents_diverge_at_hagedorn():
    out = diag.critical_exponents(1.0)
    assert out["nu_correlation_length"] is None and out["gamma_susceptibility"] is None
    assert "Hagedorn" in out["regime"]
    json.dumps(out, allow_nan=False)
    assert diag.critical_exponents(float("nan")) is None


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-5, max_value=0.999999))
def test_critical_exponents_am_gm_bound_and_rushbrooke(gamma):
    out = diag.critical_exponents(gamma)
    assert out["gamma_susceptibility"] >= 2 * SQRT2 * (1 - 1e-12)
    assert out["hyperscaling_check"]["rushbrooke_alpha_plus_2beta_plus_gamma_susc"] == pytest.approx(2.0, abs=1e-6)


EXPECTED_IDS = ["D-SAGE-1", "D-SAGE-2", "D-SAGE-4", "D-SAGE-5", "D-SAGE-6", "Rushbrooke", "Josephson", "Fisher",
                "eta_2gamma_refuted", "D-14_nu_imprint", "D-SAGE-7", "nu_beta"]


def test_algebraic_checks_structure_and_values_at_one_half():
    out = diag.algebraic_consistency_checks(0.5)
    assert [c["id"] for c in out["checks"]] == EXPECTED_IDS
    assert out["n_checks_total"] == 12 and out["n_checks_passed"] == 12 and out["all_consistent"] is True
    by_id = {c["id"]: c for c in out["checks"]}
    assert by_id["Fisher"]["expected"] == -2.0            # γ(2γ − 3)/(1 − γ) at γ = 1/2
    assert by_id["Fisher"]["value"] == pytest.approx(-2.0, abs=1e-15)
    assert by_id["D-SAGE-5"]["expected"] == 3.0            # 2(2 − γ)
    assert by_id["D-SAGE-6"]["expected"] == -1.5           # −2γ² + 4γ − 3
    assert by_id["eta_2gamma_refuted"]["value"] == 2 * 1.0 + 1.0 * 3.0 + 1  # 2(2γ)² + 2γ·γ_χ + 1 = 6
    assert "tautology" in by_id["D-SAGE-1"]["kind"]
    assert "tautolog" in diag.algebraic_consistency_checks.__doc__
    json.dumps(out, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True))
def test_algebraic_checks_all_pass_in_phase_a(gamma):
    out = diag.algebraic_consistency_checks(gamma)
    assert out["all_consistent"] is True, [c for c in out["checks"] if not c["passes"]]


@pytest.mark.parametrize("gamma", [0.0, 1.0, -0.5, 1.5])
def test_algebraic_checks_outside_phase_a(gamma):
    out = diag.algebraic_consistency_checks(gamma)
    assert out["status"] == "out_of_phase_A" and out["checks"] == [] and out["all_consistent"] is None


def test_algebraic_checks_domain():
    assert diag.algebraic_consistency_checks(float("nan")) is None
    assert diag.algebraic_consistency_checks(0.5, tol=0) is None


def test_algebraic_checks_detect_a_wrong_tolerance_scale():
    # a vanishing tolerance makes rounding visible: the checks can fail
    out = diag.algebraic_consistency_checks(1 - 1e-12, tol=1e-300)
    assert out["n_checks_passed"] < 12
