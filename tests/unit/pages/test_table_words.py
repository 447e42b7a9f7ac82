"""A table shows coded columns in words and takes missing headers from the schema's fields; its download keeps the
codes (issue 25 item 6); a picker block holds one variant per choice, the default shown (item 4)."""

from __future__ import annotations

import urllib.parse

import pandas as pd

from evsupply.pages.html import Html, cite_html, table
from evsupply.pages.pickers import picker_block, variant_id


def test_coded_cells_read_as_words_and_the_download_keeps_the_codes():
    frame = pd.DataFrame(
        {"plant": ["Busan"], "production_status": ["in_production"], "stacking": ["all_in"], "country_code": ["ZZZ"]}
    )
    html = table(
        frame, {"plant": "Plant", "production_status": "", "stacking": "How it stacks", "country_code": ""}, "t"
    )
    cells = html.markup.split("<tbody>")[1].split("</tbody>")[0]
    assert "in production" in cells and "in_production" not in cells
    assert "the whole duty (nothing else added)" in cells
    assert "Country unknown" in cells
    assert "<th" in html.markup and ">Latest production claim</th>" in html.markup  # the field's label
    download = urllib.parse.unquote(html.markup.split("</tbody>")[1])
    assert "in_production" in download and "ZZZ" in download  # the CSV keeps the codes


def test_a_citation_reads_as_a_label_with_the_id_in_its_tooltip():
    markup = cite_html(["donga_2025_12_01", "not_a_source_id"])
    assert 'title="donga_2025_12_01">Dong-A Ilbo, 2025</a>' in markup
    assert ">not_a_source_id</a>" in markup  # an id sources.csv does not hold reads as itself


def test_a_picker_block_has_one_variant_per_choice_and_shows_the_default():
    block = picker_block(
        "p",
        {
            "market": ("Market", [("CAN", "Canada"), ("USA", "United <States>")], "USA"),
            "date": ("Day", [("d1", "d1")], "d1"),
        },
        lambda c: Html(f"<b>{c['market']}</b>", f"view {c['market']}"),
    )
    assert block.markup.count("data-variant=") == 2
    assert f'data-variant="{variant_id({"market": "USA", "date": "d1"})}">' in block.markup.replace("&amp;", "&")
    assert 'data-variant="market=CAN&amp;date=d1" hidden' in block.markup
    assert "United &lt;States&gt;" in block.markup  # labels are escaped
    assert block.text == "view USA"
    assert block.markup.count("<script>") == 1
