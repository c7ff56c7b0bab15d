"""The query page in headless Chromium: catalogue queries load without error markers, and IRIs with
a `javascript:` scheme in results are shown as text, never as clickable links."""

from __future__ import annotations

import threading

import pytest

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def page_server(seed_store):
    from graphkit.server.app import make_server

    s = make_server(seed_store, port=0, timeout=10, workers=1)
    thread = threading.Thread(target=s.serve_forever, daemon=True)
    thread.start()
    yield s
    s.close()
    thread.join(10)


def _open(browser, base):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    page.wait_for_selector("#catalogue option[value='mous']", state="attached")
    return page, errors


def test_catalogue_queries_show_no_syntax_error_markers(page_server, browser):
    page, errors = _open(browser, page_server.url)
    try:
        names = page.eval_on_selector_all("#catalogue option", "os => os.map(o => o.value).filter(v => v)")
        flagged = {}
        for name in names:
            page.select_option("#catalogue", name)
            page.wait_for_timeout(150)  # the editor checks the syntax after a short delay
            markers = page.locator(".yasqe .parseErrorIcon").count()
            if markers:
                flagged[name] = page.locator(".yasqe .parseErrorIcon").first.get_attribute("title")
        page.evaluate("q => { window.graphkitYasgui.getTab().setQuery(q); }", "SELECT * WHERE { ?s ?p }")
        page.wait_for_timeout(300)
        broken = page.locator(".yasqe .parseErrorIcon").count()
    finally:
        page.close()
    assert len(names) >= 20
    assert flagged == {}
    assert broken >= 1  # the check does mark an error where there is one
    assert errors == []


def test_javascript_iris_are_not_clickable(page_server, browser):
    page, errors = _open(browser, page_server.url)
    try:
        page.evaluate(
            "q => { const t = window.graphkitYasgui.getTab(); t.setQuery(q); t.query(); }",
            "SELECT ?x WHERE { VALUES ?x { <javascript:alert(document.domain)> <JavaScript:void(0)> "
            "<https://example.org/ok> } }",
        )
        page.wait_for_selector(".yasr td", timeout=20_000)
        page.wait_for_timeout(200)
        hrefs = page.eval_on_selector_all(".yasr a", "as => as.map(a => a.getAttribute('href'))")
        text = page.inner_text(".yasr table")
    finally:
        page.close()
    assert "javascript:alert(document.domain)" in text  # shown, as text
    assert not [h for h in hrefs if h and h.strip().lower().startswith("javascript:")]
    assert "https://example.org/ok" in hrefs  # ordinary links still work
    assert errors == []
