"""Loading scenario files: one conflict each, with its parties, proposals and what was said.

A scenario is data (JSON), not code: another conflict is another file. A file is checked
against a JSON Schema (`scenarios/schema/scenario.schema.json`) before anything is written,
then loaded in one transaction: one bad record and nothing is written. Errors name the
file, the record and the field, and list the valid values where there is a list.

Parties are global: a file declares every party it uses, so that it loads alone into an
empty database. A declared party is created when missing and left alone when present (with
a warning where the file says something else), so files load in any order. Everything else
(the conflict, its participants, proposals, conditions, statements, positions, events) is
the file's own: matched on natural keys and only rewritten when it differs, so loading a
file twice changes nothing.
"""

import collections
import dataclasses
import datetime
import functools
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from ..models import (
    Article,
    Condition,
    Conflict,
    Event,
    Participation,
    Party,
    Position,
    Proposal,
    Statement,
)

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
SCHEMA_PATH = SCENARIO_DIR / "schema" / "scenario.schema.json"
# The seed scenario: the AFP report of the 18 March 2025 Trump–Putin call.
DEFAULT_SCENARIO = SCENARIO_DIR / "russia-ukraine.json"
SECTIONS = (
    "articles",
    "parties",
    "participants",
    "proposals",
    "conditions",
    "statements",
    "positions",
    "events",
)
MAX_REPORTED_ERRORS = 20


def shipped_scenarios() -> list[Path]:
    """Every scenario file that ships with the project, one per conflict."""
    return sorted(SCENARIO_DIR.glob("*.json"))


class ScenarioError(Exception):
    """A scenario file that cannot be loaded; the message says where and why."""


@dataclasses.dataclass
class ScenarioReport:
    path: Path | None = None
    created: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    updated: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        name = f"{self.path.name}: " if self.path else ""
        if not self.changed:
            return f"{name}already loaded: nothing changed."
        parts = [f"{n} {kind} created" for kind, n in sorted(self.created.items())]
        parts += [f"{n} {kind} updated" for kind, n in sorted(self.updated.items())]
        return f"{name}loaded: " + ", ".join(parts) + "."


# -- the schema, and its errors in words ---------------------------------------------------


@functools.cache
def _validator():
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


