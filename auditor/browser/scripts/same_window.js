// Open the link around the element in this window (its target attribute removed).
e => { const a = e.closest('a'); if (a) a.removeAttribute('target'); }
