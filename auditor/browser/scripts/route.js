// A single-page app switched to another route in place: no page load, the app draws the view
// from its own API as it does for a click.  A hash route (#/goods/12) by setting the hash; a
// history route (/item/12, with ``history``) by pushState and the popstate event its router
// follows (the back button's path: vue-router, react-router).  Waits until the DOM changed or
// ms passed.  Argument: [url, ms, history].  Returns true (changed), false (nothing changed in
// time) or null (not a route of this document: it needs a page load).
async ([url, ms, history]) => {
  let target;
  try { target = new URL(url, location.href); } catch (e) { return null; }
  const doc = u => u.origin + u.pathname + u.search;
  const here = new URL(location.href);
  const hashRoute = doc(target) === doc(here) && target.hash.startsWith('#/');
  if (!hashRoute && !(history && target.origin === here.origin)) return null;
  if (target.href === here.href) return true;
  return new Promise(resolve => {
    let timer = null;
    const observer = new MutationObserver(() => finish(true));
    const finish = changed => { observer.disconnect(); clearTimeout(timer); resolve(changed); };
    observer.observe(document.body || document.documentElement, {childList: true, subtree: true, characterData: true});
    timer = setTimeout(() => finish(false), ms);
    if (hashRoute) {
      location.hash = target.hash;
    } else {
      window.history.pushState(window.history.state, '', target.href);
      window.dispatchEvent(new PopStateEvent('popstate', {state: window.history.state}));
    }
  });
}
