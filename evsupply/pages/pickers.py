"""Pickers that compose, offline (issue 25 item 4): a block of variants pre-rendered at render time, one per choice
of its pickers, and one small shared script (`pickers.js`, inlined) that shows the chosen one and keeps the choice in
the URL hash (`#date=2026-12-08&market=CAN`), so a view can be linked and opened from `file://`."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from evsupply.pages.html import Html, esc

Choice = tuple[str, str]  # (value in the URL, label a reader sees)


@cache
def script() -> str:
    """The shared picker script, safe inside a <script> element."""
    text = (Path(__file__).with_name("pickers.js")).read_text(encoding="utf-8")
    return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"


def variant_id(choice: dict[str, str]) -> str:
    """The id of one variant: its keys in the pickers' order, 'market=CAN&date=2026-12-08'."""
    return "&".join(f"{k}={v}" for k, v in choice.items())


def picker_block(
    name: str,
    pickers: dict[str, tuple[str, Sequence[Choice], str]],
    variant: Callable[[dict[str, str]], Html],
    caption: str = "",
) -> Html:
    """A block of pickers (key -> (label, choices, default value)) over every combination of their choices, each
    combination's content from `variant` (its figure, its table and its download: "download this view" follows the
    pickers). The plain text (for nbval and the notebook) is the default view only."""
    keys = list(pickers)
    selects = []
    for key, (label, choices, default) in pickers.items():
        options = "".join(
            f'<option value="{esc(v)}"{" selected" if v == default else ""}>{esc(words)}</option>'
            for v, words in choices
        )
        selects.append(f'<label>{esc(label)} <select data-key="{esc(key)}">{options}</select></label>')
    default = {k: pickers[k][2] for k in keys}
    parts, text = [], ""
    for values in itertools.product(*[[v for v, _ in pickers[k][1]] for k in keys]):
        choice = dict(zip(keys, values, strict=True))
        content = variant(choice)
        hidden = "" if choice == default else " hidden"
        parts.append(f'<div data-variant="{esc(variant_id(choice))}"{hidden}>{content.markup}</div>')
        if choice == default:
            text = content.text
    markup = (
        f'<section class="evsupply-picker" data-name="{esc(name)}" data-keys="{esc(",".join(keys))}">'
        + (f"<h3>{esc(caption)}</h3>" if caption else "")
        + f'<p class="evsupply-picker-controls">{" ".join(selects)}</p>'
        + "".join(parts)
        + "</section>"
        + script()
    )
    return Html(markup, (f"{caption}\n" if caption else "") + text)


def bars_svg(rows: Sequence[tuple[str, float | None, str]], title: str, unit: str = "%") -> str:
    """A small horizontal bar chart as inline SVG (no library): (label, value, note) per bar, the value written at the
    bar's end and the note (e.g. 'may not be sold') after it; a missing value reads 'unknown'."""
    known = [v for _, v, _ in rows if v is not None]
    top = max(known, default=0.0) or 1.0
    width, left, bar_h, gap = 640, 230, 22, 10
    height = 30 + len(rows) * (bar_h + gap)
    out = [
        f'<svg class="evsupply-bars" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{esc(title)}">',
        f'<text x="0" y="16" font-weight="bold" font-size="14">{esc(title)}</text>',
    ]
    for i, (label, value, note) in enumerate(rows):
        y = 30 + i * (bar_h + gap)
        length = 0 if value is None else (width - left - 150) * value / top
        shown = "unknown" if value is None else f"{value:g}{unit}"
        out += [
            f'<text x="0" y="{y + 15}" font-size="12">{esc(label)}</text>',
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="#2b6cb0"></rect>',
            f'<text x="{left + length + 6:.1f}" y="{y + 15}" font-size="12">{esc(shown)}'
            + (f" · {esc(note)}" if note else "")
            + "</text>",
        ]
    return "".join(out) + "</svg>"
