"""The HTML report in a real headless browser: figures load, links resolve, nothing is wider
than the page. Run on a small report made here and on the committed ``reports/``."""
from pathlib import Path

import numpy as np
import pytest

from tests.support.browser import broken_links, find_browser, html_pages, measure
from expressivity.claims.contract import Decision, Finding
from expressivity.claims.plots import DPI, figure, save
from expressivity.report.mdtext import table
from expressivity.report.build import ClaimOutcome, write_report

ROOT = Path(__file__).resolve().parents[2]
BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium or Chrome binary on PATH (Debian: apt-get install "
                            "chromium; .ci/run installs it), so the HTML report is not opened")
PROVENANCE = {"profile": "quick", "command": "expressivity reproduce --profile quick",
              "generated": "2026-01-01 00:00 UTC", "git_commit": "a" * 40, "runs": "runs/quick",
              "versions": {"python": "3.11", "numpy": "2.0"}, "total_seconds": 1.5,
              "problems": []}


def plot(folder, name, ncols=1):
    """A figure of ``ncols`` panels (three: as wide as depth vs width's), legends in place."""
    fig, axes = figure(ncols=ncols)
    for ax in axes[0]:
        n = np.arange(2, 11)
        ax.plot(n, 2.0 ** n, marker="o", label="random tables")
        ax.plot(n, n, marker="s", label="parity")
        ax.set(yscale="log", xlabel="input bits n", ylabel="minimal width (hidden units)")
        ax.legend()
    return save(fig, folder, name)


def synthetic_outcomes(out_dir):
    """Three claims with real figures, a wide table, a long table, labelled and raw numbers."""
    wide = table(["cell"] + [f"p_largest_column_{k}" for k in range(1, 15)],
                 [[f"parity-{r}"] + [f"{0.1234567 * k:.6f}" for k in range(1, 15)]
                  for r in range(4)])
    long = table(("n", "width"), [(n, n * n) for n in range(120)])
    outcomes = []
    for i, claim_id in enumerate(("depth", "relu", "loss")):
        figures = [plot(out_dir / "figures" / claim_id, f"{claim_id}.png", ncols=1 + 2 * (i == 1))]
        exists = Decision("supported", {"parity.class": "linear", "n": [8]})
        training = Decision(("refuted", "mixed", "not tested")[i],
                            {"random.growth_factor": 1.4712, "random.r2": float("nan")})
        finding = Finding(claim_id, exists, training, f"What was found for {claim_id}.",
                          figures=figures, tables=["Wide\n\n" + wide, "Long\n\n" + long],
                          caveats=["a caveat"],
                          labels={"*.growth_factor": ("{} tables: width growth per input bit",
                                                      "×")})
        claim = {"id": claim_id, "title": f"Claim {claim_id}", "statement": "It holds.",
                 "rule": "supported if it holds", "sweeps": [claim_id]}
        outcomes.append(ClaimOutcome(claim=claim, finding=finding,
                                     sweeps={claim_id: "finished"}, jobs=2, seconds=1.0))
    return outcomes


def check_in_browser(folder, scratch):
    """Measure every page of the report in ``folder``; assert the reader's view; front page."""
    pages = html_pages(folder)
    assert (Path(folder) / "index.html") in pages
    measured = dict(zip(pages, measure(pages, scratch, BROWSER)))
    for page, m in measured.items():
        name = Path(page).relative_to(folder)
        assert "error" not in m, (name, m)
        assert [i["src"] for i in m["images"] if not i["loaded"]] == [], name
        assert m["scrollWidth"] <= m["innerWidth"], (name, m["widest"])
        assert m["wideCount"] == 0, (name, m["wide"][:3])
        assert broken_links(page) == [], name
        for image in m["images"]:
            check_figure(page, image, name)
    return measured[Path(folder) / "index.html"]


def check_figure(page, image, name):
    """A report figure has a caption, and its legend reads >= 9 pt (12 CSS px) where shown,
    clear of the data (the PNG records its legend size and overlap: claims/plots.save)."""
    from PIL import Image
    assert image["caption"].startswith("Figure "), (name, image["src"])
    with Image.open(Path(page).parent / image["src"]) as png:
        facts = dict(png.info)
    if facts.get("Legend-Font-Pt"):
        on_page_px = float(facts["Legend-Font-Pt"]) * DPI / 72 * image["shown"] / image["width"]
        assert on_page_px >= 12 - 0.05, (name, image["src"], round(on_page_px, 1))
    assert facts.get("Legend-Over-Data", "no") == "no", (name, image["src"])


@needs_browser
def test_a_small_report_reads_well_in_a_browser(tmp_path):
    out = tmp_path / "report"
    write_report(synthetic_outcomes(out), out, PROVENANCE)
    front = check_in_browser(out, tmp_path)
    assert len(front["images"]) == 3
    assert front["height"] < 4000
    claim = (out / "claims" / "depth.md").read_text()
    assert "| random tables: width growth per input bit | 1.4712× |" in claim
    assert "nan" not in claim and "[8]" not in claim and "growth_factor" not in claim
    assert "*Part 1 of" in claim and "](../data/tables/depth-" in claim


@needs_browser
def test_the_committed_report_reads_well_in_a_browser(tmp_path, record_property):
    reports = ROOT / "reports"
    if not (reports / "claims").is_dir():
        pytest.skip("the committed reports/ predate the page layout (no reports/claims/); "
                    "`expressivity reproduce --profile full` regenerates them")
    if "<figcaption>" not in (reports / "index.html").read_text(encoding="utf-8"):
        pytest.skip("the committed reports/ predate figure captions and the legend size "
                    "recorded in each PNG; `expressivity reproduce --profile full` "
                    "regenerates them")
    front = check_in_browser(reports, tmp_path)
    record_property("front_page_height_px", front["height"])
    record_property("widest_element_px", front["widest"]["width"])
    print(f"front page: {front['height']} px tall; widest element {front['widest']}")
