"""taf.formulas.quantization: the seed-004 entropy approximation and its exact Gaussian model."""
import math
from statistics import NormalDist

import pytest
from hypothesis import given, settings, strategies as st

from taf.formulas import quantization as qz


def test_constant():
    # ½·log2(πe/2): πe/2 = 4.26987…, log2 = 2.09420…
    assert qz.ENTROPY_CONSTANT_BITS == pytest.approx(1.04710, abs=1e-5)
    assert qz.K_AT_FULL_ENTROPY == pytest.approx(2.0664, abs=1e-4)
    assert qz.entropy_bits_per_weight(5, qz.K_AT_FULL_ENTROPY) == pytest.approx(5.0, abs=1e-12)


@pytest.mark.parametrize("bits,k,expected", [(6, 12.85, 3.3634), (8, 20, 4.7252), (7, 25.7, 3.3634), (4, 1, 5.0471)])
def test_entropy_seed_settings(bits, k, expected):
    assert round(qz.entropy_bits_per_weight(bits, k), 4) == expected


@settings(max_examples=200, deadline=None)
@given(bits=st.integers(1, 15), k=st.floats(0.01, 1000))
def test_b_k_equivalence_and_inverse(bits, k):
    h = qz.entropy_bits_per_weight(bits, k)
    assert qz.entropy_bits_per_weight(bits + 1, 2 * k) == pytest.approx(h, abs=1e-12)
    assert qz.k_for_entropy(bits, h) == pytest.approx(k, rel=1e-12)


def test_compressed_bytes_and_k_to_fit():
    assert qz.compressed_bytes(8_000_000, 4.0) == 4_000_000
    # 8M weights in 4 MB → H = 4 bits → k = 2^(6 + 1.0471 − 4)
    k = qz.k_to_fit(8_000_000, 6, 4_000_000)
    assert k == pytest.approx(2 ** (2 + qz.ENTROPY_CONSTANT_BITS), rel=1e-12)
    assert k == pytest.approx(8.2656, abs=1e-3)
    assert qz.compressed_bytes(8_000_000, qz.entropy_bits_per_weight(6, k)) == pytest.approx(4_000_000, rel=1e-12)
    assert qz.k_to_fit(8_000_000, 6, 0) is None and qz.k_to_fit(0, 6, 100) is None
    assert qz.compressed_bytes(-1, 3) is None


def test_clipping_and_bin_width():
    assert qz.clipped_fraction(1.959963984540054) == pytest.approx(0.05, abs=1e-12)
    assert qz.clipped_fraction(3) == pytest.approx(0.0026998, abs=1e-7)
    assert qz.bin_width_over_sigma(6, 12.85) == pytest.approx(0.4015625, abs=1e-12)
    assert qz.clipped_fraction(0) is None and qz.bin_width_over_sigma(0, 1) is None


def test_exact_model_hand_values():
    # b = 1: two bins split at 0, each with probability ½ → exactly 1 bit, whatever k
    for k in (0.5, 3, 12.85, 100):
        assert qz.quantized_gaussian_entropy(1, k) == pytest.approx(1.0, abs=1e-15)
    # b = 2, k = 4: bins (−∞,−2], (−2,0], (0,2], (2,∞) → Φ(−2), ½ − Φ(−2), …
    tail = NormalDist().cdf(-2)
    inner = 0.5 - tail
    expected = -2 * (tail * math.log2(tail) + inner * math.log2(inner))
    assert qz.quantized_gaussian_entropy(2, 4) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(1.2670, abs=1e-4)


def test_approximation_is_good_inside_its_regime_and_bad_outside():
    # seed settings: within 0.01 bits of the exact Gaussian model
    assert abs(qz.entropy_bits_per_weight(6, 12.85) - qz.quantized_gaussian_entropy(6, 12.85)) < 0.01
    assert abs(qz.entropy_bits_per_weight(8, 20) - qz.quantized_gaussian_entropy(8, 20)) < 0.002
    assert abs(qz.entropy_bits_per_weight(10, 8) - qz.quantized_gaussian_entropy(10, 8)) < 0.001
    # coarse bins (b = 4, k = 12.85: 1.6σ wide) and heavy clipping (k = 1) are off
    assert abs(qz.entropy_bits_per_weight(4, 12.85) - qz.quantized_gaussian_entropy(4, 12.85)) > 0.1
    assert qz.entropy_bits_per_weight(3, 1) > 3  # impossible for a 3-bit code
    assert qz.quantized_gaussian_entropy(3, 1) <= 3


@settings(max_examples=150, deadline=None)
@given(bits=st.integers(1, 9), k=st.floats(0.05, 200))
def test_exact_model_properties(bits, k):
    h = qz.quantized_gaussian_entropy(bits, k)
    assert 0 < h <= bits + 1e-12
    # (b+1, 2k) refines the partition of (b, k): the entropy cannot go down
    assert qz.quantized_gaussian_entropy(bits + 1, 2 * k) >= h - 1e-12


def test_domains():
    assert qz.entropy_bits_per_weight(0, 1) is None
    assert qz.entropy_bits_per_weight(6, 0) is None
    assert qz.entropy_bits_per_weight(6, float("nan")) is None
    assert qz.entropy_bits_per_weight(True, 2) is None
    assert qz.quantized_gaussian_entropy(qz.EXACT_MAX_BITS + 1, 10) is None
    assert qz.k_for_entropy(6, -2000) is None
