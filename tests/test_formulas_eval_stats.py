"""taf.formulas.eval_stats: pass@k, Wilson intervals, Student's t — seed values and independent checks."""
import math
import statistics
from fractions import Fraction
from statistics import NormalDist

import pytest
from hypothesis import given, settings, strategies as st

from taf.formulas import eval_stats as es

SEED_Z95 = 1.959_963_985_0  # floor_oracle's constant


# ── z and Wilson ─────────────────────────────────────────────────────────────
def test_z_two_sided():
    assert es.z_two_sided(0.95) == pytest.approx(1.959963984540054, abs=1e-12)
    assert es.z_two_sided(0.99) == pytest.approx(2.5758293035489, abs=1e-9)
    assert abs(es.z_two_sided(0.95) - SEED_Z95) < 1e-9
    for bad in (0, 1, -0.5, 1.5):
        assert es.z_two_sided(bad) is None


@pytest.mark.parametrize("n,expected", [(4, 0.4899), (16, 0.1936), (32, 0.1072)])
def test_wilson_zero_success_seed_values(n, expected):
    upper = es.wilson_zero_success_upper(n)
    assert round(upper, 4) == expected
    # the seed's closed form with its own z constant
    assert upper == pytest.approx(SEED_Z95 ** 2 / (n + SEED_Z95 ** 2), abs=1e-9)
    assert es.wilson_interval(0, n)[0] == 0.0


def test_wilson_zero_success_is_decreasing_in_n():
    values = [es.wilson_zero_success_upper(n) for n in range(1, 200)]
    assert all(a > b for a, b in zip(values, values[1:]))


def _wilson_by_quadratic(c, n, z):
    """Independent derivation: the Wilson bounds solve (p̂ − p)² = z²·p(1 − p)/n for p."""
    ph = c / n
    a = 1 + z * z / n
    b = -(2 * ph + z * z / n)
    cc = ph * ph
    disc = math.sqrt(b * b - 4 * a * cc)
    return (-b - disc) / (2 * a), (-b + disc) / (2 * a)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), data=st.data(), conf=st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.999]))
def test_wilson_matches_the_score_equation(n, data, conf):
    c = data.draw(st.integers(0, n))
    low, high = es.wilson_interval(c, n, conf)
    qlow, qhigh = _wilson_by_quadratic(c, n, es.z_two_sided(conf))
    assert low == pytest.approx(qlow, abs=1e-12)
    assert high == pytest.approx(qhigh, abs=1e-12)
    assert 0 <= low <= c / n <= high <= 1


def test_wilson_worked_example():
    # 4/16 at 95 %: hand-derived with the quadratic above
    low, high = es.wilson_interval(4, 16)
    assert low == pytest.approx(0.10182, abs=1e-5)
    assert high == pytest.approx(0.49498, abs=1e-5)
    assert es.wilson_interval(16, 16)[1] == 1.0
    assert es.wilson_interval(5, 4) is None and es.wilson_interval(-1, 4) is None
    assert es.wilson_interval(1, 0) is None and es.wilson_interval(1, 4, 1.0) is None


def test_half_width_and_samples_needed():
    assert es.wilson_half_width(0.25, 16) == pytest.approx((0.49498 - 0.10182) / 2, abs=1e-5)
    n = es.n_for_wilson_half_width(0.25, 0.05)
    assert n == 286
    assert es.wilson_half_width(0.25, n) <= 0.05 < es.wilson_half_width(0.25, n - 1)
    assert es.n_for_wilson_half_width(0.5, 0.9) == 1
    assert es.n_for_wilson_half_width(0.5, 0) is None
    assert es.n_for_wilson_half_width(1.5, 0.1) is None


def test_n_to_rule_out_rate():
    n = es.n_to_rule_out_rate_with_zero_successes(0.061)
    assert n == 60
    assert es.wilson_zero_success_upper(60) < 0.061 <= es.wilson_zero_success_upper(59)
    assert es.n_to_rule_out_rate_with_zero_successes(0) is None
    assert es.n_to_rule_out_rate_with_zero_successes(1) is None


