//! Durability of commits, the queue's search key, and the generated data of
//! `awn seed-demo --scale` (issue 16).

use awn_domain::{requests::RequestStatus, staff::StaffRole};
use awn_storage::{
    Backend, PageRequest,
    casework::{self, QueueFilter},
    demo,
    documents::LocalDiskStore,
    staff::{self, NewStaff},
    testing::fresh_database,
};
use sqlx::Row;

const NOW: i64 = 1_795_000_000;

/// What the engine says about flushing a commit, on a connection of `db`.
async fn flush_setting(db: &awn_storage::Database) -> String {
    match db.backend() {
        Backend::Sqlite => {
            let level: i64 = sqlx::query("PRAGMA synchronous").fetch_one(db.pool()).await.unwrap().get(0);
            level.to_string()
        }
        Backend::Postgres => sqlx::query("SHOW synchronous_commit").fetch_one(db.pool()).await.unwrap().get(0),
    }
}

#[tokio::test]
async fn postgresql_plans_each_run_of_a_filtered_list_for_its_own_values() {
    let test = fresh_database().await;
    if test.database.backend() != Backend::Postgres {
        return;
    }
    // On every connection of the pool, not only the first.
    let mut connections = Vec::new();
    for _ in 0..3 {
        connections.push(test.database.pool().acquire().await.unwrap());
    }
    for connection in &mut connections {
        let mode: String = sqlx::query("SHOW plan_cache_mode").fetch_one(&mut **connection).await.unwrap().get(0);
        assert_eq!(mode, "force_custom_plan");
    }
}

#[tokio::test]
async fn an_acknowledged_commit_is_on_the_disk_and_only_a_bulk_load_skips_that() {
    let test = fresh_database().await;
    let served = flush_setting(&test.database).await;
    let bulk = test.database.for_bulk_load(&test.url).await.unwrap();
    let loading = flush_setting(&bulk).await;
    match test.database.backend() {
        // FULL (2): the write-ahead log is flushed at each commit; NORMAL (1)
        // would lose the last commits to a power cut.
        Backend::Sqlite => assert_eq!((served.as_str(), loading.as_str()), ("2", "0")),
        Backend::Postgres => assert_eq!((served.as_str(), loading.as_str()), ("on", "off")),
    }
    assert!(bulk.keys().is_ok(), "the bulk connection reads and writes personal data with the same keys");
}

#[tokio::test]
async fn generated_beneficiaries_are_realistic_searchable_and_generated_once() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let new = NewStaff {
        username: "researcher",
        display_name: "باحث",
        role: StaffRole::SocialResearcher,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created");
    let folder = std::env::temp_dir().join(format!("awn-scale-{}", uuid::Uuid::new_v4().simple()));
    let documents = LocalDiskStore::new(&folder);

    let report = demo::seed_scale(db, &documents, 60, NOW).await.unwrap();
    assert_eq!((report.requests, report.skipped), (60, 0));
    assert!(report.documents > 0 && report.messages > 0 && report.survey_answers > 0, "{report:?}");
    let again = demo::seed_scale(db, &documents, 70, NOW).await.unwrap();
    assert_eq!((again.requests, again.skipped), (10, 60), "the same people: only the new ones are added");

    let all = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(all.total, 70);
    let statuses: std::collections::HashSet<RequestStatus> = sqlx::query("SELECT status FROM support_requests")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| RequestStatus::from_code(&row.get::<String, _>(0)).unwrap())
        .collect();
    assert!(statuses.len() >= 5, "requests at many points of their way: {statuses:?}");

    // Found by a name typed without hamza, and by the whole national ID in
    // Arabic-Indic digits (the ID itself is encrypted: found by its keyed hash).
    let first = &all.items[0];
    let name_word = first.full_name.split(' ').next_back().unwrap().replace('أ', "ا");
    let by_name = QueueFilter { search: name_word, ..QueueFilter::default() };
    let found = casework::queue(db, &by_name, NOW, PageRequest::new(1, 100)).await.unwrap();
    assert!(found.items.iter().any(|item| item.id == first.id) && found.total < 70, "{}", found.total);
    let arabic_digits: String =
        first.national_id.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
    let by_id = QueueFilter { search: arabic_digits, ..QueueFilter::default() };
    let found = casework::queue(db, &by_id, NOW, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(found.items.iter().map(|item| item.id).collect::<Vec<_>>(), [first.id]);
    let _ = std::fs::remove_dir_all(folder);
}

#[tokio::test]
async fn requests_from_before_the_search_key_are_keyed_at_start_up() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let folder = std::env::temp_dir().join(format!("awn-scale-{}", uuid::Uuid::new_v4().simple()));
    demo::seed_scale(db, &LocalDiskStore::new(&folder), 3, NOW).await.unwrap();
    sqlx::query("UPDATE support_requests SET search_key = ''").execute(db.pool()).await.unwrap();
    let item = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(1, 1)).await.unwrap().items.remove(0);
    let by_reference = QueueFilter { search: item.reference.clone(), ..QueueFilter::default() };
    assert_eq!(casework::queue(db, &by_reference, NOW, PageRequest::new(1, 10)).await.unwrap().total, 0);

    assert_eq!(casework::backfill_search_keys(db).await.unwrap(), 3);
    assert_eq!(casework::backfill_search_keys(db).await.unwrap(), 0, "once");
    let found = casework::queue(db, &by_reference, NOW, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(found.items.iter().map(|found| found.id).collect::<Vec<_>>(), [item.id]);
    let _ = std::fs::remove_dir_all(folder);
}
