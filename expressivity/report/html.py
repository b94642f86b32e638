"""Markdown -> HTML for the report's pages, by markdown-it-py (CommonMark).

CommonMark with pipe tables, and heading ids by GitHub's rule (``mdtext.slug``,
repeats get -1, -2 ...), so one link works on GitHub and in the HTML. Raw HTML
in the Markdown is shown as text, except the collapsed blocks the report uses
(``<details>``/``<summary>``), so a claim's text cannot inject markup. Two
report conventions become HTML of their own: a paragraph of linked images, one
a line, is a grid of captioned cards; an image paragraph followed by a
paragraph ``*Figure: ...*`` is a ``<figure>`` with that caption.
"""
import html
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from expressivity.report.mdtext import slug

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222;overflow-wrap:break-word}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .6rem;vertical-align:top}th{background:#f3f3f3}
pre{background:#f6f8fa;padding:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
code{background:#f6f8fa}img{max-width:100%;height:auto}
blockquote{border-left:4px solid #ddd;margin-left:0;padding-left:1rem}
figure{margin:1rem 0}figure img{display:block;width:100%;border:1px solid #eee}
figcaption{font-size:.95rem;color:#444;padding:.25rem 0}
details{margin:.5rem 0}summary{cursor:pointer;color:#444}
.gallery{display:grid;grid-template-columns:1fr;gap:1rem}
.gallery a{color:#222;text-decoration:none}.gallery img{display:block;width:100%;border:1px solid #eee}
.gallery span{display:block;font-size:.95rem;padding:.25rem 0}"""
# The raw HTML the report writes on purpose; any other is escaped.
ALLOWED_HTML = re.compile(r"^\s*(?:(?:</?details>|</?summary>|<summary>[^<>]*</summary>)\s*)+$")
IMAGE = r'<img src="([^"]*)" alt="([^"]*)" />'
GALLERY = re.compile(r"<p>((?:<a href=\"[^\"]*\">" + IMAGE + r"</a>\n?)+)</p>")
LINKED_IMAGE = re.compile(r'<a href="([^"]*)">' + IMAGE + "</a>")
FIGURE = re.compile(r"<p>((?:<a href=\"[^\"]*\">)?)" + IMAGE + r"((?:</a>)?)</p>\n"
                    r"<p><em>(Figure\b.*?)</em></p>")
MD_LINK = re.compile(r'href="([^"#:]+)\.md(#[^"]*)?"')


def _raw_html(self, tokens, idx, options, env):
    """Raw HTML only where it is one of ``ALLOWED_HTML``; otherwise shown as text."""
    content = tokens[idx].content
    if ALLOWED_HTML.match(content):
        return content
    text = html.escape(content)
    return text if tokens[idx].type == "html_inline" else f"<p>{text.strip()}</p>\n"


def renderer():
    """The report's markdown-it: CommonMark, tables, GitHub heading ids, guarded raw HTML."""
    md = (MarkdownIt("commonmark", {"html": True}).enable("table")
          .use(anchors_plugin, min_level=1, max_level=6, slug_func=slug))
    md.add_render_rule("html_block", _raw_html)
    md.add_render_rule("html_inline", _raw_html)
    return md


MARKDOWN = renderer()


def inline(text):
    """Inline Markdown of one line or paragraph -> HTML (no surrounding ``<p>``)."""
    return MARKDOWN.renderInline(text)


def _gallery(match):
    cards = LINKED_IMAGE.sub(r'<a href="\1"><img src="\2" alt="\3" /><span>\3</span></a>',
                             match.group(1).strip())
    return f'<div class="gallery">\n{cards}\n</div>'


def body_html(markdown):
    """The HTML of ``markdown``'s blocks, with the report's galleries and figures."""
    body = MARKDOWN.render(markdown)
    body = FIGURE.sub(r'<figure>\1<img src="\2" alt="\3" />\4<figcaption>\5</figcaption>'
                      r"</figure>", body)
    return GALLERY.sub(_gallery, body)


def markdown_to_html(markdown, title, twins=()):
    """A standalone HTML page showing ``markdown``.

    ``twins`` names Markdown files (as linked, without ``.md``) that have an HTML
    twin: links to them point at the twin instead, ``<name>.html`` for a set, or
    ``<twins[name]>.html`` for a mapping (``{"README": "index"}``).
    """
    body = body_html(markdown).rstrip("\n")
    twins = twins if isinstance(twins, dict) else {t: t for t in twins}
    body = MD_LINK.sub(lambda m: f'href="{twins[m.group(1)]}.html{m.group(2) or ""}"'
                       if m.group(1) in twins else m.group(0), body)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
