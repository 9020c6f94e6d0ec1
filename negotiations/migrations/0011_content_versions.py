# Owned by the analysts' timeline work (issue 11): how far what readers see has changed.
# Renumbered from 0008 when main (0007_review … 0009_append_only_positions_first_published)
# was merged in: its triggers sit beside main's (positions append-only, first published).
#
# Statement-level triggers move a counter (and its moment) per scope on every write that
# changes what readers see, whoever writes: the admin, ingestion, the scenario loader,
# bulk SQL. Caches and HTTP validators key on these, so nothing stale outlives a change.
# Candidates and rejected statements are not what readers see: writing them moves nothing.
from django.db import migrations, models

# Writes to these tables move a scope as a whole: events are what readers see ("content");
# the rest is what items show besides their own row ("catalog").
SCOPES = {
    "negotiations_event": "content",
    "negotiations_party": "catalog",
    "negotiations_proposal": "catalog",
    "negotiations_conflict": "catalog",
    "negotiations_participation": "catalog",
    "negotiations_position": "catalog",
    "negotiations_condition": "catalog",
    "negotiations_statement_conditions": "catalog",
    "negotiations_event_parties": "catalog",
    "negotiations_event_proposals": "catalog",
}

SCOPE_TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table.removeprefix('negotiations_')}_version "
    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION negotiations_version_changed('{scope}');"
    for table, scope in SCOPES.items()
)

VERSIONS_SQL = """
CREATE FUNCTION negotiations_version_bump(scope text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO negotiations_contentversion (name, counter, changed_at)
    VALUES (scope, 1, clock_timestamp())
    ON CONFLICT (name) DO UPDATE
    SET counter = negotiations_contentversion.counter + 1, changed_at = clock_timestamp()
$$;

CREATE FUNCTION negotiations_version_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM negotiations_version_bump(TG_ARGV[0]);
    RETURN NULL;
END
$$;

-- Statements count when a published one appears, changes or goes (a rejection included).
CREATE FUNCTION negotiations_statements_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE status = 'published') THEN
        PERFORM negotiations_version_bump('content');
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION negotiations_statements_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE status = 'published') THEN
        PERFORM negotiations_version_bump('content');
    ELSIF EXISTS (SELECT 1 FROM old_rows WHERE status = 'published') THEN
        PERFORM negotiations_version_bump('content');
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION negotiations_statements_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows WHERE status = 'published') THEN
        PERFORM negotiations_version_bump('content');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statement_version_insert AFTER INSERT ON negotiations_statement
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION negotiations_statements_inserted();
CREATE TRIGGER statement_version_update AFTER UPDATE ON negotiations_statement
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION negotiations_statements_updated();
CREATE TRIGGER statement_version_delete AFTER DELETE ON negotiations_statement
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION negotiations_statements_deleted();
CREATE TRIGGER statement_version_truncate AFTER TRUNCATE ON negotiations_statement
FOR EACH STATEMENT EXECUTE FUNCTION negotiations_version_changed('content');

-- An article matters once something published cites it, as its source or as another
-- outlet's report of it: ingestion's own writes to the articles it is reading move nothing.
CREATE FUNCTION negotiations_article_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM negotiations_statement
               WHERE article_id = OLD.id AND status = 'published')
       OR EXISTS (SELECT 1 FROM negotiations_statementsource ss
                  JOIN negotiations_statement s ON s.id = ss.statement_id
                  WHERE ss.article_id = OLD.id AND s.status = 'published')
       OR EXISTS (SELECT 1 FROM negotiations_event WHERE article_id = OLD.id) THEN
        PERFORM negotiations_version_bump('catalog');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_version AFTER UPDATE OF url, outlet, title, text ON negotiations_article
FOR EACH ROW
WHEN (OLD.url IS DISTINCT FROM NEW.url OR OLD.outlet IS DISTINCT FROM NEW.outlet
      OR OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text)
EXECUTE FUNCTION negotiations_article_version();

{scope_triggers}

-- A statement's or an event's own version is its updated_at: kept right here for writers
-- that change a row without touching it (bulk and raw SQL), as save() does for the rest.
CREATE FUNCTION negotiations_statement_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
       AND (NEW.text, NEW.speaker_id, NEW.on_behalf_of_id, NEW.channel, NEW.is_verbatim,
            NEW.occurred_at, NEW.status, NEW.article_id, NEW.source_url, NEW.source_outlet,
            NEW.source_title, NEW.span_start, NEW.span_end, NEW.conflict_id)
           IS DISTINCT FROM
           (OLD.text, OLD.speaker_id, OLD.on_behalf_of_id, OLD.channel, OLD.is_verbatim,
            OLD.occurred_at, OLD.status, OLD.article_id, OLD.source_url, OLD.source_outlet,
            OLD.source_title, OLD.span_start, OLD.span_end, OLD.conflict_id) THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER statement_touched BEFORE UPDATE ON negotiations_statement
FOR EACH ROW EXECUTE FUNCTION negotiations_statement_touched();

-- Another outlet's report of a published statement ("reported by N outlets") changes what
-- the statement shows: the statement is touched, which moves "content" (its own trigger),
-- its rendered item and what API clients syncing by updated_at are given. A candidate's
-- sources show nowhere until it is published, which touches it anyway.
CREATE FUNCTION negotiations_statement_source_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE negotiations_statement SET updated_at = clock_timestamp()
        WHERE id = OLD.statement_id AND status = 'published';
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.statement_id <> OLD.statement_id) THEN
        UPDATE negotiations_statement SET updated_at = clock_timestamp()
        WHERE id = NEW.statement_id AND status = 'published';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statementsource_touches_statement
AFTER INSERT OR DELETE
    OR UPDATE OF statement_id, article_id, source_url, source_outlet, source_title,
                 span_start, span_end
ON negotiations_statementsource
FOR EACH ROW EXECUTE FUNCTION negotiations_statement_source_changed();
CREATE TRIGGER statementsource_version_truncate AFTER TRUNCATE ON negotiations_statementsource
FOR EACH STATEMENT EXECUTE FUNCTION negotiations_version_changed('content');

CREATE FUNCTION negotiations_event_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
       AND (NEW.kind, NEW.title, NEW.description, NEW.occurred_at, NEW.article_id,
            NEW.source_url, NEW.source_outlet, NEW.source_title, NEW.conflict_id)
           IS DISTINCT FROM
           (OLD.kind, OLD.title, OLD.description, OLD.occurred_at, OLD.article_id,
            OLD.source_url, OLD.source_outlet, OLD.source_title, OLD.conflict_id) THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER event_touched BEFORE UPDATE ON negotiations_event
FOR EACH ROW EXECUTE FUNCTION negotiations_event_touched();

INSERT INTO negotiations_contentversion (name, counter, changed_at)
VALUES ('content', 1, clock_timestamp()), ('catalog', 1, clock_timestamp());
""".replace("{scope_triggers}", SCOPE_TRIGGERS)

