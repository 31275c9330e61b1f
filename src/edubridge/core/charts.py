"""Server-rendered SVG charts: readable without JavaScript, on a phone, and in right-to-left pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#0b5cad", "#2a9d8f", "#e9a23b", "#7b5ea7", "#c8553d")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def grouped_bars_with_target(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    targets: Sequence[int | None] | None = None,
    target_label: str = "target",
    width: int = 640,
    height: int = 280,
) -> str:
    """Grouped bars per category with an optional target mark per category, as one SVG string.

    The chart carries a <title> and a text table equivalent in <desc> for screen readers.
    """
    pad_left, pad_right, pad_top, pad_bottom = 48, 12, 28, 56
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    peak = max([1, *[v for s in series for v in s.values], *[t for t in (targets or []) if t]])
    scale = plot_h / peak
    group_w = plot_w / max(len(categories), 1)
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1)
    desc_rows = []
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" style="max-width:100%;height:auto" direction="ltr">',
        f"<title>{escape(title)}</title>",
    ]
    for k, category in enumerate(categories):
        cells = [f"{s.label} {s.values[k]}" for s in series]
        if targets and targets[k] is not None:
            cells.append(f"{target_label} {targets[k]}")
        desc_rows.append(f"{category}: " + ", ".join(cells))
    parts.append(f"<desc>{escape('; '.join(desc_rows))}</desc>")
    # axis and grid
    for step in range(5):
        value = round(peak * step / 4)
        y = pad_top + plot_h - value * scale
        parts.append(
            f'<line x1="{pad_left}" x2="{width - pad_right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dae3"/>'
        )
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#586174">{value}</text>'
        )
    for k, category in enumerate(categories):
        x0 = pad_left + k * group_w + group_w * 0.1
        for j, s in enumerate(series):
            h = s.values[k] * scale
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{pad_top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(category)} · '
                f"{escape(s.label)}: {s.values[k]}</title></rect>"
            )
        if targets and targets[k] is not None:
            y = pad_top + plot_h - (targets[k] or 0) * scale
            parts.append(
                f'<line x1="{x0 - 2:.1f}" x2="{x0 + group_w * 0.8 + 2:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#a4262c" stroke-width="2.5" stroke-dasharray="5 3"><title>{escape(category)} · '
                f"{escape(target_label)}: {targets[k]}</title></line>"
            )
        parts.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{pad_top + plot_h + 16}" font-size="12" '
            f'text-anchor="middle" fill="#1d2433">{escape(category)}</text>'
        )
    # legend
    legend_y = height - 14
    x = pad_left
    for j, s in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{x + 14}" y="{legend_y}" font-size="11" fill="#1d2433">{escape(s.label)}</text>'
        )
        x += 14 + 7 * len(s.label) + 16
    if targets:
        parts.append(
            f'<line x1="{x}" x2="{x + 16}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="#a4262c" '
            f'stroke-width="2.5" stroke-dasharray="5 3"/>'
        )
        parts.append(
            f'<text x="{x + 20}" y="{legend_y}" font-size="11" fill="#1d2433">{escape(target_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
