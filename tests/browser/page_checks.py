"""What the browser tests ask the page, as JavaScript run in it (`page.evaluate`).

Each check returns a list of problems, as text for the assertion message; an
empty list is a pass. They cover what axe-core cannot decide on its own: the
contrast of text drawn in SVG, chart labels that are clipped or overlap,
tables that scroll instead of reflowing, and whether printed pages split a
table row or a chart, or leave a heading alone at the foot of a page.
"""

from __future__ import annotations

# Relative luminance and contrast ratio, WCAG 2.x definitions; shared by the checks.
_COLOUR = """
const parse = (text) => {
  const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
  if (!m) return null;
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const lum = (c) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const background = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) return c;
  }
  return {r: 255, g: 255, b: 255, a: 1};
};
const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('');
"""

TEXT_CONTRAST = (
    "() => {"
    + _COLOUR
    + """
  // Every visible element with text of its own, HTML and SVG alike: axe-core
  // leaves text drawn in SVG "incomplete", so it is measured here.
  const problems = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const el = node.parentElement;
    if (!el || seen.has(el)) continue;
    seen.add(el);
    if (['TITLE', 'DESC', 'STYLE'].includes(el.tagName.toUpperCase())) continue;
    if (el.closest('title, desc, style, .skip-link')) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility !== 'visible' || rect.width < 2 || rect.height < 2) continue;
    const svg = el.closest('svg');
    const fg = parse(svg ? style.fill : style.color);
    const text = node.data.trim().slice(0, 40);
    if (!fg) { problems.push(`${el.tagName} "${text}": colour ${style.fill}`); continue; }
    const bg = background(svg || el);
    let size = parseFloat(style.fontSize);
    if (svg) size *= svg.getScreenCTM().a;  // drawn size: the viewBox is scaled to fit
    const bold = Number(style.fontWeight) >= 700 || style.fontWeight === 'bold';
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    const got = ratio(fg, bg);
    if (got < need) {
      problems.push(`"${text}" (${el.tagName.toLowerCase()}): ` +
        `${hex(fg)} on ${hex(bg)} is ${got.toFixed(2)}:1, needs ${need}:1`);
    }
  }
  return problems;
}"""
)

CHART_LABELS = """() => {
  // Every chart is an image with a name and a description, its numbers are in
  // a table of the same section, and its labels stay inside the drawing and
  // clear of each other.
  const problems = [];
  const charts = [...document.querySelectorAll('svg')];
  charts.forEach((svg, index) => {
    const name = `chart ${index + 1} (${svg.querySelector('title')?.textContent.slice(0, 50)})`;
    if (svg.getAttribute('aria-hidden') === 'true') return;
    if (svg.getAttribute('role') !== 'img') problems.push(`${name}: no role="img"`);
    const title = svg.querySelector(':scope > title');
    const desc = svg.querySelector(':scope > desc');
    if (!title || !title.textContent.trim()) problems.push(`${name}: no <title>`);
    if (!desc || !desc.textContent.trim()) problems.push(`${name}: no <desc>`);
    for (const id of (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) problems.push(`${name}: aria-labelledby names no element`);
    }
    const section = svg.closest('section');
    if (!section || !section.querySelector('table')) {
      problems.push(`${name}: no data table in its section`);
    }
    const box = svg.viewBox.baseVal;
    const texts = [...svg.querySelectorAll('text')].map((t) => ({t, b: t.getBBox()}));
    for (const {t, b} of texts) {
      if (b.x < box.x - 1 || b.y < box.y - 1 || b.x + b.width > box.x + box.width + 1 ||
          b.y + b.height > box.y + box.height + 1) {
        problems.push(`${name}: label "${t.textContent.slice(0, 40)}" is clipped ` +
          `(${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)} ` +
          `outside ${box.width}x${box.height})`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].b, b = texts[j].b;
        const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        if (w > 1 && h > 1) {
          problems.push(`${name}: labels overlap: "${texts[i].t.textContent.slice(0, 30)}" ` +
            `and "${texts[j].t.textContent.slice(0, 30)}"`);
        }
      }
    }
  });
  return problems;
}"""

