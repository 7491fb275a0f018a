// Goods pages fetched as plain HTML, without rendering them (no sub-resources, no scripts
// run), and searched for refund sentences: a cheap look at the goods pages a walk has no time
// to load.  GET only, with the page's own cookies; a URL of another origin is never requested,
// nor is a redirect off this origin read.  Argument: [urls, sentence pattern, timeout ms].
// Returns, per URL, the sentences found (maybe none) or null (not fetched, an error, not HTML).
async ([urls, pattern, ms]) => {
  const sentence = new RegExp(pattern, 'g');
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
      return Array.from(html.matchAll(sentence), m => m[0].trim()).slice(0, 200);
    } catch (e) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
  return Promise.all(urls.map(one));
}
