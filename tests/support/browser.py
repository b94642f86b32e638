"""Check HTML pages in a real headless browser (Chromium) and their links on disk.

``measure`` runs headless Chromium once (``--dump-dom``) on a harness page
that loads every page in turn into an iframe of a given size and, after the
page's ``load`` event, reads what the browser laid out: the viewport width,
the document's scroll width and height, every image and whether it decoded,
and the elements whose right edge passes the viewport. The pages are not
changed and nothing is written beside them. ``broken_links`` resolves every
``href`` and ``src`` of a page on disk, including ``#anchors`` against the
target page's ids.
"""
import html.parser
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MARK = "expressivity-measure"
# Loads each page into an iframe of the given size, one after another, and measures it
# from outside once the page (and its images) finished loading.
HARNESS = """<!DOCTYPE html><html><body><pre id="%(mark)s"></pre>
<iframe id="frame" style="width:%(width)dpx;height:%(height)dpx;border:0"></iframe>
<script>
var pages = %(pages)s, results = [], i = 0, frame = document.getElementById('frame');
function measure(win, doc) {
  var width = win.innerWidth, wide = [], widest = {right: 0};
  doc.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect(), right = r.right + win.scrollX;
    var item = {tag: e.tagName.toLowerCase(), id: e.id, right: Math.round(right),
                width: Math.round(r.width), text: (e.textContent || '').trim().slice(0, 60)};
    if (right > widest.right) widest = item;
    if (right > width + 0.5) wide.push(item);
  });
  var images = [].slice.call(doc.images).map(function (im) {
    var fig = im.closest('figure'), cap = fig && fig.querySelector('figcaption');
    return {src: im.getAttribute('src'), loaded: im.complete && im.naturalWidth > 0,
            width: im.naturalWidth, shown: im.getBoundingClientRect().width,
            caption: cap ? cap.textContent.trim() : ''};
  });
  return {innerWidth: width, scrollWidth: doc.documentElement.scrollWidth,
          height: Math.round(doc.documentElement.getBoundingClientRect().height),
          images: images, widest: widest, wide: wide.slice(0, 20), wideCount: wide.length};
}
function next() {
  if (i >= pages.length) {
    document.getElementById('%(mark)s').textContent = JSON.stringify(results);
    return;
  }
  frame.onload = function () {
    try { results.push(measure(frame.contentWindow, frame.contentDocument)); }
    catch (error) { results.push({error: String(error)}); }
    i += 1;
    next();
  };
  frame.src = pages[i];
}
next();
</script></body></html>"""


def find_browser():
    """Path of a Chromium or Chrome binary on PATH, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def measure(pages, scratch, browser, width=1280, height=900, timeout=300):
    """What Chromium lays out for each HTML file in ``pages``, in one browser run.

    The harness page is written to ``scratch``; nothing is written beside the
    pages. Returns one dict per page: innerWidth, scrollWidth, height (px),
    images [{src, loaded, width, shown (CSS px), caption (of its <figure>, or '')}], widest {tag, id, right, width, text}, wide
    (elements past the right edge of the viewport, first 20) and wideCount.
    """
    uris = [Path(p).resolve().as_uri() for p in pages]
    harness = Path(scratch) / "measure.html"
    harness.write_text(HARNESS % {"mark": MARK, "width": width, "height": height,
                                  "pages": json.dumps(uris)}, encoding="utf-8")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--window-size={width + 40},{height + 40}", "--virtual-time-budget=60000",
               "--allow-file-access-from-files", "--dump-dom", harness.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    start = done.stdout.find(f'<pre id="{MARK}">')
    body = done.stdout[start:].split(">", 1)[1].split("</pre>", 1)[0] if start >= 0 else ""
    if not body:
        raise RuntimeError(f"{browser} printed no measurement (exit {done.returncode}): "
                           f"{done.stderr[-800:]}")
    return json.loads(html.unescape(body))


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.refs.append(attrs[key])


def _parse(path):
    parser = _Refs()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def broken_links(page):
    """[(reference, reason)] for every href/src of ``page`` that does not resolve on disk.

    Links to the web (http, https, mailto) are not followed; they are not broken here.
    """
    page = Path(page)
    broken = []
    for ref in _parse(page).refs:
        parts = urlsplit(ref)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.exists():
            broken.append((ref, f"no file {target}"))
        elif parts.fragment and target.suffix == ".html" and \
                unquote(parts.fragment) not in _parse(target).ids:
            broken.append((ref, f"no id {parts.fragment!r} in {target.name}"))
    return broken


def html_pages(folder):
    """Every HTML file below ``folder``."""
    return sorted(Path(folder).rglob("*.html"))