STRUCTURE = """() => {
  // No script and nothing that could load from elsewhere; tables with captions
  // and headers whose scope is set.
  const problems = [];
  if (document.querySelector('script')) problems.push('a <script> element');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) problems.push(`${el.tagName} has an event handler ${attr.name}`);
      if (/^\\s*javascript:/i.test(attr.value)) problems.push(`${el.tagName}: javascript: URL`);
    }
  }
  const loaders = 'img, iframe, object, embed, link, video, audio, source, image, use';
  for (const el of document.querySelectorAll(loaders)) {
    const href = el.getAttribute('src') || el.getAttribute('href') ||
      el.getAttribute('xlink:href') || '';
    if (!href.startsWith('#')) {
      problems.push(`<${el.tagName.toLowerCase()}> that loads ${href || 'something'}`);
    }
  }
  document.querySelectorAll('table').forEach((table, index) => {
    const caption = table.querySelector(':scope > caption');
    const named = caption ? caption.textContent.trim().slice(0, 50) : 'no caption';
    const name = `table ${index + 1} (${named})`;
    if (!caption || !caption.textContent.trim()) problems.push(`${name}: no caption`);
    if (!table.querySelector(':scope > thead th')) problems.push(`${name}: no column headers`);
    for (const th of table.querySelectorAll('th')) {
      if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope'))) {
        problems.push(`${name}: header "${th.textContent.trim().slice(0, 30)}" has no scope`);
      }
      if (!th.textContent.trim()) problems.push(`${name}: an empty header cell`);
    }
  });
  return problems;
}"""

NO_SIDEWAYS_SCROLL = """() => {
  // Reflow: neither the page nor anything in it scrolls sideways or clips
  // text (a table in a scrolling box does not count as reflowing).
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways by ${root.scrollWidth - root.clientWidth}px`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const style = getComputedStyle(el);
    const what = `<${el.tagName.toLowerCase()} class="${el.className.baseVal ?? el.className}">`;
    if (style.display === 'none' || el.clientWidth <= 1) continue;  // visually hidden
    if (style.overflowX === 'visible') {
      const rect = el.getBoundingClientRect();
      if (rect.right > root.clientWidth + 1 && style.position !== 'absolute') {
        const right = Math.round(rect.right);
        problems.push(`${what} reaches ${right}px, past the ${root.clientWidth}px viewport`);
      }
    } else if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${what} is ${el.scrollWidth}px wide in a ${el.clientWidth}px box ` +
        `(overflow-x: ${style.overflowX})`);
    }
  }
  return problems;
}"""

FOCUSED = (
    "() => {"
    + _COLOUR
    + """
  // The element that has keyboard focus: is the focus indicator visible, and
  // is the target at least 24 by 24 CSS pixels (WCAG 2.2, 2.5.8)?
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const problems = [];
  const label = `<${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`;
  const width = parseFloat(style.outlineWidth) || 0;
  if (style.outlineStyle === 'none' || width < 2) {
    problems.push(`${label}: no visible focus outline (${style.outlineStyle} ${width}px)`);
  } else {
    const ring = parse(style.outlineColor);
    const around = background(el.parentElement);
    if (ring && ratio(ring, around) < 3) {
      problems.push(`${label}: focus outline ${hex(ring)} on ${hex(around)} is below 3:1`);
    }
  }
  const inSentence = el.parentElement && el.parentElement.tagName === 'P' &&
    el.parentElement.textContent.trim() !== el.textContent.trim();
  if (!inSentence && (rect.width < 24 || rect.height < 24)) {
    const size = `${rect.width.toFixed(1)}x${rect.height.toFixed(1)}`;
    problems.push(`${label}: target is ${size}px, under 24x24`);
  }
  return {key: el.outerHTML.slice(0, 200), problems};
}"""
)

