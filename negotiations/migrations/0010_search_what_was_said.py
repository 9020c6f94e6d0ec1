# Owned by the analysts' timeline work (issue 11): search what was said by default.
# Renumbered from 0007 when main (0007_review … 0009_append_only_positions_first_published)
# was merged in.
#
# A statement's search_vector now holds what was said: its text (A), who said it and on
# whose behalf (B), the proposals it takes a stance on and the conditions it states (C).
# The source's headline moves to source_vector, searched only when a reader asks, so that
# a headline about energy no longer hides a refusal of the full ceasefire from
# `ceasefire -energy`. Triggers keep both current for every writer, as in 0002_timeline.
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

SEARCH_SQL = """
CREATE FUNCTION negotiations_statement_topics(statement bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(words, ' '), '') FROM (
        SELECT p.name || ' ' || coalesce(array_to_string(p.aliases, ' '), '') AS words
        FROM negotiations_position pos
        JOIN negotiations_proposal p ON p.id = pos.proposal_id
        WHERE pos.statement_id = statement
          -- a corrected stance is history: its correction says what the statement says
          AND NOT EXISTS (SELECT 1 FROM negotiations_position c WHERE c.supersedes_id = pos.id)
        UNION ALL
        SELECT c.summary
        FROM negotiations_statement_conditions sc
        JOIN negotiations_condition c ON c.id = sc.condition_id
        WHERE sc.statement_id = statement
    ) AS topics
$$;

CREATE OR REPLACE FUNCTION negotiations_statement_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
        || setweight(to_tsvector('english',
               coalesce(negotiations_party_words(NEW.speaker_id), '') || ' ' ||
               coalesce(negotiations_party_words(NEW.on_behalf_of_id), '')), 'B')
        || setweight(to_tsvector('english', negotiations_statement_topics(NEW.id)), 'C');
    NEW.source_vector :=
        to_tsvector('english', negotiations_source_title(NEW.article_id, NEW.source_title));
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION negotiations_event_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B');
    NEW.source_vector :=
        to_tsvector('english', negotiations_source_title(NEW.article_id, NEW.source_title));
    RETURN NEW;
END
$$;

-- A stance or a condition added to (or taken from) a statement changes what finds it.
-- Assigning a column to itself fires the statement trigger, which recomputes.
CREATE FUNCTION negotiations_statement_topics_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE negotiations_statement SET text = text WHERE id = OLD.statement_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE negotiations_statement SET text = text WHERE id = NEW.statement_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER position_search_topics
AFTER INSERT OR DELETE OR UPDATE OF statement_id, proposal_id ON negotiations_position
FOR EACH ROW EXECUTE FUNCTION negotiations_statement_topics_changed();

CREATE FUNCTION negotiations_statement_conditions_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE negotiations_statement SET text = text WHERE id = OLD.statement_id;
    ELSE
        UPDATE negotiations_statement SET text = text WHERE id = NEW.statement_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statement_conditions_search_topics
AFTER INSERT OR DELETE ON negotiations_statement_conditions
FOR EACH ROW EXECUTE FUNCTION negotiations_statement_conditions_changed();

CREATE FUNCTION negotiations_proposal_words_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE negotiations_statement SET text = text
    WHERE id IN (SELECT statement_id FROM negotiations_position WHERE proposal_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER proposal_search_words
AFTER UPDATE OF name, aliases ON negotiations_proposal
FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.aliases IS DISTINCT FROM NEW.aliases)
EXECUTE FUNCTION negotiations_proposal_words_changed();

CREATE FUNCTION negotiations_condition_words_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE negotiations_statement SET text = text
    WHERE id IN (SELECT statement_id FROM negotiations_statement_conditions
                 WHERE condition_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER condition_search_words
AFTER UPDATE OF summary ON negotiations_condition
FOR EACH ROW WHEN (OLD.summary IS DISTINCT FROM NEW.summary)
EXECUTE FUNCTION negotiations_condition_words_changed();

UPDATE negotiations_statement SET text = text;
UPDATE negotiations_event SET title = title;
"""

# Back to 0002's vectors: text, speakers and the headline in one.
DROP_SEARCH_SQL = """
DROP TRIGGER IF EXISTS condition_search_words ON negotiations_condition;
DROP FUNCTION IF EXISTS negotiations_condition_words_changed();
DROP TRIGGER IF EXISTS proposal_search_words ON negotiations_proposal;
DROP FUNCTION IF EXISTS negotiations_proposal_words_changed();
DROP TRIGGER IF EXISTS statement_conditions_search_topics ON negotiations_statement_conditions;
DROP FUNCTION IF EXISTS negotiations_statement_conditions_changed();
DROP TRIGGER IF EXISTS position_search_topics ON negotiations_position;
DROP FUNCTION IF EXISTS negotiations_statement_topics_changed();

CREATE OR REPLACE FUNCTION negotiations_statement_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
        || setweight(to_tsvector('english',
               coalesce(negotiations_party_words(NEW.speaker_id), '') || ' ' ||
               coalesce(negotiations_party_words(NEW.on_behalf_of_id), '')), 'B')
        || setweight(to_tsvector('english',
               negotiations_source_title(NEW.article_id, NEW.source_title)), 'C');
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION negotiations_event_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B')
        || setweight(to_tsvector('english',
               negotiations_source_title(NEW.article_id, NEW.source_title)), 'C');
    RETURN NEW;
END
$$;
DROP FUNCTION IF EXISTS negotiations_statement_topics(bigint);
UPDATE negotiations_statement SET text = text;
UPDATE negotiations_event SET title = title;
"""


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0009_append_only_positions_first_published")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="source_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="source_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="event",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["source_vector"], name="event_source_search"
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["source_vector"], name="statement_source_search"
            ),
        ),
        migrations.RunSQL(SEARCH_SQL, DROP_SEARCH_SQL),
    ]
