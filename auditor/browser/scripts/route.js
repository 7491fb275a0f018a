// A hash-routed app (#/goods/12) switched to another route in place: no page load, the app
// draws the view from its own API as it does for a click.  Waits until the DOM changed or
// ms passed.  Argument: [url, ms].  Returns true (changed), false (nothing changed in time)
// or null (the URL is not a route of this document: it needs a page load).
async ([url, ms]) => {
  let target;
  try { target = new URL(url, location.href); } catch (e) { return null; }
  const doc = u => u.origin + u.pathname + u.search;
  if (doc(target) !== doc(new URL(location.href)) || !target.hash.startsWith('#/')) return null;
  if (target.hash === location.hash) return true;
  return new Promise(resolve => {
    let timer = null;
    const observer = new MutationObserver(() => finish(true));
    const finish = changed => { observer.disconnect(); clearTimeout(timer); resolve(changed); };
    observer.observe(document.body || document.documentElement, {childList: true, subtree: true, characterData: true});
    timer = setTimeout(() => finish(false), ms);
    location.hash = target.hash;
  });
}
