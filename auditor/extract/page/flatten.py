"""Cut the sentinel-marked text of a page (see ``marks``) into blocks, in one linear pass."""
from __future__ import annotations

import re

from cardshop_auditor.extract.page.marks import (S_BLOCK, S_CLOSE, S_FIRST, S_HEAD, S_LAST, S_LINK_CLOSE,
                                                 S_LINK_OPEN, S_OPEN_BASE, S_OPEN_FIRST, S_TABLE, S_TD, S_TH,
                                                 S_TITLE, S_TR)
from cardshop_auditor.extract.page.model import (FOOTER, HEADING, LINKONLY, MAX_BLOCK_CHARS, MAX_BLOCKS, MODAL,
                                                 NAV, ROW, TITLE, Block, Modal, PageDoc)

_HARD_REGION = FOOTER | NAV | MODAL | HEADING   # these end a table row; hidden / notice / form spans do not
_BOUNDARIES = frozenset((S_BLOCK, S_HEAD, S_TITLE))
_SQUEEZE_BLOCKS = re.compile("\U000F0000(?:\\s*\U000F0000)+")
_SQUEEZE_HEAD = re.compile("\U000F0000\\s*([\U000F0005\U000F0006])")
_SPLIT_SENTINELS = re.compile("([\U000F0000-\U000F04FF])")
_WRAPPER_SHARE = 0.6          # a "footer" holding more of the page than this is a wrapper