_FORMATS = {
    "slug": "a slug (lower-case letters, digits and hyphens)",
    "date": "a date (YYYY-MM-DD)",
    "moment": "an ISO 8601 date-time with a zone (2025-03-18T16:00:00Z)",
    "url": "an http(s) URL",
}
_TYPES = {
    "array": "a list",
    "object": "an object",
    "string": "a string",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else type(value).__name__


def _allowed_fields(schema: dict) -> list[str]:
    defs = _validator().schema["$defs"]
    fields = set(schema.get("properties", {}))
    if "$ref" in schema:
        fields |= set(defs[schema["$ref"].rsplit("/", 1)[-1]].get("properties", {}))
    return sorted(fields)


def _explain(error) -> tuple[list, str]:
    """(where, what) for one schema error: the path to the field, and the problem in words."""
    where = list(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind in ("oneOf", "anyOf") and error.context:
        if all(sub.validator == "required" for sub in error.context):
            options = " or ".join(f"'{sub.validator_value[0]}'" for sub in error.context)
            return where, f"needs a source: {options}"
        # An optional value ("a date, or null"): explain the alternative that is not null.
        real = [
            s for s in error.context if not (s.validator == "type" and s.validator_value == "null")
        ]
        if real:
            sub = min(real, key=lambda s: len(list(s.relative_schema_path)))
            return _explain(sub)[0] or where, _explain(sub)[1]
    if kind == "required":
        missing = [name for name in value if name not in instance]
        return where + missing[:1], "is required"
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = _allowed_fields(error.schema)
        unexpected = sorted(set(instance) - set(allowed))
        return (
            where + unexpected[:1],
            "is not a field of this record; its fields are " + ", ".join(allowed),
        )
    if kind == "enum":
        return where, f"{instance!r} is not a valid value; valid values: " + ", ".join(value)
    if kind == "type":
        expected = _TYPES.get(value, value)
        got = _type_name(instance)
        hint = ' (write a list of strings: ["a", "b"])' if value == "array" else ""
        return where, f"must be {expected}, not {got}: {instance!r}{hint}"
    if kind == "pattern":
        defs = _validator().schema["$defs"]
        name = next((n for n, d in defs.items() if d is error.schema), "")
        return where, f"{instance!r} is not {_FORMATS.get(name, 'in the expected form')}"
    if kind == "minLength":
        return where, "must not be empty" if value == 1 else f"must be at least {value} characters"
    if kind == "maxLength":
        return where, f"must be at most {value} characters"
    if kind == "minimum":
        return where, f"must be at least {value}"
    if kind == "uniqueItems":
        return where, "has the same item twice"
    return where, error.message


def _label(record: Any) -> str:
    if not isinstance(record, dict):
        return ""
    for key in ("slug", "key", "title", "party", "speaker"):
        if isinstance(record.get(key), str) and record[key]:
            return record[key]
    return ""


def _locate(data: dict, where: list) -> tuple[str, str | None]:
    """A record's name ("parties[3] (vance)") and a field's ("aliases[0]") from a path."""
    if not where:
        return "the file", None
    section, rest = where[0], where[1:]
    if not rest:
        return "the file", str(section)
    record_name = str(section)
    if section in SECTIONS and rest and isinstance(rest[0], int):
        index, rest = rest[0], rest[1:]
        label = _label(data[section][index])
        record_name = f"{section}[{index}]" + (f" ({label})" if label else "")
    elif section not in SECTIONS and section != "conflict":
        return "the file", str(section)
    field = ""
    for part in rest:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return record_name, field or None


def scenario_schema_errors(*, path: Path, data: Any) -> list[str]:
    """Every way `data` breaks the scenario schema, in words; empty when it is valid."""
    messages = []
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        where, what = _explain(error)
        record, field = _locate(data if isinstance(data, dict) else {}, where)
        at = f", field '{field}'" if field else ""
        messages.append(f"{path}: {record}{at}: {what}")
    return messages


# -- loading -------------------------------------------------------------------------------


class _Loader:
    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data
        self.report = ScenarioReport(path=path)
        self.articles: dict[str, Article] = {}
        self.conditions: dict[str, Condition] = {}
        self.conflict: Conflict | None = None
        self.where = ""
        self._participants: set[int] = set()
        self._stances: dict[tuple, tuple[str, str]] = {}

    # -- errors and parsing ------------------------------------------------------------

    def fail(self, field: str | None, message: str) -> None:
        at = f", field '{field}'" if field else ""
        raise ScenarioError(f"{self.path}: {self.where}{at}: {message}")

    def moment(self, record: dict, field: str) -> datetime.datetime:
        value = parse_datetime(str(record[field]))
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
            hint = " (declare it in this file's parties)" if model is Party else ""
            self.fail(field, f"no {model._meta.verbose_name} with slug {slug!r}{hint}")

    def proposal(self, record: dict, field: str, *, required: bool = True) -> Proposal | None:
        proposal = self.ref(Proposal, record, field, required=required)
        if proposal is not None and proposal.conflict_id != self.conflict.pk:
            self.fail(field, f"proposal {proposal.slug!r} belongs to another conflict")
        return proposal

    def participant(self, record: dict, field: str, *, required: bool = True) -> Party | None:
        party = self.ref(Party, record, field, required=required)
        if party is not None and not ({party.pk} | {a.pk for a in party.ancestors()}) & (
            self._participants
        ):
            self.fail(
                field,
                f"{party.slug!r} does not take part in conflict {self.conflict.slug!r}: add it "
                "(or a party above it) to this file's participants",
            )
        return party

    def position(self, *, proposal: Proposal, party: Party, as_of, stance: str, **values) -> None:
        """A stance; the same party, proposal and moment may not be given two stances."""
        key = (proposal.pk, party.pk, as_of)
        seen = self._stances.get(key)
        if seen is not None and seen[0] != stance:
            self.fail(
                "stance",
                f"{party.slug!r} on {proposal.slug!r} at {as_of.isoformat()} is already "
                f"{seen[0]!r} in {seen[1]}: one stance per party, proposal and moment",
            )
        self._stances[key] = (stance, self.where)
        self.upsert(
            Position,
            {"proposal": proposal, "party": party, "as_of": as_of},
            {"stance": stance, **values},
        )

    def keyed(self, table: dict, record_value: str, field: str, what: str):
        if record_value not in table:
            self.fail(field, f"no {what} with key {record_value!r} in this file")
        return table[record_value]

    # -- writing -----------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, m2m: dict | None = None):
        values = {k: v for k, v in values.items() if k not in lookup}
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
        for index, record in enumerate(self.data.get(section, [])):
            label = _label(record)
            self.where = f"{section}[{index}]" + (f" ({label})" if label else "")
            yield record

    def in_dependency_order(self, section: str) -> list[tuple[str, dict]]:
        """Records whose `parent` is declared in the same section come after that parent."""
        pending = list(self.records(section))
        declared = {r["slug"] for r in pending}
        done: set[str] = set()
        ordered = []
        while pending:
            ready = [r for r in pending if r.get("parent") not in declared - done]
            if not ready:  # a cycle: let the model's own check name it
                ready = pending[:1]
            for record in ready:
                index = self.data[section].index(record)
                ordered.append((f"{section}[{index}] ({record['slug']})", record))
                done.add(record["slug"])
                pending.remove(record)
        return ordered

    # -- sections ----------------------------------------------------------------------

    def run(self) -> ScenarioReport:
        self.load_conflict(self.data["conflict"])
        for record in self.records("articles"):
            self.load_article(record)
        for where, record in self.in_dependency_order("parties"):
            self.where = where
            self.load_party(record)
        for record in self.records("participants"):
            self.load_participant(record)
        self._participants = set(self.conflict.participations.values_list("party_id", flat=True))
        for where, record in self.in_dependency_order("proposals"):
            self.where = where
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

    def load_conflict(self, record: dict) -> None:
        self.where = f"conflict ({record['slug']})"
        self.conflict = self.upsert(
            Conflict,
            {"slug": record["slug"]},
            {
                "name": record["name"],
                "summary": record.get("summary", ""),
                "started_on": self.day(record, "started_on"),
                "ended_on": self.day(record, "ended_on"),
                "places": list(record.get("places", [])),
            },
        )

    def load_article(self, record: dict) -> None:
        url = record["url"]
        if record.get("text_file"):
            text_path = self.path.parent / record["text_file"]
            try:
                text = text_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.fail("text_file", f"cannot read {text_path}: {exc}")
        elif record.get("text"):
            text = record["text"]
        else:
            self.fail("text", "is required (or give text_file)")
        published_at = self.moment(record, "published_at") if record.get("published_at") else None
        self.articles[record["key"]] = self.upsert(
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
        values = {
            "name": record["name"],
            "kind": record["kind"],
            "parent": self.ref(Party, record, "parent", required=False),
            "title": record.get("title", ""),
            "aliases": list(record.get("aliases", [])),
            "description": record.get("description", ""),
        }
        existing = Party.objects.filter(slug=record["slug"]).first()
        if existing is None:
            self.upsert(Party, {"slug": record["slug"]}, values)
            return
        # Shared parties belong to no one file: what is in the database stays.
        differs = sorted(k for k, v in values.items() if getattr(existing, k) != v)
        if differs:
            self.report.warnings.append(
                f"{self.path.name}: {self.where}: party {existing.slug!r} exists and differs "
                f"in {', '.join(differs)}; left as it is"
            )

    def load_participant(self, record: dict) -> None:
        self.upsert(
            Participation,
            {"conflict": self.conflict, "party": self.ref(Party, record, "party")},
            {"role": record["role"], "side": record["side"], "note": record.get("note", "")},
        )

    def load_proposal(self, record: dict) -> None:
        existing = Proposal.objects.filter(slug=record["slug"]).first()
        if existing is not None and existing.conflict_id != self.conflict.pk:
            self.fail("slug", f"proposal {record['slug']!r} belongs to another conflict")
        self.upsert(
            Proposal,
            {"slug": record["slug"]},
            {
                "conflict": self.conflict,
                "name": record["name"],
                "kind": record["kind"],
                "scope": record.get("scope", ""),
                "duration_days": record.get("duration_days"),
                "proposed_by": self.ref(Party, record, "proposed_by", required=False),
                "proposed_on": self.day(record, "proposed_on"),
                "parent": self.proposal(record, "parent", required=False),
                "aliases": list(record.get("aliases", [])),
                "description": record.get("description", ""),
            },
        )

    def load_condition(self, record: dict) -> None:
        self.conditions[record["key"]] = self.upsert(
            Condition,
            {
                "proposal": self.proposal(record, "proposal"),
                "set_by": self.participant(record, "set_by"),
                "category": record["category"],
                "summary": record["summary"],
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
            "source_url": record["source_url"],
            "source_outlet": record.get("source_outlet", ""),
            "source_title": record.get("source_title", ""),
        }

    def load_statement(self, record: dict) -> None:
        source = self.source(record)
        excerpt = record["excerpt"]
        article = source["article"]
        speaker = self.participant(record, "speaker")
        if article is not None:
            start = article.text.find(excerpt)
            if start < 0:
                self.fail("excerpt", "is not found in the article's text")
            lookup = {
                "article": article,
                "conflict": self.conflict,
                "span_start": start,
                "span_end": start + len(excerpt),
                "speaker": speaker,
            }
        else:
            lookup = {
                "source_url": source["source_url"],
                "conflict": self.conflict,
                "speaker": speaker,
                "text": excerpt,
            }
        statement = self.upsert(
            Statement,
            lookup,
            {
                **{k: v for k, v in source.items() if k != "article"},
                "on_behalf_of": self.participant(record, "on_behalf_of", required=False),
                "occurred_at": self.moment(record, "occurred_at"),
                "channel": record["channel"],
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
            self.position(
                proposal=self.proposal(item, "proposal"),
                party=statement.stance_party,
                as_of=statement.occurred_at,
                stance=item["stance"],
                statement=statement,
            )

    def load_position(self, record: dict) -> None:
        self.position(
            proposal=self.proposal(record, "proposal"),
            party=self.participant(record, "party"),
            as_of=self.moment(record, "as_of"),
            stance=record["stance"],
            note=record.get("note", ""),
        )

    def load_event(self, record: dict) -> None:
        self.upsert(
            Event,
            {
                "title": record["title"],
                "occurred_at": self.moment(record, "occurred_at"),
            },
            {
                **self.source(record),
                "conflict": self.conflict,
                "kind": record["kind"],
                "description": record.get("description", ""),
            },
            m2m={
                "parties": [self.ref(Party, {"p": s}, "p") for s in record.get("parties", [])],
                "proposals": [self.proposal({"p": s}, "p") for s in record.get("proposals", [])],
            },
        )


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not valid JSON: {exc}") from exc
    errors = scenario_schema_errors(path=path, data=data)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        raise ScenarioError(
            "\n".join(shown) + (f"\n… and {more} more error(s)" if more > 0 else "")
        )
    return data


class _CheckOnly(Exception):
    """Raised to roll back a check run's writes."""


def scenario_load(*, path: Path = DEFAULT_SCENARIO, check: bool = False) -> ScenarioReport:
    """Load a scenario file in one transaction; raise ScenarioError and write nothing on error.

    With `check`, everything is validated (the schema, then every record against the
    database) and nothing is kept.
    """
    path = Path(path)
    data = _read(path)
    try:
        with transaction.atomic():
            report = _Loader(path, data).run()
            if check:
                raise _CheckOnly
    except _CheckOnly:
        pass
    return report


def scenarios_load(*, paths: list[Path] | None = None, check: bool = False) -> list[ScenarioReport]:
    """Load several files, each in its own transaction, in the order given (all shipped ones
    by default). Stops at the first file that fails; the ones before it stay loaded."""
    return [scenario_load(path=p, check=check) for p in (paths or shipped_scenarios())]