PRINT_MARKERS = """() => {
  // Tiny text markers that pdftotext finds on the printed pages: at the start
  // and end of every table row and every chart (with its caption), at a
  // table's caption and the end of its first row, and at the start of every
  // heading and of the content that follows it. Returns the
  // number of marked items; item n is marked QQ<kind><n>S ... QQ<kind><n>E.
  let n = 0;
  const marker = (text) => {
    const s = document.createElement('span');
    s.textContent = text; s.style.fontSize = '6px';
    return s;
  };
  const items = [];
  for (const row of document.querySelectorAll('tr')) {
    const cells = row.querySelectorAll('th, td');
    if (!cells.length) continue;
    n += 1; items.push(['row', n, row.textContent.trim().slice(0, 50)]);
    cells[0].prepend(marker(`QQ${n}S`));
    cells[cells.length - 1].append(marker(`QQ${n}E`));
  }
  for (const table of document.querySelectorAll('table')) {
    // A table's caption and header print on the page of its first row.
    const first = table.querySelector('tbody tr');
    const top = table.querySelector('caption') || table.querySelector('th, td');
    if (!first || !top) continue;
    n += 1; items.push(['table start', n, top.textContent.trim().slice(0, 50)]);
    top.prepend(marker(`QQ${n}S`));
    first.lastElementChild.append(marker(`QQ${n}E`));
  }
  for (const svg of document.querySelectorAll('svg')) {
    n += 1; items.push(['chart', n, svg.querySelector('title')?.textContent.slice(0, 50)]);
    const figure = svg.closest('figure');
    if (figure) { figure.prepend(marker(`QQ${n}S`)); figure.append(marker(`QQ${n}E`)); }
    else { svg.before(marker(`QQ${n}S`)); svg.after(marker(`QQ${n}E`)); }
  }
  for (const heading of document.querySelectorAll('main h2, main h3, main h4')) {
    // The first text after the heading, outside it: the heading must share its page.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = heading;
    let next = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (heading.contains(node) || !node.data.trim()) continue;
      const parent = node.parentElement;
      if (parent.closest('title, desc, style') || /^QQ\\d+[SE]$/.test(node.data)) continue;
      if (getComputedStyle(parent).display === 'none') continue;
      next = node; break;
    }
    if (!next) continue;
    n += 1; items.push(['heading', n, heading.textContent.trim().slice(0, 50)]);
    heading.prepend(marker(`QQ${n}S`));
    const svg = next.parentElement.closest('svg');
    const at = svg ? (svg.closest('figure') || svg) : next;
    at.parentNode.insertBefore(marker(`QQ${n}E`), at);
  }
  return items;
}"""

LIKERT_ROWS = """() => {
  // The rows of each theme's Likert chart: the label as drawn, whether it carries the
  // reverse-keyed mark, and how many segments its bar has.
  const charts = [...document.querySelectorAll('svg.likert')]
    .filter((svg) => /answers to each statement/.test(svg.querySelector('title').textContent));
  return charts.map((svg) => {
    const labels = [...svg.querySelectorAll('text.row-label')];
    return labels.map((label, row) => ({
      label: label.textContent.trim(),
      marked: /agreeing is the weaker answer/.test(label.textContent),
      segments: svg.querySelectorAll(`rect.seg[data-row="${row}"]`).length,
    }));
  });
}"""

HEAT_CELLS = (
    "() => {"
    + _COLOUR
    + """
  // Every heatmap cell: the text a reader sees in it, its band class and its shade.
  return [...document.querySelectorAll('table.heatmap td.heat')].map((cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('.cell-heading').forEach((e) => e.remove());
    const band = /heat-(\\d+|none)/.exec(cell.className)[1];
    return {text: copy.textContent.trim(), band,
            background: hex(parse(getComputedStyle(cell).backgroundColor))};
  });
}"""
)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of `#rrggbb`."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
