//! The storage suite. The same tests run on SQLite (default) and on PostgreSQL
//! (`AWN_TEST_DATABASE=postgres`); `scripts/test` runs both when it can.

use awn_domain::locale::Language;
use awn_storage::{
    StorageError, demo,
    privacy_policy::{self, NewPolicyVersion},
    support_kinds,
    testing::{backend_under_test, fresh_database},
};

#[tokio::test]
async fn a_fresh_database_answers_and_reports_its_engine() {
    let test = fresh_database().await;
    test.database.ping().await.unwrap();
    assert_eq!(test.database.backend(), backend_under_test());
}

#[tokio::test]
async fn migrations_can_run_twice() {
    let test = fresh_database().await;
    test.database.migrate().await.unwrap();
}

#[tokio::test]
async fn the_initial_privacy_policy_is_published_once() {
    let test = fresh_database().await;
    let db = &test.database;
    assert!(privacy_policy::current(db).await.unwrap().is_none());

    privacy_policy::ensure_initial_version(db).await.unwrap();
    privacy_policy::ensure_initial_version(db).await.unwrap();

    let all = privacy_policy::all(db).await.unwrap();
    assert_eq!(all.len(), 1);
    let current = privacy_policy::current(db).await.unwrap().unwrap();
    assert_eq!(current.version, "1.0");
    assert!(current.body(Language::Arabic).contains("المادة (٨)"));
    assert!(current.body(Language::English).contains("Article 8"));
}

#[tokio::test]
async fn a_new_policy_version_takes_over_and_the_old_one_stays_readable() {
    let test = fresh_database().await;
    let db = &test.database;
    privacy_policy::ensure_initial_version(db).await.unwrap();

    let published = privacy_policy::publish(
        db,
        NewPolicyVersion { version: "١.١", body_ar: "نص جديد", body_en: "New text" },
    )
    .await
    .unwrap();
    assert_eq!(published.version, "1.1", "digits are stored in ASCII");

    let current = privacy_policy::current(db).await.unwrap().unwrap();
    assert_eq!(current.version, "1.1");
    assert_eq!(current.body_en, "New text");
    let old = privacy_policy::by_version(db, "1.0").await.unwrap().unwrap();
    assert!(old.body_en.contains("Article 1"));
    let versions: Vec<_> = privacy_policy::all(db).await.unwrap().into_iter().map(|v| v.version).collect();
    assert_eq!(versions, ["1.1", "1.0"]);
    // Starting again does not add the first version back.
    privacy_policy::ensure_initial_version(db).await.unwrap();
    assert_eq!(privacy_policy::all(db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_policy_version_label_is_unique_and_well_formed() {
    let test = fresh_database().await;
    let db = &test.database;
    let new = NewPolicyVersion { version: "2.0", body_ar: "نص", body_en: "Text" };
    privacy_policy::publish(db, new.clone()).await.unwrap();
    let again = privacy_policy::publish(db, new).await.unwrap_err();
    assert!(matches!(again, StorageError::Conflict(_)), "{again:?}");

    let bad = NewPolicyVersion { version: "draft", body_ar: "نص", body_en: "Text" };
    assert!(matches!(privacy_policy::publish(db, bad).await, Err(StorageError::Invalid(_))));
    let empty = NewPolicyVersion { version: "3.0", body_ar: " ", body_en: "Text" };
    assert!(matches!(privacy_policy::publish(db, empty).await, Err(StorageError::Invalid(_))));
}

#[tokio::test]
async fn demo_data_is_idempotent_and_lists_support_kinds_in_order() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    demo::seed(db).await.unwrap();
    let kinds = support_kinds::active(db).await.unwrap();
    assert_eq!(kinds.len(), 6);
    assert_eq!(kinds[0].code, "food_basket");
    assert_eq!(kinds[0].name(Language::Arabic), "سلة غذائية");
    assert!(kinds.windows(2).all(|w| w[0].sort_order <= w[1].sort_order));
}

#[tokio::test]
async fn an_inactive_support_kind_is_not_offered() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    support_kinds::upsert(
        db,
        support_kinds::SupportKindInput {
            code: "rent",
            name_ar: "المساعدة في الإيجار",
            name_en: "Help with rent",
            description_ar: "",
            description_en: "",
            active: false,
            sort_order: 1,
        },
    )
    .await
    .unwrap();
    let codes: Vec<_> = support_kinds::active(db).await.unwrap().into_iter().map(|k| k.code).collect();
    assert!(!codes.contains(&"rent".to_string()));
    assert_eq!(codes.len(), 5);
}