class Flattener:
    """Reads the marked text of one page into ``doc.blocks`` / ``doc.modals`` /
    ``doc.headings``; ``run`` returns the region flags and the text of each <a>, in
    document order (the link collector pairs them with its links).

    Every block leaves through ``_emit``; table rows become one block with the cells
    joined ("订单状态：未提取卡密，是否可退：可全额退款")."""

    def __init__(self, doc: PageDoc):
        self.doc = doc
        self.blocks = doc.blocks
        self.buf: list[str] = []                 # text of the block being read
        self.flags = 0                           # the regions around the text being read
        self.modal_idx = -1
        self.heading = 0                         # HEADING / TITLE while a heading's text is read
        self.stack: list[tuple[int, int, bool]] = []   # (flags, modal, soft) of enclosing regions
        self.link_chars = 0                      # chars of link text in the block being read
        self.in_link = 0
        self.after_link = False
        self.link_flags: list[int] = []
        self.link_texts: list[str | None] = []
        self.open_links: list[tuple[int, list[str]]] = []
        self.row: list | None = None             # completed (is_th, text) cells of the open table row
        self.cell_th: bool | None = None         # the open cell: None (none yet) / True (th) / False (td)
        self.headers: list[str] | None = None
        self.footer_open = -1
        self.footer_roots: list[tuple[int, int]] = []
        self.n_chars = 0

    def run(self, text: str) -> tuple[list[int], list[str | None]]:
        # runs of block boundaries separated only by whitespace are one boundary (C-side,
        # before the Python loop: most of a page's tokens are such runs)
        text = _SQUEEZE_HEAD.sub(r"\1", _SQUEEZE_BLOCKS.sub(S_BLOCK, text))
        boundary, sentinel, buf = self._boundary, self._sentinel, self.buf
        for tok in _SPLIT_SENTINELS.split(text):
            if tok in _BOUNDARIES and self.row is None:
                boundary(tok)                    # the common tokens first: boundaries, text
            elif not tok:
                continue
            elif len(tok) == 1 and S_FIRST <= tok <= S_LAST:
                sentinel(tok)
            elif self.in_link:
                buf.append(tok)
                self.link_chars += len(tok.strip())
                for _i, parts in self.open_links:
                    parts.append(tok)
            else:
                buf.append(tok)
                if self.after_link and not tok.isspace():
                    self.after_link = False
        self._end_row(layout=False)
        self._flush()
        self._unflag_wrapper_footers()
        self._fill_modals()
        blocks = self.blocks
        self.doc.has_footer_element = any(b.flags & FOOTER for b in blocks)
        self.doc.headings = [b.text[:200] for b in blocks
                             if b.flags & HEADING and not b.flags & (MODAL | NAV | ROW)][:20]
        return self.link_flags, self.link_texts

    # ---- the one way out --------------------------------------------------------------------
    def _emit(self, text: str, flags: int, link_chars: int) -> None:
        text = " ".join(text.split())
        blocks = self.blocks
        if not text or len(blocks) >= MAX_BLOCKS:
            return
        if link_chars:
            body_chars = len(text) - text.count(" ") - text.count("|")
            if body_chars and link_chars >= 0.6 * body_chars:
                flags |= LINKONLY
        if len(text) > MAX_BLOCK_CHARS:
            for i in range(0, len(text), MAX_BLOCK_CHARS):
                blocks.append(Block(text[i:i + MAX_BLOCK_CHARS], flags, self.modal_idx))
        else:
            blocks.append(Block(text, flags, self.modal_idx))
        self.n_chars += len(text)

    def _flush(self) -> None:
        buf = self.buf
        joined = "".join(buf)
        buf.clear()
        if joined and not joined.isspace():
            self._emit(joined, self.flags | self.heading, self.link_chars)
        self.link_chars = 0

    # ---- tokens -----------------------------------------------------------------------------
    def _boundary(self, tok: str) -> None:
        """A block boundary outside tables ends the current block."""
        self.after_link = False
        for _i, parts in self.open_links:
            parts.append(" ")
        if self.buf:
            self._flush()
        self.heading = HEADING if tok == S_HEAD else TITLE if tok == S_TITLE else 0

    def _sentinel(self, tok: str) -> None:
        if tok == S_LINK_OPEN:
            self.link_flags.append(self.flags)
            self.open_links.append((len(self.link_texts), []))
            self.link_texts.append(None)
            if self.after_link and self.buf:
                self.buf.append(" ")            # "首页订单查询" -> "首页 订单查询"
            self.in_link += 1
            self.after_link = False
            return
        if tok == S_LINK_CLOSE:
            if self.in_link:
                self.in_link -= 1
            if self.open_links:
                idx, parts = self.open_links.pop()
                self.link_texts[idx] = " ".join("".join(parts).split())
            self.after_link = True
            return
        for _i, parts in self.open_links:
            parts.append(" ")
        self.after_link = False
        if tok in _BOUNDARIES:                   # inside a table row
            self._boundary_in_row()
        elif tok == S_TD or tok == S_TH:
            self._cell(tok == S_TH)
        elif tok == S_TR:
            self._end_row(layout=False)
            self._flush()
            self.row = []
            self.cell_th = None
        elif tok == S_TABLE:
            self._end_row(layout=False)
            self._flush()
            self.headers = None
        elif tok == S_CLOSE:
            self._close_region()
        elif tok >= S_OPEN_FIRST:
            self._open_region(ord(tok) - S_OPEN_BASE)

    # ---- tables -----------------------------------------------------------------------------
    def _boundary_in_row(self) -> None:
        if self.cell_th is None or not "".join(self.buf).strip():
            if self.cell_th is None:
                self.buf.clear()
            return                               # whitespace around cells / an empty block in a cell
        self._end_row(layout=True)
        if self.buf:
            self._flush()

    def _cell(self, is_th: bool) -> None:
        if self.row is None:
            self._flush()
            self.row = []
        elif self.cell_th is not None:
            self.row.append((self.cell_th, "".join(self.buf)))
            self.buf.clear()
        else:
            self.buf.clear()                     # whitespace before the first cell
        self.cell_th = is_th

    def _end_row(self, layout: bool) -> None:
        """Close the open row: one ROW block with the cells joined, or (a layout row, or a
        single cell) the cells as ordinary blocks."""
        if self.row is None:
            return
        cells = self.row
        if self.cell_th is not None:
            cells.append((self.cell_th, "".join(self.buf)))
            self.buf.clear()
        self.row, self.cell_th = None, None
        lc = self.link_chars
        self.link_chars = 0
        raw = [" ".join(c.split()) for _, c in cells]
        if layout or sum(1 for t in raw if t) < 2:
            for t in raw:
                self._emit(t, self.flags, lc if len(raw) == 1 else 0)
            return
        texts = [t.rstrip("。；;，,") for t in raw]
        if all(th for th, _ in cells):
            self.headers = texts
            self._emit("，".join(t for t in texts if t), self.flags | ROW | HEADING, lc)
            return
        headers = self.headers
        if headers and len(headers) == len(texts):
            joined = "，".join(f"{h}：{t}" if h else t for h, t in zip(headers, texts) if t)
        else:
            joined = "，".join(t for t in texts if t)
        self._emit(joined, self.flags | ROW, lc)

    # ---- regions ----------------------------------------------------------------------------
    def _open_region(self, add: int) -> None:
        if self.row is not None and not add & _HARD_REGION:
            self.stack.append((self.flags, self.modal_idx, True))   # a tag / tip inside a cell: keep the row
            self.flags |= add
            return
        self._end_row(layout=True)
        self._flush()
        flags = self.flags
        self.stack.append((flags, self.modal_idx, False))
        if add & MODAL and not flags & MODAL:
            self.modal_idx = len(self.doc.modals)
            self.doc.modals.append(Modal(title="", text=""))
        if add & FOOTER and not flags & FOOTER:
            self.footer_open = len(self.blocks)
        self.flags = flags | add

    def _close_region(self) -> None:
        stack = self.stack
        if stack and stack[-1][2] and self.row is not None:
            self.flags, self.modal_idx = stack.pop()[:2]    # a soft region inside a table cell
            return
        self._end_row(layout=True)
        self._flush()
        if stack:
            parent_flags, parent_modal, _soft = stack.pop()
            if self.flags & FOOTER and not parent_flags & FOOTER and self.footer_open >= 0:
                self.footer_roots.append((self.footer_open, len(self.blocks)))
                self.footer_open = -1
            self.flags, self.modal_idx = parent_flags, parent_modal

    # ---- after the pass ---------------------------------------------------------------------
    def _unflag_wrapper_footers(self) -> None:
        """A "footer" holding most of the page is a wrapper, not a footer: drop the flag."""
        blocks = self.blocks
        total = self.n_chars or 1
        for a, b in self.footer_roots:
            span = range(a, min(b, len(blocks)))
            size = sum(len(blocks[i].text) for i in span)
            if total > 300 and size > _WRAPPER_SHARE * total:
                for i in span:
                    blocks[i].flags &= ~FOOTER

    def _fill_modals(self) -> None:
        modals = self.doc.modals
        if not modals:
            return
        texts: dict[int, list[str]] = {}
        titles: dict[int, str] = {}
        for blk in self.blocks:
            if blk.modal >= 0:
                texts.setdefault(blk.modal, []).append(blk.text)
                if blk.flags & (HEADING | TITLE) and blk.modal not in titles:
                    titles[blk.modal] = blk.text
        for i, m in enumerate(modals):
            tx = texts.get(i, [])
            m.text = "\n".join(tx)[:20000]
            title = titles.get(i) or (tx[0] if tx and len(tx[0]) <= 30 else "")
            m.title = title[:100]
