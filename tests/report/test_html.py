"""The report's text helpers: numbers as text, GitHub anchors, Markdown -> HTML."""
import math

import numpy as np

from expressivity.report.html import inline, markdown_to_html
from expressivity.report.mdtext import format_number, slug, table


def test_numbers_are_short_and_say_what_is_not_a_number():
    assert [format_number(v) for v in (0.123456, 7, True, False, None, math.nan, math.inf,
                                       -math.inf, "x", [0.5, 2], np.float64(1 / 3), np.int64(3))] \
        == ["0.1235", "7", "yes", "no", "—", "n/a", "∞", "−∞", "x", "[0.5, 2]", "0.3333", "3"]
    assert format_number(123456.0) == "1.235e+05"
    assert format_number(0.123456, 6) == "0.123456"


def test_anchors_follow_githubs_rule():
    # GitHub: lower case, drop characters that are not word, space or hyphen, spaces -> hyphens.
    assert slug("1. Depth versus width (`depth_vs_width`)") == "1-depth-versus-width-depth_vs_width"
    assert slug("Decision rule (written before the run)") == "decision-rule-written-before-the-run"
    assert slug("Sigmoid — or ReLU?") == "sigmoid--or-relu"


def test_a_table_escapes_pipes_and_joins_lines():
    assert table(("a", "b|c"), [(1, "x\ny")]) == "| a | b\\|c |\n| --- | --- |\n| 1 | x y |"


def test_inline_markup_and_escaping():
    assert inline("**bold** and *it* and `a<b*c*`") == \
        "<strong>bold</strong> and <em>it</em> and <code>a&lt;b*c*</code>"
    assert inline("[t](x.md) ![f](figures/a.png) <script>") == \
        '<a href="x.md">t</a> <img src="figures/a.png" alt="f" /> &lt;script&gt;'
    # CommonMark, as GitHub shows the Markdown: intraword _ is text, spaced * is text.
    assert inline("depth_vs_width and 2 * 3 * 4") == "depth_vs_width and 2 * 3 * 4"


def body(markdown):
    return markdown_to_html(markdown, "T").split("<body>\n")[1].split("\n</body>")[0]


def test_blocks_become_headings_lists_code_tables_and_paragraphs():
    markdown = ("# Title\n\nSome *text*\nover two lines.\n\n- one\n- two\n  continued\n\n"
                "1. first\n2. second\n\n```bash\nx < y\n```\n\n> quoted\n\n"
                "| n | w\\|x |\n|---:|:---:|\n| 3 | 2 |\n\n## Title\n")
    assert body(markdown).split("\n") == [
        '<h1 id="title">Title</h1>',
        "<p>Some <em>text</em>", "over two lines.</p>",
        "<ul>", "<li>one</li>", "<li>two", "continued</li>", "</ul>",
        "<ol>", "<li>first</li>", "<li>second</li>", "</ol>",
        '<pre><code class="language-bash">x &lt; y', "</code></pre>",
        "<blockquote>", "<p>quoted</p>", "</blockquote>",
        "<table>", "<thead>", "<tr>", '<th style="text-align:right">n</th>',
        '<th style="text-align:center">w|x</th>', "</tr>", "</thead>", "<tbody>", "<tr>",
        '<td style="text-align:right">3</td>', '<td style="text-align:center">2</td>', "</tr>",
        "</tbody>", "</table>",
        '<h2 id="title-1">Title</h2>',
    ]


def test_a_paragraph_after_a_list_is_its_own_paragraph():
    # The hand-written converter merged this paragraph into the last bullet (issue 22).
    html = body("- a point\n- the last point\n\nEvery number above comes from training.")
    assert html.endswith("<li>the last point</li>\n</ul>\n"
                         "<p>Every number above comes from training.</p>")


def test_raw_html_is_text_except_the_collapsed_blocks_the_report_writes():
    html = body("<details><summary>The rule's identifiers</summary>\n\n`min_fits`: 10\n\n"
                "</details>\n\n<script>alert(1)</script>\n\nand <b>bold</b>")
    assert "<details><summary>The rule's identifiers</summary>" in html
    assert "<p><code>min_fits</code>: 10</p>\n</details>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_heading_ids_follow_githubs_rule_so_links_work_in_both():
    html = body("## 1. Depth versus width (`depth_vs_width`)\n\n## Sigmoid — or ReLU?")
    assert '<h2 id="1-depth-versus-width-depth_vs_width">' in html
    assert '<h2 id="sigmoid--or-relu">' in html


def test_image_with_a_figure_caption_becomes_a_figure():
    html = body("![loss curves](figures/a.png)\n\n*Figure: the loss of every restart.*")
    assert html == ('<figure><img src="figures/a.png" alt="loss curves" />'
                    "<figcaption>Figure: the loss of every restart.</figcaption></figure>")


def test_linked_images_one_a_line_become_captioned_cards_and_md_links_their_twins():
    page = markdown_to_html("[![A: supported](f/a.png)](claims/a.md)\n"
                            "[![B: mixed](f/b.png)](claims/b.md#result)",
                            "T", twins={"claims/a": "claims/a", "claims/b": "claims/b"})
    assert '<div class="gallery">' in page
    assert '<a href="claims/a.html"><img src="f/a.png" alt="A: supported" />' \
        "<span>A: supported</span></a>" in page
    assert 'href="claims/b.html#result"' in page


def test_a_linked_image_with_a_caption_is_a_linked_figure_not_a_gallery():
    html = body("[![A: x](f/a.png)](claims/a.md)\n\n*Figure 1: growth (claim 1).*")
    assert html == ('<figure><a href="claims/a.md"><img src="f/a.png" alt="A: x" /></a>'
                    "<figcaption>Figure 1: growth (claim 1).</figcaption></figure>")