DROP_VERSIONS_SQL = """
DROP TRIGGER IF EXISTS statementsource_version_truncate ON negotiations_statementsource;
DROP TRIGGER IF EXISTS statementsource_touches_statement ON negotiations_statementsource;
DROP FUNCTION IF EXISTS negotiations_statement_source_changed();
DROP TRIGGER IF EXISTS event_touched ON negotiations_event;
DROP FUNCTION IF EXISTS negotiations_event_touched();
DROP TRIGGER IF EXISTS statement_touched ON negotiations_statement;
DROP FUNCTION IF EXISTS negotiations_statement_touched();
DROP TRIGGER IF EXISTS article_version ON negotiations_article;
DROP FUNCTION IF EXISTS negotiations_article_version();
{drop_scope_triggers}
DROP TRIGGER IF EXISTS statement_version_truncate ON negotiations_statement;
DROP TRIGGER IF EXISTS statement_version_delete ON negotiations_statement;
DROP TRIGGER IF EXISTS statement_version_update ON negotiations_statement;
DROP TRIGGER IF EXISTS statement_version_insert ON negotiations_statement;
DROP FUNCTION IF EXISTS negotiations_statements_deleted();
DROP FUNCTION IF EXISTS negotiations_statements_updated();
DROP FUNCTION IF EXISTS negotiations_statements_inserted();
DROP FUNCTION IF EXISTS negotiations_version_changed();
DROP FUNCTION IF EXISTS negotiations_version_bump(text);
""".replace(
    "{drop_scope_triggers}",
    "\n".join(
        f"DROP TRIGGER IF EXISTS {table.removeprefix('negotiations_')}_version ON {table};"
        for table in SCOPES
    ),
)


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0010_search_what_was_said")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("name", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("counter", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunSQL(VERSIONS_SQL, DROP_VERSIONS_SQL),
    ]
