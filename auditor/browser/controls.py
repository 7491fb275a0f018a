"""What a person could click on a shop's page, and clicking it.

``PageControls`` is the part of ``ShopSession`` that reads the page (``snapshot``: every
visible control of the page and its same-site iframes, marked by candidates.js) and acts
on it (``click`` like a person, popups followed, a red ``outline`` for screenshots).  It
uses the session's ``page``, ``context``, ``guard``, ``settle``, ``goto`` and ``allowed_url``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from cardshop_auditor.browser.labels import clean_label
from cardshop_auditor.browser.scripts import source

MAX_FRAMES = 6

# in-page scripts (auditor/browser/scripts/*.js)
CANDIDATES_JS = source("candidates")   # every visible control, marked data-cardshop="<gen>-<i>"
GEN_JS = source("generation")          # the change counter quiet.js keeps
OUTLINE_JS = source("outline")
BODY_TEXT_JS = source("body_text")
SAME_WINDOW_JS = source("same_window")

# candidates.js, returned as one JSON string: Playwright's structured serialisation of ~50
# control objects (and its parsing in Python) costs 2-3× the walk itself.
CANDIDATES_JSON_JS = "(arg) => JSON.stringify((" + CANDIDATES_JS.strip() + ")(arg))"


def evaluate_json(target, json_js: str, plain_js: str, arg, required: str = "controls"):
    """``target.evaluate`` of ``json_js`` (a JSON-returning wrapper of ``plain_js``), parsed;
    falls back to ``plain_js`` when the page has tampered with JSON.stringify."""
    text = target.evaluate(json_js, arg)
    try:
        data = json.loads(text)
        if isinstance(data, dict) and required in data:
            return data
    except (TypeError, ValueError):
        pass
    return target.evaluate(plain_js, arg)


@dataclass
class Control:
    """A visible clickable element, as seen by CANDIDATES_JS."""
    mark: str
    text: str
    tag: str
    href: str = ""
    abs: str = ""
    target: str = ""
    role: str = ""
    type: str = ""
    is_submit: bool = False
    in_form: bool = False
    form_has_password: bool = False
    toggle_like: bool = False
    region: str = "main"
    in_menu: bool = False
    plain: bool = False       # an http(s) link no script handles (see CANDIDATES_JS)
    y: int = 0
    x: int = 0
    frame: int = 0            # 0: the page; n: its n-th same-site iframe (this snapshot)

    @property
    def label(self) -> str:
        text = clean_label(self.text)
        return text or ("⋯" if self.toggle_like else "")

    @classmethod
    def from_js(cls, data: dict) -> "Control":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Snapshot:
    url: str
    title: str
    controls: list[Control]
    password_visible: bool

    def signature(self) -> tuple:
        return (self.url.split("#")[0], tuple(sorted({(c.label, c.tag) for c in self.controls})))


class PageControls:
    """Reading and clicking the controls of the session's page (mixed into ShopSession,
    which keeps the snapshot state: ``_gen``, ``_snap``, ``_snap_gen``, ``_key``)."""

    def snapshot(self, retries: int = 3, reuse: bool = False) -> Snapshot:
        """Every visible control of the page, including same-site iframes (old 卡盟 member
        centres load their pages into a frame next to a menu).  ``reuse``: the previous
        snapshot when the page has not changed since (same document, no DOM change, no
        frames), which costs one small evaluate instead of a walk of the whole DOM."""
        if reuse and self._snap is not None and self._snap_gen is not None:
            try:
                if (self.page.url == self._snap.url and len(self.page.frames) == 1
                        and self.page.evaluate(GEN_JS, self._key) == self._snap_gen):
                    return self._snap
            except Exception:
                pass
        self._snap = self._snap_gen = None
        last: Exception | None = None
        for _ in range(retries):
            self._gen += 1
            try:
                data = evaluate_json(self.page, CANDIDATES_JSON_JS, CANDIDATES_JS, [str(self._gen), self._key])
                controls = [Control.from_js(c) for c in data["controls"]]
                password = bool(data.get("password_visible"))
                frames = [self.page.main_frame]
                if len(self.page.frames) > 1:
                    extra, password_in = self._frame_controls(frames)
                    controls += extra
                    password = password or password_in
                self._snap_frames = frames
                snap = Snapshot(url=data["url"], title=data.get("title") or "", controls=controls,
                                password_visible=password)
                if len(frames) == 1:
                    self._snap, self._snap_gen = snap, data.get("gen")
                return snap
            except Exception as exc:      # navigation in flight: let it land, try again
                last = exc
                self.settle(1.0)
        raise RuntimeError(f"could not read the page: {last}")

    def _frame_controls(self, frames: list) -> tuple[list[Control], bool]:
        out: list[Control] = []
        password = False
        for frame in self.page.frames[1:]:
            if len(frames) > MAX_FRAMES:
                break
            try:
                if frame.is_detached() or not frame.url.startswith("http") or not self.allowed_url(frame.url):
                    continue
                box = frame.frame_element().bounding_box()
                if not box or box["width"] < 40 or box["height"] < 40:
                    continue
                index = len(frames)
                data = evaluate_json(frame, CANDIDATES_JSON_JS, CANDIDATES_JS, f"{self._gen}f{index}")
            except Exception:
                continue
            frames.append(frame)
            password = password or bool(data.get("password_visible"))
            for c in data["controls"]:
                control = Control.from_js(c)
                control.frame = index
                control.y += int(box["y"])
                control.x += int(box["x"])
                out.append(control)
        return out, password

    def _frame_of(self, control: Control):
        frames = getattr(self, "_snap_frames", None) or [self.page.main_frame]
        if control.frame < len(frames) and not frames[control.frame].is_detached():
            return frames[control.frame]
        return self.page.main_frame

    def locator(self, control: Control):
        return self._frame_of(control).locator(f'[data-cardshop="{control.mark}"]').first

    def visible_text(self, limit: int = 20000) -> str:
        try:
            return (self.page.evaluate(BODY_TEXT_JS) or "")[:limit]
        except Exception:
            return ""

    # ---- acting ------------------------------------------------------------------------------
    def click(self, control: Control) -> bool:
        """Click like a person (hover first, so hover menus open), then let the page settle.
        A same-site link that would open a new window opens in this page instead."""
        loc = self.locator(control)
        if control.target and control.target != "_self":
            try:
                loc.evaluate(SAME_WINDOW_JS)
            except Exception:
                pass
        before = len(self.context.pages)
        try:
            loc.click(timeout=2000)
        except Exception:
            # covered (an open hover menu, a sticky banner): move the mouse away and retry;
            # never a forced click at the coordinates, which would hit whatever covers it
            try:
                self.page.mouse.move(1, 1)
                self.page.wait_for_timeout(150)
                loc.click(timeout=1500)
            except Exception:
                try:
                    loc.dispatch_event("click", timeout=1500)
                except Exception:
                    return False
        self.settle()
        if len(self.context.pages) > before:
            self.follow_popups()
        return True

    def follow_popups(self) -> None:
        """Close every extra window; follow the first same-site one in the main page."""
        follow = None
        for extra in list(self.context.pages):
            if extra is self.page:
                continue
            url = extra.url
            try:
                if url in ("", "about:blank"):          # window.open(): the URL comes a moment later
                    extra.wait_for_url(lambda u: u not in ("", "about:blank"), timeout=2000,
                                       wait_until="commit")
                    url = extra.url
            except Exception:
                url = extra.url
            self.guard.popups.append(url)
            try:
                extra.close()
            except Exception:
                pass
            if follow is None and url.startswith("http") and self.allowed_url(url):
                follow = url
        if follow:
            self.goto(follow)

    def outline(self, control: Control, on: bool = True) -> None:
        try:
            self._frame_of(control).evaluate(OUTLINE_JS, [f'[data-cardshop="{control.mark}"]', on])
        except Exception:
            pass
