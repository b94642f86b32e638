"""Make the Markdown pipe tables of a page fit the text column.

``fit_tables(markdown, …)`` rewrites every pipe table (outside code blocks):
a table wider than the column is split into several tables of consecutive
columns, each repeating the key columns (the shortest run of leading columns,
at most ``MAX_KEYS``, whose values name each row once: ``function`` and ``n``
when ``function`` repeats; the first column when none does); a table longer than
``max_rows`` shows its first rows and links the whole table as a CSV file
written to ``csv_dir``. Widths are estimated in characters: a cell of prose
wraps, so it asks for its longest word (at least ``WRAP`` characters); a cell
without spaces asks for its whole length. Column titles read ``_`` as a space.
"""
import csv
import re
from pathlib import Path

from expressivity.report.mdtext import plain_text

TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
# Characters a text column holds (60rem at about 8 px a character).
COLUMN_CHARS = 110
# Characters each table cell costs beyond its text (padding and border).
CELL_COST = 3
# A prose cell wraps; it asks for at least this many characters (a column title for fewer).
WRAP = 24
WRAP_TITLE = 12
MAX_COLUMNS = 8
MAX_ROWS = 40
MAX_KEYS = 3


def split_cells(line):
    parts = [p.strip() for p in CELL_SPLIT.split(line.strip())]
    return parts[1 if parts and parts[0] == "" else 0: -1 if parts and parts[-1] == "" else None]


def demand(text, wrap=WRAP):
    """Characters a cell needs: its longest word if it can wrap, else its whole length."""
    visible = plain_text(text).replace("\\|", "|")
    words = visible.split()
    if len(words) > 1:
        return min(len(visible), max(wrap, max(len(w) for w in words)))
    return len(visible)


def column_widths(rows):
    """Characters each column needs; ``rows[0]`` is the header (its titles wrap sooner)."""
    return [max(demand(row[i], WRAP_TITLE if k == 0 else WRAP) if i < len(row) else 0
                for k, row in enumerate(rows)) + CELL_COST for i in range(len(rows[0]))]


def key_columns(body, widths, budget=COLUMN_CHARS, max_keys=MAX_KEYS):
    """How many leading columns a part repeats: the fewest (1 to ``max_keys``, using at most half
    the ``budget``) whose values together differ on every row of ``body``; 1 if none do."""
    for keys in range(1, min(max_keys, len(widths) - 1) + 1):
        if sum(widths[:keys]) > budget // 2:
            break
        named = [tuple(row[:keys]) for row in body]
        if len(set(named)) == len(named):
            return keys
    return 1


def column_groups(widths, budget=COLUMN_CHARS, max_columns=MAX_COLUMNS, keys=1):
    """Lists of column indexes (after the ``keys`` key columns) whose widths fit beside them."""
    groups, current, used = [], [], sum(widths[:keys])
    for i in range(keys, len(widths)):
        if current and (used + widths[i] > budget or keys + len(current) >= max_columns):
            groups.append(current)
            current, used = [], sum(widths[:keys])
        current.append(i)
        used += widths[i]
    return groups + [current] if current else groups


def render(header, rows, columns, keys=1):
    pick = [*range(keys), *columns]
    lines = ["| " + " | ".join(header[i] for i in pick) + " |",
             "|" + "|".join(" --- " for _ in pick) + "|"]
    lines += ["| " + " | ".join(row[i] if i < len(row) else "" for i in pick) + " |"
              for row in rows]
    return "\n".join(lines)


def readable_header(text):
    """A column title with underscores as spaces (outside `code`), so it reads and wraps."""
    parts = text.split("`")
    return "`".join(p.replace("_", " ") if i % 2 == 0 else p for i, p in enumerate(parts))


def fit_table(lines, csv_path=None, csv_link=None, budget=COLUMN_CHARS, max_rows=MAX_ROWS):
    """One pipe table (its lines) as Markdown that fits: split by columns, long ones cut."""
    header = [readable_header(h) for h in split_cells(lines[0])]
    body = [split_cells(x) for x in lines[2:]]
    note = []
    if len(body) > max_rows and csv_path is not None:
        write_csv(csv_path, header, body)
        note = [f"*The first {max_rows} of {len(body)} rows; every row: "
                f"[{Path(csv_link).name}]({csv_link}).*"]
        body = body[:max_rows]
    widths = column_widths([header, *body])
    if sum(widths) <= budget and len(header) <= MAX_COLUMNS:
        return "\n\n".join([render(header, body, range(1, len(header))), *note])
    keys = key_columns(body, widths, budget)
    groups = column_groups(widths, budget, keys=keys)
    repeated = "the first column" if keys == 1 else f"the first {keys} columns"
    parts = []
    for k, group in enumerate(groups, 1):
        span = f"{group[0] + 1}–{group[-1] + 1}" if len(group) > 1 else f"{group[0] + 1}"
        parts.append(f"*Part {k} of {len(groups)}: columns {span} of {len(header)} "
                     f"({repeated} repeated).*")
        parts.append(render(header, body, group, keys))
    return "\n\n".join(parts + note)


def write_csv(path, header, rows):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([plain_text(h) for h in header])
        out.writerows([plain_text(c).replace("\\|", "|") for c in row] for row in rows)


def fit_tables(markdown, csv_dir=None, csv_prefix="", name="table", budget=COLUMN_CHARS,
               max_rows=MAX_ROWS):
    """``markdown`` with every pipe table made to fit (see the module's docstring).

    ``csv_dir`` receives ``<name>-<k>.csv`` for long tables, linked as
    ``<csv_prefix><name>-<k>.csv``; without it long tables are kept whole.
    """
    lines, out, i, fenced, count = markdown.split("\n"), [], 0, False, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.lstrip().startswith("|") and i + 1 < len(lines) \
                and TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            count += 1
            file = f"{name}-{count}.csv"
            out.append(fit_table(lines[i:end], None if csv_dir is None else Path(csv_dir) / file,
                                 f"{csv_prefix}{file}", budget, max_rows))
            i = end
            continue
        out.append(line)
        i += 1
    return "\n".join(out)
