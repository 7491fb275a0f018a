// An order form that picks the goods from drop-downs on the page itself (CardSystem:
// 商品分类 → 商品名称, the second filled by script).  Marks the two selects and returns their
// real options.  Argument: mark?
(mark) => {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const about = el => {
    const lab = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
    return [el.id, el.name, el.title, lab ? lab.innerText : ''].join(' ');
  };
  // the real choices: not the "请选择…" placeholder (value '', 0 or -1)
  const options = el => Array.from(el.options)
    .filter(o => !o.disabled && !['', '0', '-1'].includes(o.value) && !/请选择|choose|select/i.test(o.text))
    .slice(0, 20).map(o => ({value: o.value, text: (o.text || '').trim().slice(0, 40)}));
  let cat = null, prod = null;
  for (const el of Array.from(document.querySelectorAll('select')).slice(0, 50)) {
    if (!visible(el)) continue;
    const t = about(el);
    if (!cat && /categor|分类|cate|group|分组/i.test(t)) cat = el;
    else if (!prod && /product|goods|商品|item/i.test(t)) prod = el;
  }
  if (!prod) return null;
  if (mark) { if (cat) cat.setAttribute('data-cardshop-select', 'cat'); prod.setAttribute('data-cardshop-select', 'prod'); }
  return {category: cat ? options(cat) : null, product: options(prod)};
}
