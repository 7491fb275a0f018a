// Goods pages fetched as plain HTML, without rendering them (no sub-resources, no scripts
// run), and searched for refund sentences: a cheap look at the goods pages a walk has no time
// to load.  GET only, with the page's own cookies; a URL of another origin is never requested,
// nor is a redirect off this origin read.  Argument: [urls, sentence pattern, timeout ms].
// Returns, per URL, the sentences found (maybe none), {shell: true} (an app shell: an empty
// mount point and next to no text, the page is drawn by script) or null (not fetched, an
// error, not HTML).
async ([urls, pattern, ms]) => {
  const sentence = new RegExp(pattern, 'g');
  const mount = /<(?:div|main|section)\b[^>]*\bid\s*=\s*["']?(?:app|root|__nuxt|__next|q-app)\b/i;
  const words = html => html.replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1>|<[^>]+>/gi, ' ').replace(/\s+/g, '');
  const one = async url => {
    let target;
    try { target = new URL(url, location.href); } catch (e) { return null; }
    if (target.origin !== location.origin) return null;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), ms);
    try {
      const answer = await fetch(target.href, {method: 'GET', credentials: 'same-origin', signal: stop.signal,
                                               headers: {Accept: 'text/html'}});
      if (!answer.ok || new URL(answer.url).origin !== location.origin ||
          !/html/i.test(answer.headers.get('content-type') || '')) return null;
      const html = (await answer.text()).slice(0, 400000);
      const found = Array.from(html.matchAll(sentence), m => m[0].trim()).slice(0, 200);
      return !found.length && mount.test(html) && words(html).length < 200 ? {shell: true} : found;
    } catch (e) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
  return Promise.all(urls.map(one));
}
