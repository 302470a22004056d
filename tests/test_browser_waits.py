"""The browser tests' waits survive Streamlit's reruns (no browser needed).

A Streamlit rerun replaces widgets in the page; an element found a moment before may be gone when
it is read or clicked. CI failed once on exactly that (a StaleElementReferenceException while
reading the queue's select box): a wait must treat it as "not yet" and look again.
"""

from __future__ import annotations

import pytest

pytest.importorskip("selenium")

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402

from browser_support import Page  # noqa: E402


class _Element:
    def __init__(self, stale_clicks: int):
        self.stale_clicks = stale_clicks
        self.clicks = 0

    def is_displayed(self) -> bool:
        return True

    def is_enabled(self) -> bool:
        return True

    def click(self) -> None:
        if self.stale_clicks:
            self.stale_clicks -= 1
            raise StaleElementReferenceException("replaced by a rerun")
        self.clicks += 1


class _Driver:
    def __init__(self, element: _Element):
        self.element = element

    def find_element(self, by, value):
        return self.element

    def execute_script(self, script, *args):
        return None


def test_a_condition_reading_a_replaced_element_is_polled_again():
    reads = iter([StaleElementReferenceException("replaced"), StaleElementReferenceException("replaced"), "scan.pdf"])

    def value(_driver):
        item = next(reads)
        if isinstance(item, Exception):
            raise item
        return item

    page = Page(_Driver(_Element(0)), timeout=5)
    assert page.until(value, message="value") == "scan.pdf"


def test_a_click_on_a_replaced_button_is_made_once_on_the_new_one():
    button = _Element(stale_clicks=2)
    Page(_Driver(button), timeout=5).click(".st-key-queue_open_button button")
    assert button.clicks == 1
