# Owned by the analysts' timeline work (search vector, indexes for the timeline).
#
# The search vectors are kept by triggers rather than by save(): statements are written by
# the admin, the scenario loader, ingestion and bulk SQL (the benchmark's COPY), and every
# one of those paths must leave them searchable.
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

SEARCH_SQL = """
CREATE FUNCTION negotiations_party_words(party_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(name, '') || ' ' || coalesce(array_to_string(aliases, ' '), '')
    FROM negotiations_party WHERE id = party_id
$$;

CREATE FUNCTION negotiations_source_title(article bigint, fallback text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT nullif(title, '') FROM negotiations_article WHERE id = article), fallback, '')
$$;

CREATE FUNCTION negotiations_statement_search() RETURNS trigger
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

CREATE TRIGGER statement_search_vector
BEFORE INSERT OR UPDATE OF text, speaker_id, on_behalf_of_id, article_id, source_title
ON negotiations_statement
FOR EACH ROW EXECUTE FUNCTION negotiations_statement_search();

CREATE FUNCTION negotiations_event_search() RETURNS trigger
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

CREATE TRIGGER event_search_vector
BEFORE INSERT OR UPDATE OF title, description, article_id, source_title
ON negotiations_event
FOR EACH ROW EXECUTE FUNCTION negotiations_event_search();

-- A renamed party or a retitled article changes what finds the statements that name it.
-- Assigning a column to itself fires the column triggers above, which recompute.
CREATE FUNCTION negotiations_party_words_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE negotiations_statement SET speaker_id = speaker_id
    WHERE speaker_id = NEW.id OR on_behalf_of_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER party_search_words
AFTER UPDATE OF name, aliases ON negotiations_party
FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.aliases IS DISTINCT FROM NEW.aliases)
EXECUTE FUNCTION negotiations_party_words_changed();

CREATE FUNCTION negotiations_article_title_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE negotiations_statement SET article_id = article_id WHERE article_id = NEW.id;
    UPDATE negotiations_event SET article_id = article_id WHERE article_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_search_title
AFTER UPDATE OF title ON negotiations_article
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
EXECUTE FUNCTION negotiations_article_title_changed();

-- Backfill what was written before the triggers existed.
UPDATE negotiations_statement SET text = text;
UPDATE negotiations_event SET title = title;
"""

DROP_SEARCH_SQL = """
DROP TRIGGER IF EXISTS article_search_title ON negotiations_article;
DROP FUNCTION IF EXISTS negotiations_article_title_changed();
DROP TRIGGER IF EXISTS party_search_words ON negotiations_party;
DROP FUNCTION IF EXISTS negotiations_party_words_changed();
DROP TRIGGER IF EXISTS event_search_vector ON negotiations_event;
DROP FUNCTION IF EXISTS negotiations_event_search();
DROP TRIGGER IF EXISTS statement_search_vector ON negotiations_statement;
DROP FUNCTION IF EXISTS negotiations_statement_search();
DROP FUNCTION IF EXISTS negotiations_source_title(bigint, text);
DROP FUNCTION IF EXISTS negotiations_party_words(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="event",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="event_search"
            ),
        ),
        migrations.RunSQL(SEARCH_SQL, DROP_SEARCH_SQL),
    ]