# ── pass@k ───────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("n,c,k,expected", [
    (16, 0, 1, 0.0), (16, 1, 1, 0.0625), (16, 1, 16, 1.0), (16, 4, 1, 0.25), (16, 4, 8, 0.9615), (32, 0, 1, 0.0),
])
def test_pass_at_k_seed_table(n, c, k, expected):
    assert round(es.pass_at_k(n, c, k), 4) == expected


def test_pass_at_k_exact_hand_values():
    # C(12, 8) = 495, C(16, 8) = 12870: 1 − 495/12870 = 25/26
    assert es.pass_at_k_exact(16, 4, 8) == Fraction(25, 26)
    assert es.pass_at_k(16, 4, 8) == 25 / 26
    # pass@1 = c/n
    assert es.pass_at_k_exact(16, 4, 1) == Fraction(1, 4)
    assert es.pass_at_1(16, 4) == 0.25
    # n = 5, c = 2, k = 2: 1 − C(3,2)/C(5,2) = 1 − 3/10
    assert es.pass_at_k_exact(5, 2, 2) == Fraction(7, 10)


@pytest.mark.parametrize("args", [(16, 1, 17), (16, 17, 1), (0, 0, 1), (16, 1, 0), (16, -1, 1), (16.0, 1, 1),
                                  (True, 1, 1)])
def test_pass_at_k_domain(args):
    assert es.pass_at_k(*args) is None
    assert es.pass_at_k_exact(*args) is None


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 400), data=st.data())
def test_pass_at_k_is_the_correctly_rounded_exact_value(n, data):
    c = data.draw(st.integers(0, n))
    k = data.draw(st.integers(1, n))
    exact = es.pass_at_k_exact(n, c, k)
    assert es.pass_at_k(n, c, k) == float(exact)  # one rounding of the exact rational
    # Chen et al.'s numerically stable product form agrees
    if n - c >= k:
        stable = 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))
        assert es.pass_at_k(n, c, k) == pytest.approx(stable, abs=1e-12)


def test_pass_at_k_monotone_in_c():
    values = [es.pass_at_k(16, c, 4) for c in range(17)]
    assert all(a <= b for a, b in zip(values, values[1:]))
    assert values[0] == 0.0 and values[-1] == 1.0


def test_pass_at_k_large_inputs_are_fast_and_exact():
    assert es.pass_at_k(100_000, 50_000, 50_000) == 1.0
    assert es.pass_at_k(100_000, 1, 1) == 1e-5
    # 1 − (1 − 1/n)… for c = 1: exactly k/n
    assert es.pass_at_k(100_000, 1, 700) == 700 / 100_000


# ── mean and spread ──────────────────────────────────────────────────────────
def test_mean_and_std_exact():
    assert es.mean_exact([1, 2, 3, 4]) == 2.5
    assert es.sample_std_exact([1, 2, 3, 4]) == math.sqrt(5 / 3)
    values = [1.08035, 1.08097, 1.08127, 1.08060, 1.08135]
    assert es.mean_exact(values) == pytest.approx(statistics.mean(values), abs=1e-15)
    assert es.sample_std_exact(values) == pytest.approx(statistics.stdev(values), rel=1e-12)
    assert es.sample_std_exact([1.0]) is None and es.mean_exact([]) is None
    assert es.mean_exact([1.0, float("nan")]) is None


# ── Student's t ──────────────────────────────────────────────────────────────
@pytest.mark.parametrize("t,df,two_sided", [
    (2.776, 4, 0.05), (12.706, 1, 0.05), (2.228, 10, 0.05), (2.042, 30, 0.05), (4.604, 4, 0.01), (2.262, 9, 0.05),
])
def test_t_table_two_sided(t, df, two_sided):
    assert es.student_t_two_sided_p(t, df) == pytest.approx(two_sided, abs=2e-4)


