"""Thai numerals in what is printed: the digits of the text, never of the markup."""

from __future__ import annotations

from evalkit.core.numerals import thai_digits_html


def test_text_digits_become_thai_and_markup_stays():
    html = (
        '<p class="c1" style="width:10px">คะแนน 312.50 / 500 &#x27;x&#39; 21 พ.ย. 2569</p>'
        "<script>let a = 100;</script><style>p{margin:2px}</style>"
        '<img src="data:image/png;base64,AB12" alt="ร้อยละ 45"><a href="a1/2565.html">2565</a>'
    )
    assert thai_digits_html(html) == (
        '<p class="c1" style="width:10px">คะแนน ๓๑๒.๕๐ / ๕๐๐ &#x27;x&#39; ๒๑ พ.ย. ๒๕๖๙</p>'
        "<script>let a = 100;</script><style>p{margin:2px}</style>"
        '<img src="data:image/png;base64,AB12" alt="ร้อยละ 45"><a href="a1/2565.html">๒๕๖๕</a>'
    )


def test_a_page_without_digits_is_unchanged():
    assert thai_digits_html("<p>ไม่มีตัวเลข</p>") == "<p>ไม่มีตัวเลข</p>"
