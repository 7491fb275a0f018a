"""Screenshots never show a secret of the run: the account name a logged-in page greets
the user with, a password a hostile page repeats back.

    covered = mask_secrets(page)     # dark boxes over every occurrence, in a layer of their own
    ... take the screenshot ...
    unmask(page)

The page's own text is not touched (the search goes on reading it); the boxes sit in one
fixed, click-through layer above everything and are removed after the shot.
"""
from __future__ import annotations

from cardshop_auditor import secrets

LAYER_ID = "__cardshop_secret_mask"

MASK_JS = r"""
([values, layerId]) => {
  const old = document.getElementById(layerId); if (old) old.remove();
  const root = document.body || document.documentElement; if (!root) return 0;
  const rects = [];
  let seen = 0;
  // One tree (the document, then each shadow root) as one string: a secret split over
  // several text nodes (a span per character, <wbr>) is found and covered with one range.
  const scan = (top) => {
    const nodes = [], starts = []; let text = '';
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    let node;
    while ((node = walker.nextNode()) && seen++ < 50000) {
      if (node.nodeType === 3) { starts.push(text.length); nodes.push(node); text += node.data; continue; }
      if (node.shadowRoot) scan(node.shadowRoot);
      // attributes a page shows: value, placeholder, and any a stylesheet prints with attr()
      // (leaf elements only: a wrapper's data-user="…" must not black out the whole page)
      const shows = s => !!s && values.some(v => s.includes(v));
      const field = (node.tagName === 'INPUT' || node.tagName === 'TEXTAREA') && node.type !== 'password';
      if ((field && shows(node.value)) || (node.childElementCount === 0 &&
          Array.from(node.attributes).some(a => shows(a.value) && !(node.type === 'password' && a.name === 'value'))))
        rects.push(node.getBoundingClientRect());
    }
    const at = (pos, isEnd) => {          // the text node holding character pos
      let lo = 0, hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (isEnd ? starts[mid] < pos : starts[mid] <= pos) lo = mid; else hi = mid - 1;
      }
      return lo;
    };
    for (const v of values) {
      for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + v.length)) {
        const a = at(i, false), b = at(i + v.length, true);
        const r = document.createRange();
        r.setStart(nodes[a], i - starts[a]); r.setEnd(nodes[b], i + v.length - starts[b]);
        for (const box of r.getClientRects()) rects.push(box);
      }
    }
  };
  scan(root);
  const shown = rects.filter(b => b.width >= 1 && b.height >= 1);
  if (!shown.length) return 0;
  const layer = document.createElement('div'); layer.id = layerId;
  layer.style.cssText = 'position:fixed;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none';
  for (const b of shown) {
    const d = document.createElement('div');
    d.style.cssText = `position:fixed;left:${b.left - 2}px;top:${b.top - 2}px;width:${b.width + 4}px;` +
                      `height:${b.height + 4}px;background:#333;pointer-events:none`;
    layer.appendChild(d);
  }
  root.appendChild(layer);
  return shown.length;
}
"""

UNMASK_JS = "id => { const el = document.getElementById(id); if (el) el.remove(); }"
MAX_FRAMES = 8


def _frames(page) -> list:
    """The page and its frames (an iframe showing a secret is in the shot too)."""
    try:
        return list(page.frames)[:MAX_FRAMES]
    except Exception:  # noqa: BLE001 - a closed page
        return []


def mask_secrets(page) -> int:
    """Cover the run's account names and passwords on ``page`` and in its frames; how many
    boxes (0: none)."""
    values = secrets.REGISTRY.shown_values()
    if not values:
        return 0
    covered = 0
    for frame in _frames(page):
        try:
            covered += int(frame.evaluate(MASK_JS, [values, LAYER_ID]) or 0)
        except Exception:  # noqa: BLE001 - a frame that refuses scripts or went away: nothing drawn there
            continue
    return covered


def element_screenshot(page, selector: str, timeout_ms: int) -> bytes:
    """A PNG of one element (a modal), with the secrets covered as in a page shot."""
    masked = mask_secrets(page)
    try:
        return page.locator(selector).first.screenshot(type="png", animations="disabled", timeout=timeout_ms)
    finally:
        if masked:
            unmask(page)


def unmask(page) -> None:
    for frame in _frames(page):
        try:
            frame.evaluate(UNMASK_JS, LAYER_ID)
        except Exception:  # noqa: BLE001 - the frame navigated away: the layer went with it
            continue
