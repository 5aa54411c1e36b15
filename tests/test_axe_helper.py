"""The axe-core helper finds a real violation, so a clean page means something."""

import pytest

from .axe import violations

pytestmark = [pytest.mark.browser]


def test_axe_reports_an_image_without_alt_text_and_passes_a_clean_page(browser):
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="ru"><head><title>т</title></head><body><main><img src="x.png"></main></body></html>'
        )
        assert [v["id"] for v in violations(page, impacts=("critical",))] == ["image-alt"]
        page.set_content('<html lang="ru"><head><title>т</title></head><body><main><p>Журнал</p></main></body></html>')
        assert violations(page) == []
    finally:
        page.close()
