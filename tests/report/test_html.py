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
        '<a href="x.md">t</a> <img alt="f" src="figures/a.png"> &lt;script&gt;'
    assert inline("depth_vs_width and 2*3*4") == "depth_vs_width and 2*3*4"


def test_blocks_become_headings_lists_code_tables_and_paragraphs():
    markdown = ("# Title\n\nSome *text*\nover two lines.\n\n- one\n- two\n  continued\n\n"
                "1. first\n2. second\n\n```bash\nx < y\n```\n\n> quoted\n\n"
                "| n | w\\|x |\n|---:|:---:|\n| 3 | 2 |\n\n## Title\n")
    body = markdown_to_html(markdown, "T").split("<body>\n")[1].split("\n</body>")[0]
    assert body.split("\n") == [
        '<h1 id="title">Title</h1>',
        "<p>Some <em>text</em>", "over two lines.</p>",
        "<ul>", "<li>one</li>", "<li>two continued</li>", "</ul>",
        "<ol>", "<li>first</li>", "<li>second</li>", "</ol>",
        "<pre><code>x &lt; y</code></pre>",
        "<blockquote><p>quoted</p></blockquote>",
        "<table>",
        '<thead><tr><th style="text-align:right">n</th><th style="text-align:center">w|x</th>'
        "</tr></thead>",
        "<tbody>",
        '<tr><td style="text-align:right">3</td><td style="text-align:center">2</td></tr>',
        "</tbody>", "</table>",
        '<h2 id="title-1">Title</h2>',
    ]
