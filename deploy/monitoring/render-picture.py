#!/usr/bin/env python3
"""Draws grafana-dashboard.json's panels from a live Prometheus as a PNG for the README (no Grafana
needed): every panel's own queries, over the last N minutes, as line charts laid out by gridPos.
  python3 deploy/monitoring/render-picture.py http://127.0.0.1:9090 15 out.html
  chromium --headless --screenshot=dashboard.png --window-size=1400,1500 out.html
$__rate_interval is replaced by 1m and $job by .* (all jobs)."""
import html, json, math, sys, time, urllib.parse, urllib.request

prom, minutes, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
dash = json.load(open(__file__.rsplit("/", 1)[0] + "/grafana-dashboard.json"))
end = time.time(); start = end - minutes * 60; step = max(5, minutes * 60 // 240)
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff7383", "#b877d9", "#ff9830", "#8ab8ff", "#96d98d"]
CELL, ROWH = 56, 34  # px per grid column / grid row unit

def query(expr):
    expr = expr.replace("$__rate_interval", "1m").replace("$job", ".*")
    url = f"{prom}/api/v1/query_range?" + urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    return json.load(urllib.request.urlopen(url))["data"]["result"]

def legend(fmt, labels):
    for k, v in labels.items():
        fmt = fmt.replace("{{" + k + "}}", v)
    return fmt.replace("{{", "").replace("}}", "") or "value"

def fmt(v, unit):
    if unit == "s":
        return f"{v*1000:.0f} ms" if v < 1 else f"{v:.1f} s"
    if unit == "bool_yes_no":
        return "yes" if v >= 1 else "no"
    for d, s in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= d:
            return f"{v/d:.1f}{s}"
    return f"{v:.3g}"

def chart(p, w, h):
    series = []
    for t in p["targets"]:
        for r in query(t["expr"]):
            pts = [(float(x), float(y)) for x, y in r["values"] if not math.isnan(float(y))]
            if pts:
                series.append((legend(t["legendFormat"], r["metric"]), pts))
    unit = p["fieldConfig"]["defaults"].get("unit", "")
    if not series:
        return f'<div class="nodata">no data</div>'
    if p["type"] == "stat":
        v = series[0][1][-1][1]
        return f'<div class="stat {"ok" if v >= 1 else "bad"}">{fmt(v, unit)}</div>'
    ch = h - 40 - 16 * min(len(series), 3)
    ymax = max(y for _, pts in series for _, y in pts) or 1
    svg = [f'<svg width="{w}" height="{ch}">']
    for i in range(4):
        y = ch - 16 - (ch - 24) * i / 3
        svg.append(f'<line x1="44" x2="{w}" y1="{y}" y2="{y}" class="grid"/><text x="0" y="{y+4}">{fmt(ymax*i/3, unit)}</text>')
    for c, (name, pts) in enumerate(series):
        xy = " ".join(f"{44 + (x-start)/(end-start)*(w-48):.1f},{ch-16-(ch-24)*y/ymax:.1f}" for x, y in pts)
        svg.append(f'<polyline points="{xy}" fill="none" stroke="{COLORS[c % 8]}" stroke-width="1.6"/>')
    for i, label in enumerate(("-%dm" % minutes, "-%dm" % (minutes // 2), "now")):
        svg.append(f'<text x="{44 + i*(w-80)/2}" y="{ch-2}">{label}</text>')
    svg.append("</svg>")
    keys = "".join(f'<span><i style="background:{COLORS[c % 8]}"></i>{html.escape(n)}</span>' for c, (n, _) in enumerate(series[:6]))
    return "".join(svg) + f'<div class="legend">{keys}</div>'

parts = []
for p in dash["panels"]:
    g = p["gridPos"]; x, y, w, h = g["x"] * CELL, g["y"] * ROWH, g["w"] * CELL - 6, g["h"] * ROWH - 6
    if p["type"] == "row":
        parts.append(f'<div class="row" style="left:{x}px;top:{y}px">{html.escape(p["title"])}</div>')
        continue
    parts.append(f'<div class="panel" style="left:{x}px;top:{y}px;width:{w}px;height:{h}px"><h3>{html.escape(p["title"])}</h3>{chart(p, w - 16, h)}</div>')
height = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dash["panels"]) * ROWH + 50
open(out, "w").write(f"""<!doctype html><meta charset="utf-8"><style>
body{{background:#111217;color:#ccccdc;font:12px DejaVu Sans,sans-serif;margin:0}}
h1{{font-size:15px;margin:10px 12px}} .board{{position:relative;margin:0 8px;height:{height}px}}
.panel{{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:4px 8px;overflow:hidden}}
.row{{position:absolute;font-weight:bold;font-size:13px;padding-top:8px}} h3{{font-size:12px;margin:2px 0 4px}}
svg text{{fill:#8e8e99;font-size:10px}} .grid{{stroke:#2c3235}} .legend span{{margin-right:10px;white-space:nowrap}}
.legend i{{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}}
.stat{{font-size:40px;text-align:center;margin-top:20px;padding:10px;border-radius:3px}} .ok{{background:#1a7f4b}} .bad{{background:#c4162a}}
.nodata{{color:#6e6e7a;margin-top:40px;text-align:center}}</style>
<h1>{html.escape(dash["title"])} — last {minutes} min</h1><div class="board">{"".join(parts)}</div>""")
