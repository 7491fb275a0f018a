// Cover the run's secrets (argument: [values, layer id]) with dark boxes in one fixed layer;
// returns how many boxes.
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
