"""A tiny Markdown -> HTML converter for the report's ``index.html``.

It knows the subset the report is written in: headings (with GitHub's anchor
ids), paragraphs, bullet and numbered lists, fenced code blocks, block quotes,
pipe tables (with alignment), images, links, ``code``, **bold** and *italic*.
All text is HTML-escaped first, so a claim's text cannot inject markup.
"""
import html
import re

from expressivity.report.mdtext import slug

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222;overflow-wrap:break-word}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .6rem;vertical-align:top}th{background:#f3f3f3}
pre{background:#f6f8fa;padding:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
code{background:#f6f8fa}img{max-width:100%;height:auto}
blockquote{border-left:4px solid #ddd;margin-left:0;padding-left:1rem}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr));
gap:1rem}.gallery a{color:#222;text-decoration:none}.gallery img{display:block;width:100%;border:1px solid #eee}
.gallery span{display:block;font-size:.9rem;padding:.25rem 0}"""
GALLERY_ITEM = re.compile(r'^\[!\[[^\]]*\]\([^)\s]+\)\]\([^)\s]+\)$')
LINKED_IMAGE = re.compile(r'<a href="([^"]*)"><img alt="([^"]*)" src="([^"]*)"></a>')
MD_LINK = re.compile(r'href="([^"#:]+)\.md(#[^"]*)?"')

FENCE = re.compile(r"^```")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+\.\s+(.*)$")
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def inline(text):
    """Inline Markdown of one line or paragraph -> HTML (escaped, then marked up)."""
    codes = []

    def keep_code(match):
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = html.escape(text, quote=True)
    out = re.sub(r"`([^`]+)`", keep_code, out)      # code spans are left as they are
    out = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", r'<img alt="\1" src="\2">', out)
    out = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", out)
    out = out.replace("\\|", "|")
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], out)


def cells(line):
    parts = [p.strip() for p in CELL_SPLIT.split(line.strip())]
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return parts


def alignment(rule_cell):
    left, right = rule_cell.startswith(":"), rule_cell.endswith(":")
    name = "center" if left and right else "right" if right else "left" if left else None
    return f' style="text-align:{name}"' if name else ""


def table_html(lines):
    header, rule, body = cells(lines[0]), cells(lines[1]), [cells(x) for x in lines[2:]]
    aligns = [alignment(r) for r in rule] + [""] * len(header)
    head = "".join(f"<th{aligns[i]}>{inline(c)}</th>" for i, c in enumerate(header))
    rows = "".join("<tr>" + "".join(f"<td{aligns[i]}>{inline(c)}</td>" for i, c in enumerate(row))
                   + "</tr>\n" for row in body)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"


def blocks(lines):
    """Split Markdown lines into (kind, lines) blocks."""
    i, out = 0, []
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif FENCE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if FENCE.match(lines[j])), len(lines))
            out.append(("code", lines[i + 1:end]))
            i = end + 1
        elif HEADING.match(line):
            out.append(("heading", [line]))
            i += 1
        else:
            kind = block_kind(lines, i)
            j = i + 1
            while j < len(lines) and lines[j].strip() and continues(kind, lines[j]):
                j += 1
            out.append((kind, lines[i:j]))
            i = j
    return out


def block_kind(lines, i):
    line = lines[i]
    if line.lstrip().startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
        return "table"
    if BULLET.match(line):
        return "ul"
    if NUMBERED.match(line):
        return "ol"
    if line.startswith(">"):
        return "quote"
    return "p"


def continues(kind, line):
    """Whether ``line`` still belongs to the open block of ``kind``."""
    if FENCE.match(line) or HEADING.match(line):
        return False
    if kind == "table":
        return line.lstrip().startswith("|")
    if kind == "quote":
        return line.startswith(">")
    if kind in ("ul", "ol"):
        return True
    return not (BULLET.match(line) or NUMBERED.match(line) or line.lstrip().startswith("|"))


def list_html(tag, lines):
    pattern = BULLET if tag == "ul" else NUMBERED
    items = []
    for line in lines:
        match = pattern.match(line)
        if match:
            items.append(match.group(1))
        elif items:
            items[-1] += " " + line.strip()   # an indented continuation of the last item
    return f"<{tag}>\n" + "".join(f"<li>{inline(x)}</li>\n" for x in items) + f"</{tag}>"


def unique_id(text, used):
    """GitHub's anchor for a heading, with -1, -2 … appended to repeats (ids must be unique)."""
    base = slug(text)
    anchor, count = base, used.get(base, 0)
    if count:
        anchor = f"{base}-{count}"
    used[base] = count + 1
    return anchor


def block_html(kind, lines, used_ids):
    if kind == "code":
        return "<pre><code>" + html.escape("\n".join(lines)) + "</code></pre>"
    if kind == "heading":
        hashes, text = HEADING.match(lines[0]).groups()
        level = len(hashes)
        anchor = html.escape(unique_id(text, used_ids))
        return f'<h{level} id="{anchor}">{inline(text)}</h{level}>'
    if kind == "table":
        return table_html(lines)
    if kind in ("ul", "ol"):
        return list_html(kind, lines)
    if kind == "quote":
        return "<blockquote><p>" + inline(" ".join(x.lstrip(">").strip() for x in lines)) \
            + "</p></blockquote>"
    if all(GALLERY_ITEM.match(x.strip()) for x in lines):
        return gallery_html(lines)
    return "<p>" + inline("\n".join(x.strip() for x in lines)) + "</p>"


def gallery_html(lines):
    """A paragraph of linked images, one a line, as a grid of captioned cards."""
    cards = LINKED_IMAGE.sub(r'<a href="\1"><img alt="\2" src="\3"><span>\2</span></a>',
                             "\n".join(inline(x.strip()) for x in lines))
    return f'<div class="gallery">\n{cards}\n</div>'


def markdown_to_html(markdown, title, twins=()):
    """A standalone HTML page showing ``markdown``.

    ``twins`` names Markdown files (as linked, without ``.md``) that have an HTML
    twin: links to them point at the twin instead, ``<name>.html`` for a set, or
    ``<twins[name]>.html`` for a mapping (``{"README": "index"}``).
    """
    used_ids = {}
    body = "\n".join(block_html(kind, lines, used_ids)
                     for kind, lines in blocks(markdown.splitlines()))
    twins = twins if isinstance(twins, dict) else {t: t for t in twins}
    body = MD_LINK.sub(lambda m: f'href="{twins[m.group(1)]}.html{m.group(2) or ""}"'
                       if m.group(1) in twins else m.group(0), body)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
