// How long the DOM of the current document has been unchanged (ms) and whether it has
// parsed.  The first call on a document installs a MutationObserver that records the time
// of the last change and counts changes (``id:gen`` tells whether a snapshot is still
// current: the same document, no change since), kept under a per-session key.  Our own
// data-cardshop* marks are not changes; inline-style changes (animations, our red outline)
// count for ``gen`` but not for quiet.  It returns at once (no promise, no timer a page
// could override).  Argument: the window key.
(key) => {
  const now = performance.now();
  let st = window[key];
  if (!st || st.doc !== document) {
    // first look at this document: changes until its DOMContentLoaded handlers ended are
    // over; later ones, were there any, are unknown, so quiet counts from then at the latest
    let last = now;
    try {
      const nav = performance.getEntriesByType('navigation')[0];
      const done = nav ? Math.max(nav.domContentLoadedEventEnd || 0, nav.loadEventEnd || 0) : 0;
      if (document.readyState !== 'loading' && done > 0 && isFinite(done)) last = Math.min(now, done);
    } catch (e) {}
    st = {doc: document, last, gen: 0, id: Math.random().toString(36).slice(2)};
    try { Object.defineProperty(window, key, {value: st, configurable: true, writable: true, enumerable: false}); }
    catch (e) { return {ready: document.readyState !== 'loading', idle: 1e9}; }
    try {
      new MutationObserver(records => {
        for (const r of records) {
          if (r.type === 'attributes' && String(r.attributeName).startsWith('data-cardshop')) continue;
          st.gen++;
          if (r.type === 'attributes' && r.attributeName === 'style') continue;
          st.last = performance.now();
        }
      }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    } catch (e) { st.last = -1e9; }
  }
  return {ready: document.readyState !== 'loading', idle: now - st.last};
}
