"""The growth table of threshold counts: values, checks that can fail, and the falling shares."""
import numpy as np
import pandas as pd

from expressivity.claims.counting.growth import check_known, growth_frame, shares_fall


def test_growth_frame_to_four_bits():
    f = growth_frame(4, 4)
    assert f["threshold"].tolist() == [4, 14, 104, 1882]
    assert f["two_units"].tolist() == [4, 16, 254, 41614]
    assert check_known(f)
    assert shares_fall(f, "threshold_share", 1) and shares_fall(f, "two_unit_share", 2)
    assert not shares_fall(f, "two_unit_share", 1)          # 1.0 at n = 1 and n = 2: not strictly falling
    assert f["counts_by_max_weight"].iloc[2] == "m=1: 56, m=2: 104, m=3: 104"


def test_checks_fail_on_wrong_or_unstable_counts():
    f = pd.DataFrame({"n": [1, 2], "threshold": [4, 13], "known": [4, 14], "stable_at_m": [1, 1]})
    assert not check_known(f)
    f = pd.DataFrame({"n": [1, 2], "threshold": [4, 14], "known": [4, 14], "stable_at_m": [1, np.nan]})
    assert not check_known(f)
    g = pd.DataFrame({"n": [1, 2, 3], "s": [0.5, 0.6, 0.1]})
    assert not shares_fall(g, "s", 1) and shares_fall(g, "s", 2)


def test_universal_width_lower_bound_by_hand():
    from expressivity.claims.counting.growth import log2_threshold_bound, universal_width_lower_bound
    from expressivity.theory.threshold_sorted import KNOWN
    # n = 4: one unit gives 1882 * 4 < 2^16 functions; two units pass the count
    assert universal_width_lower_bound(4, KNOWN) == 2
    assert log2_threshold_bound(7, KNOWN) == 49.0
    # n = 10 with the m^2 bound: 9 * 100 + 81 < 1024 <= 10 * 100 + 100
    assert universal_width_lower_bound(10, KNOWN) == 10
    widths = [universal_width_lower_bound(n, KNOWN) for n in range(1, 13)]
    assert all(w <= 2 ** (n - 1) for n, w in zip(range(1, 13), widths))   # the DNF width is above it
    assert widths[-1] > 12                                               # and it outgrows n
