-- Published privacy-policy versions (requirement B5): every version is kept.
CREATE TABLE privacy_policy_versions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    version            TEXT    NOT NULL UNIQUE,
    published_at       BIGINT  NOT NULL,
    body_ar            TEXT    NOT NULL,
    body_en            TEXT    NOT NULL,
    change_summary_ar  TEXT    NOT NULL DEFAULT '',
    change_summary_en  TEXT    NOT NULL DEFAULT ''
);

-- Kinds of support the association offers; admins manage them.
CREATE TABLE support_kinds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT    NOT NULL UNIQUE,
    name_ar         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    description_ar  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    active          BIGINT  NOT NULL DEFAULT 1,
    sort_order      BIGINT  NOT NULL DEFAULT 0
);