@pytest.mark.parametrize("t,df,one_sided", [(3.747, 4, 0.01), (2.132, 4, 0.05), (1.533, 4, 0.10), (2.764, 10, 0.01)])
def test_t_table_one_sided(t, df, one_sided):
    assert es.student_t_sf(t, df) == pytest.approx(one_sided, abs=1e-4)


@pytest.mark.parametrize("p,df,t", [(0.01, 4, 3.746947), (0.025, 4, 2.776445), (0.025, 10, 2.228139),
                                    (0.005, 1, 63.656741), (0.05, 2, 2.919986), (0.001, 30, 3.385185)])
def test_t_critical_values(p, df, t):
    assert es.student_t_isf(p, df) == pytest.approx(t, abs=1e-5)


@settings(max_examples=200, deadline=None)
@given(t=st.floats(-60, 60, allow_nan=False))
def test_t_closed_forms_df1_df2(t):
    cauchy = 0.5 - math.atan(t) / math.pi
    assert es.student_t_sf(t, 1) == pytest.approx(cauchy, rel=1e-9, abs=1e-15)
    df2 = 0.5 - t / (2 * math.sqrt(t * t + 2))
    assert es.student_t_sf(t, 2) == pytest.approx(df2, rel=1e-9, abs=1e-14)
    assert es.student_t_sf(t, 7) + es.student_t_sf(-t, 7) == pytest.approx(1.0, abs=1e-14)


@settings(max_examples=150, deadline=None)
@given(p=st.floats(1e-9, 0.999999999), df=st.floats(1, 500))
def test_t_isf_inverts_sf(p, df):
    t = es.student_t_isf(p, df)
    assert es.student_t_sf(t, df) == pytest.approx(p, rel=1e-8)


def test_t_tends_to_normal():
    assert es.student_t_sf(2.0, 1e7) == pytest.approx(1 - NormalDist().cdf(2.0), abs=1e-7)
    assert es.student_t_sf(0.0, 3) == 0.5
    assert es.student_t_sf(1e200, 3) == 0.0
    assert es.student_t_cdf(1e200, 3) == 1.0
    assert es.student_t_sf(1.0, 0) is None and es.student_t_sf(float("nan"), 3) is None
    assert es.student_t_isf(0.5, 4) == 0.0 and es.student_t_isf(0.99, 4) == pytest.approx(-3.746947, abs=1e-5)
    assert es.student_t_isf(0, 4) is None and es.student_t_isf(1, 4) is None
    # df = 1 far in the tail: P(T > t) ≈ 1/(πt)
    assert es.student_t_isf(1e-150, 1) == pytest.approx(1 / (math.pi * 1e-150), rel=1e-9)
    assert es.student_t_isf(1e-151, 1) is None


@settings(max_examples=150, deadline=None)
@given(x=st.floats(0, 1), a=st.floats(0.05, 50), b=st.floats(0.05, 50))
def test_incomplete_beta_closed_forms(x, a, b):
    assert es.regularized_incomplete_beta(a, 1, x) == pytest.approx(x ** a, abs=1e-12)
    assert es.regularized_incomplete_beta(1, b, x) == pytest.approx(1 - (1 - x) ** b, abs=1e-12)
    assert es.regularized_incomplete_beta(a, a, 0.5) == pytest.approx(0.5, abs=1e-12)
    assert es.regularized_incomplete_beta(a, b, x) + es.regularized_incomplete_beta(b, a, 1 - x, x) == \
        pytest.approx(1.0, abs=1e-12)


def test_incomplete_beta_domain():
    assert es.regularized_incomplete_beta(0, 1, 0.5) is None
    assert es.regularized_incomplete_beta(1, 1, 1.5) is None
    assert es.regularized_incomplete_beta(2, 3, 0) == 0.0 and es.regularized_incomplete_beta(2, 3, 1) == 1.0
