"""Screenshots never show a secret of the run: the account name a logged-in page greets
the user with, a password a hostile page repeats back.

    covered = mask_secrets(page)     # dark boxes over every occurrence, in a layer of their own
    ... take the screenshot ...
    unmask(page)

The page's own text is not touched (the search goes on reading it); the boxes sit in one
fixed, click-through layer above everything and are removed after the shot.
"""
from __future__ import annotations

from auditor import secrets

LAYER_ID = "__cardshop_secret_mask"

MASK_JS = r"""
([values, layerId]) => {
  const old = document.getElementById(layerId); if (old) old.remove();
  const root = document.body || document.documentElement; if (!root) return 0;
  const rects = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode()) && seen++ < 20000) {
    const text = node.data || '';
    for (const v of values) {
      for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + v.length)) {
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + v.length);
        for (const b of r.getClientRects()) rects.push(b);
      }
    }
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (el.type !== 'password' && values.some(v => (el.value || '').includes(v))) rects.push(el.getBoundingClientRect());
  }
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


def mask_secrets(page) -> int:
    """Cover the run's account names and passwords on ``page``; how many boxes (0: none)."""
    values = secrets.REGISTRY.shown_values()
    if not values:
        return 0
    try:
        return int(page.evaluate(MASK_JS, [values, LAYER_ID]) or 0)
    except Exception:  # noqa: BLE001 - a page that refuses scripts: nothing drawn, nothing to undo
        return 0


def element_screenshot(page, selector: str, timeout_ms: int) -> bytes:
    """A PNG of one element (a modal), with the secrets covered as in a page shot."""
    masked = mask_secrets(page)
    try:
        return page.locator(selector).first.screenshot(type="png", animations="disabled", timeout=timeout_ms)
    finally:
        if masked:
            unmask(page)


def unmask(page) -> None:
    try:
        page.evaluate("id => { const el = document.getElementById(id); if (el) el.remove(); }", LAYER_ID)
    except Exception:  # noqa: BLE001 - the page navigated away: the layer went with it
        pass
