// A dialog whose words live in an <iframe>: a layui layer of type 2, a Bootstrap modal whose
// body is a frame.  The box modal.js marked when it holds a visible frame; else the outermost
// visible dialog box holding one, when its words outnumber the marked box's (re-marked
// data-cardshop-modal).  A same-origin frame (one the browser lets this document read) is
// inlined, two levels deep at most; a cross-origin or sandboxed one is only named, never read.
// Argument: whether modal.js marked a box just now.  A factory over the region vocabulary.
// Returns {text, markup, frames: [{src, read, pending}]} or false (no open dialog with a frame).
(regions) => (marked) => {
  const tokenRe = new RegExp(regions.modal.class_token, 'i');
  const visible = el => { const r = el.getBoundingClientRect(); const cs = el.ownerDocument.defaultView.getComputedStyle(el);
    return r.width > 40 && r.height > 40 && cs.visibility !== 'hidden' && cs.display !== 'none' && parseFloat(cs.opacity) > 0.05; };
  const dialogLike = el => regions.modal.tags.includes(el.tagName.toLowerCase()) ||
    regions.modal.roles.includes(el.getAttribute('role') || '') ||
    Array.from(el.classList).some(c => tokenRe.test(c) && !regions.modal.class_not.includes(c));
  const framesIn = el => Array.from(el.querySelectorAll('iframe')).filter(visible);
  // a frame still showing its initial about:blank has not loaded its src yet: under load the
  // dialog is read before a refused cross-origin frame turns into an unreadable error page
  const pending = frame => { try { const d = frame.contentDocument;
    return Boolean(d && frame.src && !/^(about|javascript):/i.test(frame.src) && d.URL === 'about:blank'); } catch (e) { return false; } };
  const readable = frame => { try { const d = frame.contentDocument; return d && d.body && !pending(frame) ? d : null; } catch (e) { return null; } };
  const frameText = (el, depth) => framesIn(el).map(f => {
    const doc = readable(f);
    return doc ? [doc.body.innerText || '', depth < 2 ? frameText(doc.body, depth + 1) : ''].join('\n') : '';
  }).join('\n');
  const words = el => ((el.innerText || '') + frameText(el, 1)).replace(/\s+/g, '').length;

  let box = marked ? document.querySelector('[data-cardshop-modal="1"]') : null;
  if (!box || !framesIn(box).length) {
    const boxes = Array.from(document.querySelectorAll(regions.modal.selector))
      .filter(el => visible(el) && dialogLike(el) && framesIn(el).length && !(box && (box.contains(el) || el.contains(box))));
    const outer = boxes.filter(el => !boxes.some(o => o !== el && o.contains(el)));
    if (!outer.length) return false;
    const framed = outer[outer.length - 1];            // the last opened sits last in the document
    if (box && words(box) >= words(framed)) return false;
    document.querySelectorAll('[data-cardshop-modal]').forEach(e => e.removeAttribute('data-cardshop-modal'));
    framed.setAttribute('data-cardshop-modal', '1');
    box = framed;
  }
  const frames = [];
  // a copy of el whose visible frames are replaced by their documents' bodies (or a named stub)
  const inline = (el, depth) => {
    const originals = Array.from(el.querySelectorAll('iframe'));
    const copy = el.cloneNode(true);
    const copies = Array.from(copy.querySelectorAll('iframe'));
    originals.forEach((f, i) => {
      if (!visible(f)) { copies[i].remove(); return; }
      const src = f.src || (f.hasAttribute('srcdoc') ? 'about:srcdoc' : 'about:blank');
      const doc = readable(f);
      const stub = document.createElement('div');
      stub.className = 'cardshop-frame';
      stub.setAttribute('data-frame-src', src.slice(0, 500));
      if (doc && depth < 3) {
        const body = inline(doc.body, depth + 1);
        body.querySelectorAll('script, style, noscript, template, link').forEach(e => e.remove());
        stub.append(...Array.from(body.childNodes));
      }
      frames.push({src: src.slice(0, 500), read: Boolean(doc && depth < 3), pending: pending(f)});
      copies[i].replaceWith(stub);
    });
    return copy;
  };
  const markup = inline(box, 1).outerHTML;
  const text = [box.innerText || '', frameText(box, 1)].join('\n').trim();
  return {text, markup, frames};
}
