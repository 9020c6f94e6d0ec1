"""Loading a scenario file: parties, proposals, statements, positions, conditions, events.

A scenario is data (JSON), not code: another conflict is another file. Loading is
idempotent (records are matched on natural keys and only rewritten when they differ)
and all-or-nothing (one bad record and nothing is written). Errors name the file, the
record and the field.
"""

import collections
import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from ..models import Article, Condition, Event, Party, Position, Proposal, Statement

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "ukraine-2025-03.json"


class ScenarioError(Exception):
    """A scenario file that cannot be loaded; the message says where and why."""


@dataclasses.dataclass
class ScenarioReport:
    created: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    updated: collections.Counter = dataclasses.field(default_factory=collections.Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        if not self.changed:
            return "Scenario already loaded: nothing changed."
        parts = [f"{n} {name} created" for name, n in sorted(self.created.items())]
        parts += [f"{n} {name} updated" for name, n in sorted(self.updated.items())]
        return "Scenario loaded: " + ", ".join(parts) + "."


ALLOWED_KEYS = {
    "articles": {"key", "url", "outlet", "title", "author", "published_at", "text_file", "text"},
    "parties": {"slug", "name", "kind", "parent", "title", "aliases", "description"},
    "proposals": {
        "slug",
        "name",
        "kind",
        "scope",
        "duration_days",
        "proposed_by",
        "proposed_on",
        "parent",
        "aliases",
        "description",
    },
    "conditions": {
        "key",
        "proposal",
        "set_by",
        "demanded_of",
        "category",
        "summary",
        "status",
    },
    "statements": {
        "speaker",
        "on_behalf_of",
        "occurred_at",
        "channel",
        "is_verbatim",
        "article",
        "excerpt",
        "source_url",
        "source_outlet",
        "source_title",
        "positions",
        "conditions",
    },
    "positions": {"proposal", "party", "stance", "as_of", "note"},
    "events": {
        "kind",
        "title",
        "description",
        "occurred_at",
        "article",
        "source_url",
        "source_outlet",
        "source_title",
        "parties",
        "proposals",
    },
}


class _Loader:
    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data
        self.report = ScenarioReport()
        self.articles: dict[str, Article] = {}
        self.conditions: dict[str, Condition] = {}
        self.where = ""

    # -- errors and parsing ------------------------------------------------------------

    def fail(self, field: str | None, message: str) -> None:
        at = f", field '{field}'" if field else ""
        raise ScenarioError(f"{self.path}: {self.where}{at}: {message}")

    def required(self, record: dict, field: str) -> Any:
        if record.get(field) in (None, ""):
            self.fail(field, "is required")
        return record[field]

    def moment(self, record: dict, field: str) -> datetime.datetime:
        value = parse_datetime(str(self.required(record, field)))
        if value is None or value.tzinfo is None:
            self.fail(field, f"{record[field]!r} is not an ISO 8601 date-time with a zone")
        return value

    def day(self, record: dict, field: str) -> datetime.date | None:
        if not record.get(field):
            return None
        value = parse_date(str(record[field]))
        if value is None:
            self.fail(field, f"{record[field]!r} is not a date (YYYY-MM-DD)")
        return value

    def ref(self, model, record: dict, field: str, *, required: bool = True):
        slug = record.get(field)
        if not slug:
            if required:
                self.fail(field, "is required")
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            self.fail(field, f"no {model._meta.verbose_name} with slug {slug!r}")

    def keyed(self, table: dict, record_value: str, field: str, what: str):
        if record_value not in table:
            self.fail(field, f"no {what} with key {record_value!r} in this file")
        return table[record_value]

    # -- writing -----------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, m2m: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        name = model._meta.verbose_name_plural
        created = obj is None
        if created:
            obj = model(**lookup, **values)
            self.validate(obj)
            obj.save()
            self.report.created[name] += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(obj, key, value)
                self.validate(obj)
                obj.save()
                self.report.updated[name] += 1
        for field, wanted in (m2m or {}).items():
            manager = getattr(obj, field)
            if set(manager.values_list("pk", flat=True)) != {o.pk for o in wanted}:
                manager.set(wanted)
                if not created:
                    self.report.updated[name] += 1
        return obj

    def validate(self, obj: models.Model) -> None:
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            self.fail(None if field == "__all__" else field, " ".join(messages))

    def records(self, section: str):
        records = self.data.get(section, [])
        if not isinstance(records, list):
            self.where = section
            self.fail(None, "must be a list of records")
        for index, record in enumerate(records):
            label = record.get("slug") or record.get("key") or record.get("title") or ""
            self.where = f"{section}[{index}]" + (f" ({label})" if label else "")
            if not isinstance(record, dict):
                self.fail(None, "must be an object")
            unknown = set(record) - ALLOWED_KEYS[section]
            if unknown:
                self.fail(sorted(unknown)[0], "is not a field of this record")
            yield record

    # -- sections ----------------------------------------------------------------------

    def run(self) -> ScenarioReport:
        for record in self.records("articles"):
            self.load_article(record)
        for record in self.records("parties"):
            self.load_party(record)
        for record in self.records("proposals"):
            self.load_proposal(record)
        for record in self.records("conditions"):
            self.load_condition(record)
        for record in self.records("statements"):
            self.load_statement(record)
        for record in self.records("positions"):
            self.load_position(record)
        for record in self.records("events"):
            self.load_event(record)
        return self.report

    def load_article(self, record: dict) -> None:
        url = self.required(record, "url")
        if record.get("text_file"):
            text_path = self.path.parent / record["text_file"]
            try:
                text = text_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.fail("text_file", f"cannot read {text_path}: {exc}")
        else:
            text = self.required(record, "text")
        published_at = self.moment(record, "published_at") if record.get("published_at") else None
        self.articles[self.required(record, "key")] = self.upsert(
            Article,
            {"canonical_url": url},
            {
                "url": url,
                "outlet": record.get("outlet", ""),
                "title": record.get("title", ""),
                "author": record.get("author", ""),
                "published_at": published_at,
                "text": text,
                "fetch_status": Article.FetchStatus.FETCHED,
            },
        )

    def load_party(self, record: dict) -> None:
        self.upsert(
            Party,
            {"slug": self.required(record, "slug")},
            {
                "name": self.required(record, "name"),
                "kind": self.required(record, "kind"),
                "parent": self.ref(Party, record, "parent", required=False),
                "title": record.get("title", ""),
                "aliases": list(record.get("aliases", [])),
                "description": record.get("description", ""),
            },
        )

    def load_proposal(self, record: dict) -> None:
        self.upsert(
            Proposal,
            {"slug": self.required(record, "slug")},
            {
                "name": self.required(record, "name"),
                "kind": self.required(record, "kind"),
                "scope": record.get("scope", ""),
                "duration_days": record.get("duration_days"),
                "proposed_by": self.ref(Party, record, "proposed_by", required=False),
                "proposed_on": self.day(record, "proposed_on"),
                "parent": self.ref(Proposal, record, "parent", required=False),
                "aliases": list(record.get("aliases", [])),
                "description": record.get("description", ""),
            },
        )

    def load_condition(self, record: dict) -> None:
        self.conditions[self.required(record, "key")] = self.upsert(
            Condition,
            {
                "proposal": self.ref(Proposal, record, "proposal"),
                "set_by": self.ref(Party, record, "set_by"),
                "category": self.required(record, "category"),
                "summary": self.required(record, "summary"),
            },
            {
                "demanded_of": self.ref(Party, record, "demanded_of", required=False),
                "status": record.get("status", Condition.Status.OPEN),
            },
        )

    def source(self, record: dict) -> dict:
        if record.get("article"):
            article = self.keyed(self.articles, record["article"], "article", "article")
            return {"article": article}
        return {
            "article": None,
            "source_url": self.required(record, "source_url"),
            "source_outlet": record.get("source_outlet", ""),
            "source_title": record.get("source_title", ""),
        }

    def load_statement(self, record: dict) -> None:
        source = self.source(record)
        excerpt = self.required(record, "excerpt")
        article = source["article"]
        speaker = self.ref(Party, record, "speaker")
        if article is not None:
            start = article.text.find(excerpt)
            if start < 0:
                self.fail("excerpt", "is not found in the article's text")
            lookup = {
                "article": article,
                "span_start": start,
                "span_end": start + len(excerpt),
                "speaker": speaker,
            }
        else:
            lookup = {"source_url": source["source_url"], "speaker": speaker, "text": excerpt}
        statement = self.upsert(
            Statement,
            lookup,
            {
                **{k: v for k, v in source.items() if k != "article"},
                "on_behalf_of": self.ref(Party, record, "on_behalf_of", required=False),
                "occurred_at": self.moment(record, "occurred_at"),
                "channel": self.required(record, "channel"),
                "text": excerpt,
                "is_verbatim": bool(record.get("is_verbatim", False)),
                "status": Statement.Status.PUBLISHED,
                "extractor": "scenario",
                "confidence": 1.0,
            },
            m2m={
                "conditions": [
                    self.keyed(self.conditions, key, "conditions", "condition")
                    for key in record.get("conditions", [])
                ]
            },
        )
        for condition in statement.conditions.all():
            if condition.first_stated_in is None:
                condition.first_stated_in = statement
                condition.save(update_fields=["first_stated_in", "updated_at"])
        for item in record.get("positions", []):
            self.upsert(
                Position,
                {
                    "proposal": self.ref(Proposal, item, "proposal"),
                    "party": statement.stance_party,
                    "as_of": statement.occurred_at,
                },
                {"stance": self.required(item, "stance"), "statement": statement},
            )

    def load_position(self, record: dict) -> None:
        self.upsert(
            Position,
            {
                "proposal": self.ref(Proposal, record, "proposal"),
                "party": self.ref(Party, record, "party"),
                "as_of": self.moment(record, "as_of"),
            },
            {"stance": self.required(record, "stance"), "note": record.get("note", "")},
        )

    def load_event(self, record: dict) -> None:
        self.upsert(
            Event,
            {
                "title": self.required(record, "title"),
                "occurred_at": self.moment(record, "occurred_at"),
            },
            {
                **self.source(record),
                "kind": self.required(record, "kind"),
                "description": record.get("description", ""),
            },
            m2m={
                "parties": [self.ref(Party, {"p": s}, "p") for s in record.get("parties", [])],
                "proposals": [
                    self.ref(Proposal, {"p": s}, "p") for s in record.get("proposals", [])
                ],
            },
        )


def scenario_load(*, path: Path = DEFAULT_SCENARIO) -> ScenarioReport:
    """Load a scenario file in one transaction; raise ScenarioError and write nothing on error."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: the top level must be an object")
    with transaction.atomic():
        return _Loader(path, data).run()
