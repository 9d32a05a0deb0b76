//! The two migration folders describe one schema (`migrations/README.md`): the
//! same file names, and each pair the same text once the differences the engines
//! must have are written one way. A migration added to one folder only, or a
//! change made on one side only, fails here. No database is needed, so these are
//! plain tests, not part of the PostgreSQL suite's count.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

/// Written the PostgreSQL way → the SQLite way, anywhere in a PostgreSQL file:
/// (PostgreSQL, SQLite, why they differ).
const SUBSTITUTIONS: &[(&str, &str, &str)] = &[(
    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    "INTEGER PRIMARY KEY AUTOINCREMENT",
    "each engine's own auto-increment key (SQLite's must be INTEGER to alias the rowid)",
)];

/// Blocks only the PostgreSQL file has, from their first line to the end of the
/// file: (file, first line, why).
const POSTGRES_ONLY_ENDINGS: &[(&str, &str, &str)] = &[(
    "20261129000003_audit_hmac.sql",
    "-- The log is append-only in the database too: no UPDATE, DELETE or TRUNCATE.",
    "the append-only triggers are PL/pgSQL, which SQLite does not have",
)];

/// Blocks each engine writes its own way, cut from both files before they are
/// compared: (file, first line, last line, why). Everything outside stays the same.
const ENGINE_SPECIFIC_BLOCKS: &[(&str, &str, &str, &str)] = &[
    (
        "20261130000005_party_consents.sql",
        "-- Engine-specific: the holder's columns.",
        "-- End of the engine-specific block.",
        "SQLite cannot drop a NOT NULL or add a CHECK in place: it rebuilds the table; PostgreSQL alters it",
    ),
    (
        "20261130000009_report_index.sql",
        "-- Engine-specific: the queue search's index.",
        "-- End of the engine-specific block.",
        "SQLite has no INCLUDE, and its index carries the row id already; PostgreSQL's needs the id included",
    ),
];

/// The text without its engine-specific block, if it has one.
fn without_engine_block(name: &str, engine: &str, text: &str) -> String {
    let Some((_, first, last, _)) = ENGINE_SPECIFIC_BLOCKS.iter().find(|(file, ..)| *file == name) else {
        return text.to_owned();
    };
    let start = text.find(first).unwrap_or_else(|| panic!("{engine}/{name}: no `{first}`: update the list"));
    let end = text[start..].find(last).unwrap_or_else(|| panic!("{engine}/{name}: no `{last}`: update the list"))
        + start
        + last.len();
    format!("{}{}", &text[..start], &text[end..])
}

/// How each unindented line of such a block may begin: triggers and their
/// functions, never a table or column that SQLite would then lack.
const POSTGRES_ONLY_LINE_STARTS: &[&str] = &["--", "CREATE FUNCTION ", "CREATE TRIGGER ", "BEGIN", "END;", "$$"];

fn folder(engine: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(engine)
}

/// Every entry of the folder, whatever it is: a stray file counts too.
fn names(engine: &str) -> BTreeSet<String> {
    std::fs::read_dir(folder(engine))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn read(engine: &str, name: &str) -> String {
    std::fs::read_to_string(folder(engine).join(name)).unwrap()
}

/// The PostgreSQL text as SQLite would have it.
fn as_sqlite(name: &str, postgres: &str) -> String {
    let mut text = postgres.to_owned();
    if let Some((_, first_line, _)) = POSTGRES_ONLY_ENDINGS.iter().find(|(file, _, _)| *file == name) {
        let start = text
            .find(first_line)
            .unwrap_or_else(|| panic!("{name}: the PostgreSQL-only block `{first_line}` is gone: update the list"));
        for line in text[start..].lines().filter(|line| !line.is_empty() && !line.starts_with(char::is_whitespace)) {
            assert!(
                POSTGRES_ONLY_LINE_STARTS.iter().any(|allowed| line.starts_with(allowed)),
                "{name}: `{line}` in the PostgreSQL-only block is not a trigger: write it in both folders"
            );
        }
        text.truncate(start);
    }
    for (postgres, sqlite, _) in SUBSTITUTIONS {
        text = text.replace(postgres, sqlite);
    }
    text
}

#[test]
fn both_engines_have_the_same_migrations() {
    let sqlite = names("sqlite");
    let postgres = names("postgres");
    assert!(!sqlite.is_empty(), "no migrations found in {}", folder("sqlite").display());
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "every migration belongs in both folders under the same name; only in sqlite/: {only_sqlite:?}, \
         only in postgres/: {only_postgres:?}"
    );
}

#[test]
fn each_pair_differs_only_where_the_engines_must() {
    for name in names("sqlite").intersection(&names("postgres")) {
        let sqlite = without_engine_block(name, "sqlite", &read("sqlite", name));
        let postgres = as_sqlite(name, &without_engine_block(name, "postgres", &read("postgres", name)));
        let (sqlite, postgres) = (sqlite.trim_end(), postgres.trim_end());
        if sqlite == postgres {
            continue;
        }
        let line = sqlite
            .lines()
            .zip(postgres.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| sqlite.lines().count().min(postgres.lines().count()));
        panic!(
            "{name}: the two engines' files differ beyond the allowed substitutions, from line {}:\n  \
             sqlite:   {:?}\n  postgres: {:?}",
            line + 1,
            sqlite.lines().nth(line).unwrap_or("(end of file)"),
            postgres.lines().nth(line).unwrap_or("(end of file)"),
        );
    }
}

#[test]
fn every_allowed_difference_is_still_needed() {
    // A listed difference nobody needs any more would let one in unnoticed.
    let postgres: Vec<String> = names("postgres").iter().map(|name| read("postgres", name)).collect();
    for (pattern, _, why) in SUBSTITUTIONS {
        assert!(postgres.iter().any(|text| text.contains(pattern)), "unused substitution `{pattern}` ({why})");
    }
    for (name, first, last, why) in ENGINE_SPECIFIC_BLOCKS {
        for engine in ["sqlite", "postgres"] {
            let text = read(engine, name);
            assert!(
                text.contains(first) && text.contains(last),
                "{engine}/{name}: no block `{first}` any more ({why})"
            );
        }
    }
    for (name, first_line, why) in POSTGRES_ONLY_ENDINGS {
        assert!(read("postgres", name).contains(first_line), "{name}: no block `{first_line}` any more ({why})");
    }
}
