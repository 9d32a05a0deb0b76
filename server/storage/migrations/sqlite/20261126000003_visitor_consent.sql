-- Website visitors' consent (B10): every choice is kept (append-only), with the
-- anonymous visitor id from the consent cookie, the categories, the privacy
-- policy version shown, how it was given and when.
CREATE TABLE visitor_consents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    visitor_id      TEXT    NOT NULL,
    analytics       INTEGER NOT NULL,
    communications  INTEGER NOT NULL,
    policy_version  TEXT    NOT NULL,
    method          TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX visitor_consents_by_visitor ON visitor_consents (visitor_id, id);

-- The site's statistics: page views per day and path, counted only for visitors
-- who accepted analytics; nothing about the visitor is kept.
CREATE TABLE page_views (
    day    TEXT    NOT NULL,
    path   TEXT    NOT NULL,
    views  BIGINT  NOT NULL,
    PRIMARY KEY (day, path)
);
