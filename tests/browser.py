"""Check HTML pages in a real headless browser (Chromium) and their links on disk.

``measure`` opens an instrumented copy of a page in headless Chromium
(``--dump-dom``): a script run after the page's ``load`` event writes what the
browser laid out into the DOM — the viewport width, the document's scroll
width and height, every image and whether it decoded, and the elements whose
right edge passes the viewport. Only the copy is instrumented: the report
folder is mirrored with symbolic links into a scratch folder, so nothing is
written beside the report. ``broken_links`` resolves every ``href`` and ``src``
of a page on disk, including ``#anchors`` against the target page's ids.
"""
import html.parser
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MARK = "expressivity-measure"
SCRIPT = """<pre id="%s"></pre><script>
window.addEventListener('load', function () {
  var width = window.innerWidth, wide = [], widest = {right: 0};
  document.querySelectorAll('body *').forEach(function (e) {
    if (e.id === '%s') return;
    var r = e.getBoundingClientRect(), right = r.right + window.scrollX;
    var item = {tag: e.tagName.toLowerCase(), id: e.id, right: Math.round(right),
                width: Math.round(r.width), text: (e.textContent || '').trim().slice(0, 60)};
    if (right > widest.right) widest = item;
    if (right > width + 0.5) wide.push(item);
  });
  var images = [].slice.call(document.images).map(function (i) {
    return {src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
            width: i.naturalWidth};
  });
  document.getElementById('%s').textContent = JSON.stringify({
    innerWidth: width, scrollWidth: document.documentElement.scrollWidth,
    height: Math.round(document.documentElement.getBoundingClientRect().height),
    images: images, widest: widest, wide: wide.slice(0, 20), wideCount: wide.length});
});
</script>""" % (MARK, MARK, MARK)


def find_browser():
    """Path of a Chromium or Chrome binary on PATH, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def mirror(folder, scratch):
    """Symlink every file of ``folder`` into ``scratch`` (same tree); HTML files are copied."""
    folder, scratch = Path(folder).resolve(), Path(scratch)
    for root, _, files in os.walk(folder):
        target = scratch / Path(root).relative_to(folder)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            source = Path(root) / name
            if name.endswith(".html"):
                shutil.copyfile(source, target / name)
            else:
                (target / name).symlink_to(source)
    return scratch


def measure(page, scratch, browser, width=1280, height=900, timeout=120):
    """What Chromium lays out for ``page`` (an HTML file inside ``scratch``, see ``mirror``).

    Returns a dict: innerWidth, scrollWidth, height (px), images [{src, loaded,
    width}], widest {tag, id, right, width, text}, wide (elements past the
    viewport's right edge, first 20) and wideCount.
    """
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", SCRIPT + "\n</body>"), encoding="utf-8")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--window-size={width},{height}", "--virtual-time-budget=10000",
               "--allow-file-access-from-files", "--dump-dom", page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    start = done.stdout.find(f'<pre id="{MARK}">')
    if start < 0:
        raise RuntimeError(f"{browser} printed no measurement for {page} "
                           f"(exit {done.returncode}): {done.stderr[-800:]}")
    body = done.stdout[start:].split(">", 1)[1].split("</pre>", 1)[0]
    return json.loads(html.unescape(body)) if body else {}


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
