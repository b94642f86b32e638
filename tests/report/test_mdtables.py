"""Tables that fit the text column: wide ones split by columns, long ones linked as CSV."""
import csv

from expressivity.report.mdtables import (COLUMN_CHARS, MAX_COLUMNS, column_widths, demand, fit_tables,
                                   key_columns, split_cells)
from expressivity.report.mdtext import table


def tables_in(markdown):
    """[(header, rows)] of every pipe table in ``markdown``."""
    found, lines, i = [], markdown.split("\n"), 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and "---" in lines[i + 1]:
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            found.append((split_cells(lines[i]), [split_cells(x) for x in lines[i + 2:end]]))
            i = end
        else:
            i += 1
    return found


def wide_table(columns=14, rows=3):
    header = ["cell"] + [f"p_largest_column_{k}" for k in range(1, columns)]
    body = [[f"parity-{r}"] + [f"{0.123456 * k * (r + 1):.6f}" for k in range(1, columns)]
            for r in range(rows)]
    return header, body


def test_a_wide_table_is_split_into_parts_that_fit_and_keep_every_cell():
    header, body = wide_table()
    fitted = fit_tables("Caption\n\n" + table(header, body) + "\n\nafter")
    parts = tables_in(fitted)
    assert len(parts) > 1
    assert fitted.startswith("Caption") and fitted.endswith("after")
    seen = []
    for part_header, part_rows in parts:
        assert part_header[0] == "cell"
        assert [r[0] for r in part_rows] == [r[0] for r in body]
        assert sum(column_widths([part_header, *part_rows])) <= COLUMN_CHARS
        assert len(part_header) <= MAX_COLUMNS
        seen += part_header[1:]
    assert seen == [h.replace("_", " ") for h in header[1:]]
    assert f"Part 1 of {len(parts)}: columns 2–" in fitted


def test_every_part_repeats_the_columns_that_name_a_row_when_the_first_repeats():
    header = ["function", "n"] + [f"trained_width_at_depth_{k}" for k in range(1, 10)]
    body = [[f, str(n)] + [f"{n + k} (bound), 8000x8" for k in range(1, 10)]
            for f in ("parity", "random") for n in (4, 6, 8)]
    fitted = fit_tables(table(header, body))
    parts = tables_in(fitted)
    assert len(parts) > 1
    seen = []
    for part_header, part_rows in parts:
        assert part_header[:2] == ["function", "n"]
        assert [r[:2] for r in part_rows] == [r[:2] for r in body]
        assert sum(column_widths([part_header, *part_rows])) <= COLUMN_CHARS
        seen += part_header[2:]
    assert seen == [h.replace("_", " ") for h in header[2:]]
    assert "(the first 2 columns repeated)" in fitted and "columns 3–" in fitted


def test_key_columns_are_the_fewest_leading_columns_that_name_each_row():
    widths = [10, 5, 5, 20]
    assert key_columns([["a", "1", "x", ""], ["b", "1", "x", ""]], widths) == 1
    assert key_columns([["a", "1", "x", ""], ["a", "2", "x", ""]], widths) == 2
    assert key_columns([["a", "1", "x", ""], ["a", "1", "y", ""]], widths) == 3
    assert key_columns([["a", "1", "x", ""], ["a", "1", "x", ""]], widths) == 1   # no prefix names a row
    assert key_columns([["a", "1", "x", ""], ["a", "2", "x", ""]], [60, 5, 5, 20], budget=110) == 1


def test_a_table_that_fits_is_left_as_it_is():
    markdown = table(("claim", "verdict"), [("restarts", "supported"), ("loss", "mixed")])
    assert fit_tables(markdown) == markdown


def test_prose_cells_wrap_so_a_long_sentence_does_not_make_a_table_wide():
    sentence = "the essay says that restarts rescue training from local minima " * 3
    assert demand(sentence) == 24
    assert demand("`expressivity/conf/experiment/depth_vs_width.yaml`") == 48
    markdown = table(("claim", "what it says"), [("restarts", sentence)])
    assert fit_tables(markdown) == markdown


def test_a_long_table_shows_its_first_rows_and_links_every_row_as_csv(tmp_path):
    rows = [(f"row {k}", k * k) for k in range(100)]
    markdown = "intro\n\n" + table(("name", "square"), rows)
    fitted = fit_tables(markdown, csv_dir=tmp_path / "csv", csv_prefix="../data/", name="restarts",
                        max_rows=40)
    (header, shown), = tables_in(fitted)
    assert len(shown) == 40 and shown[-1] == ["row 39", "1521"]
    assert "*The first 40 of 100 rows; every row: [restarts-1.csv](../data/restarts-1.csv).*" \
        in fitted
    with open(tmp_path / "csv" / "restarts-1.csv", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["name", "square"] and len(written) == 101
    assert written[-1] == ["row 99", "9801"]


def test_column_titles_read_underscores_as_spaces_except_in_code():
    fitted = fit_tables(table(("p_largest", "`model.init_scale`"), [(1, 2)]))
    assert fitted.splitlines()[0] == "| p largest | `model.init_scale` |"


def test_tables_inside_code_blocks_are_not_touched():
    header, body = wide_table()
    markdown = "```\n" + table(header, body) + "\n```"
    assert fit_tables(markdown) == markdown
