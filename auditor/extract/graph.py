"""The crawl's link graph: which page links to which, and the shortest click path from the
start page (breadth-first over the links found in the fetched pages' HTML).

Pages not reachable through parsed links (reached via redirects or JavaScript) fall back
to the crawler's own ``depth`` and ``link_text``.
"""
from __future__ import annotations

from collections import deque

from cardshop_auditor.extract.page import Link, PageDoc
from cardshop_auditor.urls import normalise


class SiteGraph:
    def __init__(self, docs: list[PageDoc], start: PageDoc | None):
        self.docs = docs
        self.start = start
        self.by_url: dict[str, PageDoc] = {}
        for d in docs:
            for u in (d.url, d.requested_url):
                nu = normalise(u)
                if nu and nu not in self.by_url:
                    self.by_url[nu] = d
        self.dist: dict[int, int] = {}
        self.parent: dict[int, tuple[PageDoc, Link]] = {}
        self.inbound: dict[int, list[Link]] = {}
        for d in docs:
            for link in d.links:
                target = self.lookup(link.url)
                if target is not None and target is not d:
                    self.inbound.setdefault(id(target), []).append(link)
        if start is not None:
            self._bfs(start)

    def lookup(self, url: str | None, normalised: bool = True) -> PageDoc | None:
        """The fetched page at ``url`` (link URLs are already normalised)."""
        if not url:
            return None
        hit = self.by_url.get(url)
        if hit is None and not normalised:
            hit = self.by_url.get(normalise(url) or "")
        return hit

    def _bfs(self, start: PageDoc) -> None:
        self.dist[id(start)] = 0
        queue = deque([start])
        while queue:
            d = queue.popleft()
            base = self.dist[id(d)]
            for link in d.links:
                target = self.lookup(link.url)
                if target is None or id(target) in self.dist:
                    continue
                self.dist[id(target)] = base + 1
                self.parent[id(target)] = (d, link)
                queue.append(target)

    def clicks_to(self, doc: PageDoc) -> int | None:
        """Link clicks from the start page to ``doc`` (None when unknown)."""
        if id(doc) in self.dist:
            return self.dist[id(doc)]
        return doc.depth if doc.depth is not None else None

    def path_to(self, doc: PageDoc) -> list[str]:
        """Link texts clicked from the start page to reach ``doc``."""
        if id(doc) not in self.dist:
            return [doc.link_text] if doc.link_text else []
        steps: list[str] = []
        cur = doc
        guard = 0
        while id(cur) in self.parent and guard < 100:
            prev, link = self.parent[id(cur)]
            steps.append(link.text or link.title or link.url or "")
            cur = prev
            guard += 1
        steps.reverse()
        return steps

    def linked_from_start(self, doc: PageDoc) -> bool:
        if self.start is None:
            return False
        if doc is self.start:
            return True
        d = self.dist.get(id(doc))
        if d is not None:
            return d <= 1
        return doc.depth == 1
