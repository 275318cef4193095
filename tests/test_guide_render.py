"""docs/records-guide.md renders as written (issue 16): numbered steps stay one list each, fenced
commands inside list items become code blocks, and no fence's language tag (「sh」「text」)
shows up as text."""

from __future__ import annotations

import re

from tests.browser import Built

TAG = re.compile(r"<[^>]+>")


def test_guide_steps_and_code_blocks_render(demo_site: Built) -> None:
    html = (demo_site.site / "records-guide.html").read_text(encoding="utf-8")
    body = html[html.index("<article"):html.index("</article>")]
    text = TAG.sub("", body)
    assert not re.search(r"(^|\n)\s*[0-9]+\. \S", text), "a numbered step was read as text, not as a list item"
    assert "```" not in text and not re.search(r"(^|[\s>])(sh|text)\s*\n", text)
    lists = re.findall(r"<ol>(.*?)</ol>", body, re.S)
    top_level = [len(re.findall(r"<li>", re.sub(r"<ul>.*?</ul>", "", ol, flags=re.S))) for ol in lists]
    assert top_level == [7, 3, 4], top_level  # 例1, 例2 (検査書が届いたら), 端末から
    assert body.count("<pre") == len(re.findall(r"^\s*```[a-z]+$", (demo_site.root / "docs" / "records-guide.md")
                                                .read_text(encoding="utf-8"), re.M))
