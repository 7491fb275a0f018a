// Remove the mask layer (argument: its id).
id => { const el = document.getElementById(id); if (el) el.remove(); }
