"""Keyboard shortcuts for the detail page.

Streamlit has no keyboard shortcuts of its own. A small listener, injected once per page with
``st.components.v1.html`` (its iframe is same-origin, so it may reach the app's document),
clicks the page's own buttons by their widget keys (Streamlit marks each keyed element with
the class ``st-key-<key>``): nothing happens that a click could not do, and every action goes
through the same code path, version check included. Keys typed into a text field are left
alone. ``streamlit-shortcuts`` on PyPI does the same per button; one listener for the page keeps
the map in one place and lets a key pick a radio option.
"""

from __future__ import annotations

import json

# key -> what it does (shown on the page), and the element it clicks (CSS selector templates;
# {id} is the agreement's id; "selector@N" is the N-th element matching it)
SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("1", "选「无效」", ".st-key-detail_decision_{id} [role=radiogroup] label@1"),
    ("2", "选「可整改」", ".st-key-detail_decision_{id} [role=radiogroup] label@2"),
    ("3", "选「规范补签」", ".st-key-detail_decision_{id} [role=radiogroup] label@3"),
    ("4", "选「合规」", ".st-key-detail_decision_{id} [role=radiogroup] label@4"),
    ("Enter", "提交决定并打开下一份", ".st-key-detail_decision_submit_next_{id} button"),
    ("d", "提交决定并打开下一份", ".st-key-detail_decision_submit_next_{id} button"),
    ("n", "下一份", ".st-key-detail_next button"),
    ("p", "上一份", ".st-key-detail_prev button"),
    ("c", "确认第一项未处理的发现", "[class*='st-key-finding_open_'] [class*='st-key-finding_confirm_'] button"),
    ("y", "确认改变已有决定", ".st-key-detail_confirm_yes_{id} button"),
)

HELP = "快捷键：1–4 选择处理决定，回车或 D 提交并打开下一份，N 下一份，P 上一份，C 确认第一项未处理的发现，Y 确认改变已有决定。"

_JS = """
<script>
(function(){
  const P = window.parent, doc = P.document, map = %(map)s;
  if (P.__crKeys) doc.removeEventListener('keydown', P.__crKeys, true);
  let last = {key: null, at: 0};
  P.__crKeys = function(e){
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target, tag = (t && t.tagName || '').toLowerCase();
    const typing = tag === 'textarea' || tag === 'select' || (t && t.isContentEditable) ||
      (tag === 'input' && !['radio', 'checkbox', 'button', 'submit'].includes((t.type || '').toLowerCase()));
    if (typing) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const sel = map[key]; if (!sel) return;
    const [css, nth] = sel.split('@');  // "selector@N": the N-th match (a radio's option)
    const el = nth ? doc.querySelectorAll(css)[Number(nth) - 1] : doc.querySelector(css);
    if (!el || el.disabled) return;
    e.preventDefault(); e.stopPropagation();
    const now = Date.now();  // one press, one action: a key repeated within 350 ms is dropped
    if (key === last.key && now - last.at < 350) return;
    last = {key: key, at: now};
    el.click();
  };
  doc.addEventListener('keydown', P.__crKeys, true);
  // a finding's evidence quote (class ev-quote, data-ev = the box's number) scrolls the viewer to its box
  if (P.__crClicks) doc.removeEventListener('click', P.__crClicks, true);
  P.__crClicks = function(e){
    const q = e.target && e.target.closest && e.target.closest('.ev-quote[data-ev]'); if (!q) return;
    for (const f of doc.querySelectorAll('iframe')) {
      try { if (f.contentWindow.focusEvidence) { f.scrollIntoView({block: 'nearest'}); f.contentWindow.focusEvidence(q.dataset.ev); } }
      catch (_) {}
    }
  };
  doc.addEventListener('click', P.__crClicks, true);
})();
</script>
"""


def listener_html(agreement_id: int) -> str:
    """The listener for the page of agreement ``agreement_id``."""
    table = {key: selector.format(id=agreement_id) for key, _, selector in SHORTCUTS}
    return _JS % {"map": json.dumps(table, ensure_ascii=False)}


__all__ = ["HELP", "SHORTCUTS", "listener_html"]
