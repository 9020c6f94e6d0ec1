"""Plain-dict forms of timeline items, shared by the API and the JSON, CSV and Atom exports."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.html import escape

from ..models import Party, Position, Proposal
from ..selectors import TimelineItem


def party_ref(party: Party | None) -> dict | None:
    if party is None:
        return None
    return {"slug": party.slug, "name": party.name}


def conflict_ref(conflict) -> dict:
    return {"slug": conflict.slug, "name": conflict.name}


def source_json(obj) -> dict:
    article = obj.article
    return {
        "outlet": (article.outlet if article else "") or obj.source_outlet,
        "title": (article.title if article else "") or obj.source_title,
        "url": obj.source_link,
    }


def statement_sources(statement) -> list[dict]:
    """Every source of a statement, its primary one first, each with its outlet, title and
    URL; `statement.sources` is prefetched by the selectors."""
    return [
        {**source_json(statement), "primary": True},
        *({**source_json(s), "primary": False} for s in statement.sources.all()),
    ]


def outlet_count(sources: list[dict]) -> int:
    """How many outlets reported it: two stories of one outlet count once."""
    return len({(s["outlet"] or urlsplit(s["url"]).netloc or s["url"]).casefold() for s in sources})


def reported_by(record: dict) -> str:
    """ "Reported by 3 outlets: AFP (url), …" for a statement's JSON form; empty for one."""
    sources = record.get("sources", [])
    if record.get("outlets", 0) < 2:
        return ""
    listed = "; ".join(f"{s['outlet'] or s['title']} ({s['url']})" for s in sources)
    return f"Reported by {record['outlets']} outlets: {listed}."


def position_json(position: Position) -> dict:
    return {
        "proposal": position.proposal.slug,
        "proposal_name": position.proposal.name,
        "stance": position.stance,
        "as_of": position.as_of.isoformat(),
    }


def item_json(item: TimelineItem, *, request) -> dict:
    """A statement or an event as the API and the exports give it."""
    obj = item.obj
    common = {
        "kind": item.kind,
        "id": obj.pk,
        "conflict": conflict_ref(obj.conflict),
        "occurred_at": obj.occurred_at.isoformat(),
        "updated_at": obj.updated_at.isoformat(),
        "source": source_json(obj),
        "permalink": request.build_absolute_uri(
            reverse(f"negotiations:{item.kind}_detail", kwargs={"pk": obj.pk})
        ),
    }
    if item.is_statement:
        sources = statement_sources(obj)
        return {
            **common,
            "sources": sources,
            "outlets": outlet_count(sources),
            "speaker": party_ref(obj.speaker),
            "on_behalf_of": party_ref(obj.on_behalf_of),
            "channel": obj.channel,
            "text": obj.text,
            "verbatim": obj.is_verbatim,
            "positions": [position_json(p) for p in obj.positions.all()],
            "conditions": [
                {
                    "proposal": c.proposal.slug,
                    "category": c.category,
                    "summary": c.summary,
                    "status": c.status,
                }
                for c in obj.conditions.all()
            ],
        }
    return {
        **common,
        "event_kind": obj.kind,
        "title": obj.title,
        "description": obj.description,
        "parties": [party_ref(p) for p in obj.parties.all()],
        "proposals": [proposal_ref(p) for p in obj.proposals.all()],
        "positions": [],
        "conditions": [],
    }


def proposal_ref(proposal: Proposal | None) -> dict | None:
    if proposal is None:
        return None
    return {"slug": proposal.slug, "name": proposal.name}


def timelinejs_event(item: TimelineItem, *, request) -> dict:
    """One TimelineJS slide (its JSON format: start_date parts, text, group, unique_id).

    TimelineJS renders a slide's headline and text as HTML: ours are plain text, escaped.
    """
    record = item_json(item, request=request)
    at = item.obj.occurred_at
    if item.is_statement:
        who = record["speaker"]["name"]
        headline = (
            who if not record["on_behalf_of"] else f"{who} ({record['on_behalf_of']['name']})"
        )
        body = record["text"]
        group = record["on_behalf_of"]["name"] if record["on_behalf_of"] else who
    else:
        headline, body, group = record["title"], record["description"], "Events"
    return {
        "unique_id": f"{item.kind}-{item.obj.pk}",
        "start_date": {
            "year": at.year,
            "month": at.month,
            "day": at.day,
            "hour": at.hour,
            "minute": at.minute,
        },
        "text": {"headline": escape(headline), "text": escape(body)},
        "group": group,
    }
