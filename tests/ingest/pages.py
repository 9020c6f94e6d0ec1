"""Article pages for tests, built around real report text (the seed's AFP report)."""

from pathlib import Path

from django.utils.html import escape

SEED_REPORT = (
    Path(__file__).resolve().parents[2] / "negotiations" / "scenarios" / "afp-trump-putin-call.txt"
)


def seed_report() -> str:
    return SEED_REPORT.read_text(encoding="utf-8")


def news_page(*, outlet: str, title: str, paragraphs: list[str], canonical: str = "") -> bytes:
    """An outlet's page: its own navigation and footer around the story's paragraphs."""
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {escape(outlet)}</title>
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="article:published_time" content="2025-03-18T21:00:00+00:00">{link}</head>
<body><nav><a href="/">{escape(outlet)}</a> | <a href="/world">World</a> |
<a href="/europe">Europe</a></nav>
<article><h1>{escape(title)}</h1>
{body}
</article>
<footer><p>© {escape(outlet)}. All rights reserved.</p></footer>
</body></html>""".encode()


def wire_copy(outlet: str, *, dateline: str = "", canonical: str = "") -> bytes:
    """The AFP report as an outlet republishes it: its own dateline, its own page."""
    paragraphs = seed_report().split("\n")
    if dateline:
        paragraphs[0] = f"{dateline} {paragraphs[0]}"
    return news_page(
        outlet=outlet,
        title="Putin agrees to pause strikes on energy sites but refuses full ceasefire",
        paragraphs=paragraphs,
        canonical=canonical,
    )
