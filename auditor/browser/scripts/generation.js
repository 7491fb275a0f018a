// The change counter of the current document (null: no observer on it yet, see quiet.js).
(key) => { const st = window[key]; return st && st.doc === document ? st.id + ':' + st.gen : null; }
