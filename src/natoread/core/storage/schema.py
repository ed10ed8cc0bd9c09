"""The SQLite schema as numbered migrations (`PRAGMA user_version`)."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: feeds, articles, topics, quotes, full-text index.
    """
    CREATE TABLE feed(
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        site_url TEXT,
        show_all INTEGER NOT NULL DEFAULT 0,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        last_fetch INTEGER,
        last_success INTEGER,
        next_fetch INTEGER,
        retry_after INTEGER,
        error_count INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_status INTEGER,
        gone INTEGER NOT NULL DEFAULT 0,
        moved_to TEXT
    );
    CREATE TABLE article(
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        guid TEXT,
        link TEXT,
        title TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        links TEXT NOT NULL DEFAULT '[]',
        published INTEGER NOT NULL,
        fetched INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        matched INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL DEFAULT 0,
        topics TEXT NOT NULL DEFAULT '',
        analysis TEXT NOT NULL DEFAULT '{}',
        quote_count INTEGER NOT NULL DEFAULT 0,
        rules_hash TEXT,
        fulltext_note TEXT
    );
    CREATE UNIQUE INDEX article_feed_guid ON article(feed_id, guid) WHERE guid IS NOT NULL;
    CREATE INDEX article_feed_link ON article(feed_id, link);
    CREATE INDEX article_feed_hash ON article(feed_id, content_hash);
    CREATE INDEX article_published ON article(published DESC, id DESC);
    CREATE INDEX article_matched ON article(matched, published DESC, id DESC);
    CREATE INDEX article_feed_published ON article(feed_id, published DESC, id DESC);
    CREATE TABLE article_topic(
        topic TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY(topic, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_topic_article ON article_topic(article_id);
    CREATE TABLE quote(
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        speaker_key TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        partial INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX quote_article ON quote(article_id);
    CREATE INDEX quote_speaker ON quote(speaker_key);
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE VIRTUAL TABLE article_fts USING fts5(
        title, body, content='article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
        INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER article_fts_update AFTER UPDATE OF title, body ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    """,
    # 2: story clusters (bottom-k sketches of title + lead) and search ranking weights.
    """
    CREATE TABLE sketch(
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        published INTEGER NOT NULL
    );
    CREATE INDEX sketch_key ON sketch(key, published);
    CREATE INDEX sketch_article ON sketch(article_id);
    CREATE TABLE story(
        article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL,
        title_key INTEGER,
        published INTEGER NOT NULL
    );
    CREATE INDEX story_story ON story(story_id);
    CREATE INDEX story_title ON story(title_key, published) WHERE title_key IS NOT NULL;
    INSERT INTO article_fts(article_fts, rank) VALUES ('rank', 'bm25(8.0, 1.0)');
    """,
    # 3: story candidates are read from the sketch index alone (no table lookups).
    """
    DROP INDEX sketch_key;
    CREATE INDEX sketch_key ON sketch(key, published, article_id);
    """,
    # 4: quotes are extracted eagerly for topic matches, on first read for the rest.
    """
    ALTER TABLE article ADD COLUMN quotes_done INTEGER NOT NULL DEFAULT 1;
    """,
    # 5: per-feed counts (sidebar, `natoread feeds`) from an index, not a scan of the bodies.
    """
    CREATE INDEX article_feed_state ON article(feed_id, read, matched);
    """,
    # 6: the store indexes each new article for search itself. Through the insert trigger,
    # FTS5 flushed its pending terms at every article row, several times the cost of keeping
    # them in memory until the feed's transaction commits, as it does now.
    """
    DROP TRIGGER article_fts_insert;
    """,
    # 7: new articles wait in fts_pending and are indexed for search in one statement at the
    # end of a poll pass (`Store.index_pending`): indexed feed by feed, FTS5 wrote and merged
    # a small segment at every commit. Deleting or editing a pending article must not touch
    # the index, which does not hold it yet.
    """
    CREATE TABLE fts_pending(article_id INTEGER PRIMARY KEY);
    DROP TRIGGER article_fts_delete;
    CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, body)
        SELECT 'delete', old.id, old.title, old.body
        WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE article_id = old.id);
        DELETE FROM fts_pending WHERE article_id = old.id;
    END;
    DROP TRIGGER article_fts_update;
    CREATE TRIGGER article_fts_update AFTER UPDATE OF title, body ON article
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE article_id = old.id) BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    """,
    # 8: FTS5 merges index segments 8 at a time instead of 4: indexing a 1,000-feed pass
    # (35,000 articles in batches of 2,000) costs ~25% less, searches take as long.
    """
    INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8);
    """,
    # 9: articles without a date (stored with their fetch time as their date) are listed
    # after the dated ones; this index finds them without reading every article.
    """
    CREATE INDEX article_undated ON article(published DESC, id DESC) WHERE published = fetched;
    """,
    # 10: triage. Rules may hide articles (few: a partial index finds them), articles carry
    # tags, a feed counts the articles its rules dropped, and every change of reading state
    # is logged so that it can be undone (`storage/undo.py`). The author index lets
    # `author:` find the few distinct authors without reading every article.
    """
    ALTER TABLE article ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX article_hidden ON article(hidden) WHERE hidden=1;
    CREATE INDEX article_author ON article(author);
    CREATE INDEX article_starred ON article(published DESC, id DESC) WHERE starred=1;
    CREATE TABLE article_tag(
        tag TEXT NOT NULL COLLATE NOCASE,
        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        PRIMARY KEY(tag, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_tag_article ON article_tag(article_id);
    ALTER TABLE feed ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE undo_step(id INTEGER PRIMARY KEY, label TEXT NOT NULL, made INTEGER NOT NULL);
    CREATE TABLE undo_change(
        step_id INTEGER NOT NULL REFERENCES undo_step(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        tag TEXT NOT NULL DEFAULT '',
        old INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX undo_change_step ON undo_change(step_id);
    """,
    # 11: lists sorted by topic score or by title (`storage/ordering.py`) read these indexes
    # instead of sorting every article for the first screen.
    """
    CREATE INDEX IF NOT EXISTS article_score ON article(score DESC, published DESC, id DESC);
    CREATE INDEX IF NOT EXISTS article_title
        ON article(title COLLATE NOCASE, published DESC, id DESC);
    """,
    # 12: the entries rules dropped, by GUID, link or content hash, so that each is counted
    # once however often its feed sends it again.
    """
    CREATE TABLE dropped_entry(
        feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        seen INTEGER NOT NULL,
        PRIMARY KEY(feed_id, key)
    ) WITHOUT ROWID;
    """,
    # 13: sync with a feed server (`storage/sync.py`): the server's ids of feeds and entries,
    # and the read/star changes made here that the server has not been told yet (queued by
    # triggers, so every writer of `read` and `starred` is covered).
    """
    CREATE TABLE sync_feed(
        remote_id TEXT PRIMARY KEY,
        feed_id INTEGER NOT NULL UNIQUE REFERENCES feed(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE sync_entry(
        remote_id TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL UNIQUE REFERENCES article(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE sync_outbox(
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER NOT NULL,
        made INTEGER NOT NULL
    );
    CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON article
    WHEN NEW.read != OLD.read AND EXISTS (SELECT 1 FROM sync_entry WHERE article_id = NEW.id)
    BEGIN
        INSERT INTO sync_outbox(article_id, kind, value, made)
        VALUES (NEW.id, 'read', NEW.read, CAST(strftime('%s', 'now') AS INTEGER));
    END;
    CREATE TRIGGER sync_queue_starred AFTER UPDATE OF starred ON article
    WHEN NEW.starred != OLD.starred
        AND EXISTS (SELECT 1 FROM sync_entry WHERE article_id = NEW.id)
    BEGIN
        INSERT INTO sync_outbox(article_id, kind, value, made)
        VALUES (NEW.id, 'starred', NEW.starred, CAST(strftime('%s', 'now') AS INTEGER));
    END;
    """,
    # 14: the server ids of synced entries that retention deleted here, and when: a Google
    # Reader server lists them for longer, and without them every pass downloaded them again.
    """
    CREATE TABLE sync_pruned(
        remote_id TEXT PRIMARY KEY,
        pruned INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
OUR_TABLES = frozenset(
    {
        "feed",
        "article",
        "article_topic",
        "quote",
        "meta",
        "article_fts",
        "sketch",
        "story",
        "fts_pending",
        "article_tag",
        "undo_step",
        "undo_change",
        "dropped_entry",
        "sync_feed",
        "sync_entry",
        "sync_outbox",
        "sync_pruned",
    }
)
