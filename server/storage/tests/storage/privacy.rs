//! Privacy (B1–B12): the tamper-evident audit log. Every test runs on a fresh
//! database of the engine under test.

use awn_domain::staff::StaffRole;
use awn_storage::{
    Database,
    audit::{self, AuditAction, AuditEntry, ChainProblem},
    staff::{self, NewStaff},
    testing::fresh_database,
};

const NOW: i64 = 1_795_000_000;

async fn officer(db: &Database) -> i64 {
    let new = NewStaff {
        username: "privacy.officer",
        display_name: "مسؤول حماية البيانات",
        role: StaffRole::PrivacyOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

async fn write_entries(db: &Database, staff_id: i64, count: i64) {
    for n in 0..count {
        let reason = format!("قراءة رقم {n}\nسطر ثان");
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::CaseView,
            beneficiary_id: Some(n),
            request_id: None,
            reason: &reason,
        };
        audit::record(db, entry, NOW + n).await.unwrap();
    }
}

/// Someone who owns the database: on PostgreSQL the append-only trigger is in
/// their way, but they can turn it off.
async fn allow_tampering(db: &Database) {
    if db.backend() == awn_storage::Backend::Postgres {
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(db.pool()).await.unwrap();
    }
}

async fn id_at(db: &Database, position: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM audit_log WHERE chain_position = $1")
        .bind(position)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_intact_audit_chain_verifies_entry_by_entry() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let check = audit::verify_chain(db).await.unwrap();
    assert_eq!((check.entries_checked, check.first_broken), (0, None));
    write_entries(db, staff_id, 5).await;
    let check = audit::verify_chain(db).await.unwrap();
    assert_eq!((check.entries_checked, check.first_broken), (5, None));
}

#[tokio::test]
async fn an_edited_entry_is_the_first_broken_link() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    write_entries(db, staff_id, 6).await;
    let edited = id_at(db, 3).await;
    allow_tampering(db).await;
    sqlx::query("UPDATE audit_log SET beneficiary_id = 999 WHERE id = $1")
        .bind(edited)
        .execute(db.pool())
        .await
        .unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.entry_id, broken.problem), (3, Some(edited), ChainProblem::ContentChanged));

    // Recomputing that entry's own hash, even with the audit key, does not help:
    // the next one names the old hash. (Without the key, see
    // `an_entry_rewritten_with_a_recomputed_sha256_chain_is_found_without_the_key`.)
    let hash: String = sqlx::query_scalar("SELECT entry_hash FROM audit_log WHERE id = $1")
        .bind(edited)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let forged = audit::entry_mac(
        db.keys().unwrap(),
        3,
        &sqlx::query_scalar::<_, String>("SELECT previous_hash FROM audit_log WHERE id = $1")
            .bind(edited)
            .fetch_one(db.pool())
            .await
            .unwrap(),
        &AuditEntry {
            staff_id,
            action: AuditAction::CaseView,
            beneficiary_id: Some(999),
            request_id: None,
            reason: "قراءة رقم 2\nسطر ثان",
        }
        .stored(),
        NOW + 2,
    );
    assert_ne!(forged, hash);
    sqlx::query("UPDATE audit_log SET entry_hash = $1 WHERE id = $2")
        .bind(&forged)
        .bind(edited)
        .execute(db.pool())
        .await
        .unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.problem), (4, ChainProblem::LinkChanged));
}

#[tokio::test]
async fn removed_and_inserted_entries_are_found() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    write_entries(db, staff_id, 4).await;
    // An entry inserted behind the chain's back.
    sqlx::query("INSERT INTO audit_log (staff_id, action, reason, created_at) VALUES ($1, 'case.view', '', $2)")
        .bind(staff_id)
        .bind(NOW)
        .execute(db.pool())
        .await
        .unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!(broken.problem, ChainProblem::Unchained);
    // A restart does not seal it into the chain.
    db.migrate().await.unwrap();
    assert_eq!(audit::verify_chain(db).await.unwrap().first_broken.map(|b| b.problem), Some(ChainProblem::Unchained));
    allow_tampering(db).await;
    sqlx::query("DELETE FROM audit_log WHERE chain_position IS NULL").execute(db.pool()).await.unwrap();

    // One from the middle, then the newest.
    sqlx::query("DELETE FROM audit_log WHERE chain_position = 4").execute(db.pool()).await.unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.problem), (4, ChainProblem::TailMissing));
    sqlx::query("DELETE FROM audit_log WHERE chain_position = 2").execute(db.pool()).await.unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.problem), (2, ChainProblem::Missing));
}

#[tokio::test]
async fn entries_written_at_once_form_one_chain() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let writers = (0..16).map(|n| {
        let db = db.clone();
        tokio::spawn(async move {
            let entry = AuditEntry {
                staff_id,
                action: AuditAction::QueueView,
                beneficiary_id: None,
                request_id: None,
                reason: "",
            };
            audit::record(&db, entry, NOW + n).await
        })
    });
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let check = audit::verify_chain(db).await.unwrap();
    assert_eq!((check.entries_checked, check.first_broken), (16, None));
}

/// Rewrites the entry at `position` as someone without the audit key would: new
/// content, and every hash from there on recomputed (plain SHA-256, as the chain
/// was before the key), the head row moved to match.
async fn rewrite_with_recomputed_sha256(db: &Database, position: i64, beneficiary_id: i64) {
    use sqlx::Row;
    allow_tampering(db).await;
    sqlx::query("UPDATE audit_log SET beneficiary_id = $1 WHERE chain_position = $2")
        .bind(beneficiary_id)
        .bind(position)
        .execute(db.pool())
        .await
        .unwrap();
    let mut previous: String = sqlx::query_scalar("SELECT previous_hash FROM audit_log WHERE chain_position = $1")
        .bind(position)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let rows = sqlx::query(
        "SELECT id, staff_id, action, beneficiary_id, request_id, reason, created_at, chain_position FROM audit_log \
         WHERE chain_position >= $1 ORDER BY chain_position",
    )
    .bind(position)
    .fetch_all(db.pool())
    .await
    .unwrap();
    for row in &rows {
        let (action, reason): (String, String) = (row.get("action"), row.get("reason"));
        let entry = audit::StoredEntry {
            staff_id: row.get("staff_id"),
            action: &action,
            beneficiary_id: row.get("beneficiary_id"),
            request_id: row.get("request_id"),
            reason: &reason,
        };
        let hash = audit::entry_hash(row.get("chain_position"), &previous, &entry, row.get("created_at"));
        sqlx::query("UPDATE audit_log SET previous_hash = $1, entry_hash = $2 WHERE id = $3")
            .bind(&previous)
            .bind(&hash)
            .bind(row.get::<i64, _>("id"))
            .execute(db.pool())
            .await
            .unwrap();
        previous = hash;
    }
    sqlx::query("UPDATE audit_chain_head SET last_hash = $1 WHERE id = 1")
        .bind(&previous)
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_entry_rewritten_with_a_recomputed_sha256_chain_is_found_without_the_key() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    write_entries(db, staff_id, 5).await;
    rewrite_with_recomputed_sha256(db, 3, 999).await;
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.problem), (3, ChainProblem::ContentChanged));
}

#[tokio::test]
async fn a_kept_head_finds_the_newest_entries_removed() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    write_entries(db, staff_id, 5).await;
    let kept = audit::head(db).await.unwrap();
    assert_eq!(kept.position, 5);
    assert_eq!(audit::verify_chain_to(db, &kept.hash).await.unwrap().first_broken, None);

    // The two newest removed, the head row moved back to the third: the chain
    // alone looks whole…
    allow_tampering(db).await;
    sqlx::query("DELETE FROM audit_log WHERE chain_position > 3").execute(db.pool()).await.unwrap();
    let third: String = sqlx::query_scalar("SELECT entry_hash FROM audit_log WHERE chain_position = 3")
        .fetch_one(db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_chain_head SET last_position = 3, last_hash = $1 WHERE id = 1")
        .bind(&third)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(audit::verify_chain(db).await.unwrap().first_broken, None);
    // …but not to the head kept elsewhere.
    let broken = audit::verify_chain_to(db, &kept.hash).await.unwrap().first_broken.expect("broken");
    assert_eq!(broken.problem, ChainProblem::KeptHeadMissing);
    assert_eq!(audit::verify_chain_to(db, &third).await.unwrap().first_broken, None, "an older kept head still checks");
}

#[tokio::test]
async fn postgres_refuses_to_update_or_delete_audit_entries() {
    let test = fresh_database().await;
    let db = &test.database;
    if db.backend() != awn_storage::Backend::Postgres {
        return;
    }
    let staff_id = officer(db).await;
    write_entries(db, staff_id, 2).await;
    for statement in [
        "UPDATE audit_log SET reason = 'routine'",
        "UPDATE audit_log SET entry_hash = ''",
        "DELETE FROM audit_log WHERE chain_position = 2",
        "TRUNCATE audit_log",
    ] {
        let refused = sqlx::query(statement).execute(db.pool()).await.expect_err(statement).to_string();
        assert!(refused.contains("append-only"), "{statement}: {refused}");
    }
    assert_eq!(audit::verify_chain(db).await.unwrap().entries_checked, 2);
}

mod audit_key {
    use awn_storage::{Database, audit, crypto, testing::fresh_database};
    use sqlx::Row;

    use super::{AuditAction, AuditEntry, ChainProblem, NOW, allow_tampering, officer, write_entries};

    fn key_file() -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("awn-audit-keys-{}", uuid::Uuid::new_v4().simple()));
        (dir.join("data-keys.json"), dir)
    }

    #[tokio::test]
    async fn keys_given_by_the_configuration_must_carry_the_audit_key() {
        let test = fresh_database().await;
        let without = r#"{"current": 1, "keys": {"1": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}}"#;
        let db = Database::connect(&test.url).await.unwrap();
        let refused =
            crypto::open_from(&db, crypto::KeySource::Configured(without), NOW).await.unwrap_err().to_string();
        assert!(refused.contains("\"audit\""), "{refused}");
        let with = crypto::Keyring::generate().to_file_text();
        assert!(with.contains("\"audit\""));
        crypto::open_from(&db, crypto::KeySource::Configured(&with), NOW).await.unwrap();
    }

    #[tokio::test]
    async fn a_start_never_rechains_an_emptied_chain() {
        let test = fresh_database().await;
        let (key_file, dir) = key_file();
        let first = Database::connect(&test.url).await.unwrap();
        crypto::open(&first, &key_file, NOW).await.unwrap();
        let staff_id = officer(&first).await;
        write_entries(&first, staff_id, 3).await;
        assert_eq!(audit::verify_chain(&first).await.unwrap().first_broken, None);

        // Someone edits an entry and takes every entry out of the chain, hoping
        // the next start chains them again with the key.
        allow_tampering(&first).await;
        sqlx::query("UPDATE audit_log SET reason = 'routine' WHERE chain_position = 2")
            .execute(first.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET chain_position = NULL, previous_hash = '', entry_hash = ''")
            .execute(first.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE audit_chain_head SET last_position = 0, last_hash = '', hmac_from = NULL, key_check = ''")
            .execute(first.pool())
            .await
            .unwrap();

        let restarted = Database::connect(&test.url).await.unwrap();
        restarted.migrate().await.unwrap();
        crypto::open(&restarted, &key_file, NOW + 60).await.unwrap();
        let chained: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE chain_position IS NOT NULL")
            .fetch_one(restarted.pool())
            .await
            .unwrap();
        assert_eq!(chained, 0, "nothing was re-chained");
        let broken = audit::verify_chain(&restarted).await.unwrap().first_broken.expect("broken");
        assert_eq!(broken.problem, ChainProblem::Unchained);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_sha256_chain_is_upgraded_once_and_its_old_part_stays_protected() {
        let test = fresh_database().await;
        let db = &test.database;
        let staff_id = officer(db).await;
        // Three entries of the old chain (plain SHA-256), as a server before the
        // audit key wrote them.
        let mut previous = String::new();
        for position in 1..=3_i64 {
            let reason = format!("قراءة قديمة {position}");
            let entry = AuditEntry {
                staff_id,
                action: AuditAction::CaseView,
                beneficiary_id: Some(position),
                request_id: None,
                reason: &reason,
            };
            let hash = audit::entry_hash(position, &previous, &entry.stored(), NOW + position);
            sqlx::query(
                "INSERT INTO audit_log (staff_id, action, beneficiary_id, reason, created_at, chain_position, previous_hash, entry_hash) \
                 VALUES ($1, 'case.view', $2, $3, $4, $2, $5, $6)",
            )
            .bind(staff_id)
            .bind(position)
            .bind(&reason)
            .bind(NOW + position)
            .bind(&previous)
            .bind(&hash)
            .execute(db.pool())
            .await
            .unwrap();
            previous = hash;
        }
        sqlx::query("UPDATE audit_chain_head SET last_position = 3, last_hash = $1 WHERE id = 1")
            .bind(&previous)
            .execute(db.pool())
            .await
            .unwrap();

        // The first start with a key file that has no audit key yet: one is added,
        // and HMAC entries start after the old chain.
        let (key_file, dir) = key_file();
        std::fs::create_dir_all(&dir).unwrap();
        let old_file = serde_json::json!({"current": 1, "keys": {"1": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}});
        std::fs::write(&key_file, old_file.to_string()).unwrap();
        let upgraded = Database::connect(&test.url).await.unwrap();
        crypto::open(&upgraded, &key_file, NOW).await.unwrap();
        assert!(std::fs::read_to_string(&key_file).unwrap().contains("\"audit\""), "the audit key is kept in the file");
        let row = sqlx::query("SELECT hmac_from FROM audit_chain_head WHERE id = 1")
            .fetch_one(upgraded.pool())
            .await
            .unwrap();
        assert_eq!(row.get::<Option<i64>, _>("hmac_from"), Some(4));
        write_entries(&upgraded, staff_id, 2).await;
        let check = audit::verify_chain(&upgraded).await.unwrap();
        assert_eq!((check.entries_checked, check.first_broken), (5, None));

        // A second start changes nothing.
        let again = Database::connect(&test.url).await.unwrap();
        crypto::open(&again, &key_file, NOW).await.unwrap();
        assert_eq!(audit::verify_chain(&again).await.unwrap().first_broken, None);

        // The old part rewritten with recomputed SHA-256 hashes: the first HMAC
        // entry still names the old hash.
        super::rewrite_with_recomputed_sha256(&again, 2, 999).await;
        let broken = audit::verify_chain(&again).await.unwrap().first_broken.expect("broken");
        assert_eq!(broken.position, 4, "{broken:?}");
        // Moving the marker to treat the new entries as old is found too.
        sqlx::query("UPDATE audit_chain_head SET hmac_from = 6 WHERE id = 1").execute(again.pool()).await.unwrap();
        let broken = audit::verify_chain(&again).await.unwrap().first_broken.expect("broken");
        assert_eq!(broken.problem, ChainProblem::MarkerChanged);

        // Another audit key does not start on this database.
        let other = dir.join("other.json");
        let mut text: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&key_file).unwrap()).unwrap();
        text["audit"] = serde_json::Value::String("HxwdHh8YGRobFBUWFxAREhMMDQ4PCAkKCwQFBgcAAQI".into());
        std::fs::write(&other, text.to_string()).unwrap();
        let wrong = Database::connect(&test.url).await.unwrap();
        let refused = crypto::open(&wrong, &other, NOW).await.unwrap_err().to_string();
        assert!(refused.contains("audit key"), "{refused}");
        let _ = std::fs::remove_dir_all(dir);
    }
}

async fn beneficiary(db: &Database, mobile: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ($1, 'ar', $2) RETURNING id",
    )
    .bind(mobile)
    .bind(NOW)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_disclosure_is_recorded_with_its_order_and_audited_and_needs_a_real_beneficiary() {
    use awn_domain::{
        calendar::CalendarDay,
        privacy::{DisclosureForm, check_disclosure},
    };
    use awn_storage::{StorageError, disclosures};
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let person = beneficiary(db, "+966501234567").await;
    let form = DisclosureForm {
        authority: "المحكمة العامة".into(),
        order_reference: "1448/77".into(),
        order_date: "2026-11-10".into(),
        data_disclosed: "بيانات الاتصال".into(),
    };
    let disclosure = check_disclosure(&form, CalendarDay { year: 2026, month: 11, day: 18 }).unwrap();
    assert!(matches!(
        disclosures::record(db, 424242, &disclosure, staff_id, NOW).await,
        Err(StorageError::NotFound(_))
    ));
    disclosures::record(db, person, &disclosure, staff_id, NOW).await.unwrap();
    let mine = disclosures::for_beneficiary(db, person).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].order_reference.as_str(), mine[0].order_date.as_str()), ("1448/77", "2026-11-10"));
    let audited = audit::search(db, None, Some(person), 10).await.unwrap();
    assert_eq!(audited[0].action, AuditAction::DisclosureRecord.code());
    assert_eq!(audited[0].reason, "order:1448/77");
    // The database itself refuses a disclosure without an order reference.
    let bypass = sqlx::query(
        "INSERT INTO disclosures (beneficiary_id, authority, order_reference, order_date, data_disclosed, approved_by, \
           recorded_at) VALUES ($1, 'x', '', '2026-11-10', 'x', $2, $3)",
    )
    .bind(person)
    .bind(staff_id)
    .bind(NOW)
    .execute(db.pool())
    .await;
    assert!(bypass.is_err());
}

#[tokio::test]
async fn a_violation_report_is_tracked_to_an_outcome_and_a_breach_to_its_notification() {
    use awn_storage::privacy_reports::{self, NewPrivacyReport, ReportProblem, ReportSource, ReportStep};
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let anonymous = NewPrivacyReport {
        source: ReportSource::Website,
        reporter_name: "",
        reporter_contact: "",
        description: "رأيت قائمة بأسماء المستفيدين منشورة في مجموعة واتساب.",
        recorded_by: None,
    };
    assert_eq!(
        privacy_reports::submit(db, NewPrivacyReport { description: "  ", ..anonymous.clone() }, NOW).await.unwrap(),
        Err(ReportProblem::DescriptionRequired)
    );
    let id = privacy_reports::submit(db, anonymous, NOW).await.unwrap().unwrap();
    let step = |s: ReportStep| async move { privacy_reports::step(db, id, staff_id, &s, NOW + 3600).await.unwrap() };
    assert_eq!(step(ReportStep::RecordNotification).await, Err(ReportProblem::NotNow), "not a breach yet");
    assert_eq!(step(ReportStep::Investigate).await, Ok(()));
    assert_eq!(step(ReportStep::Investigate).await, Err(ReportProblem::NotNow));
    assert_eq!(step(ReportStep::MarkBreach).await, Ok(()));
    let report = privacy_reports::by_id(db, id).await.unwrap().unwrap();
    assert!(report.is_breach && report.notified_at.is_none());
    assert_eq!(report.aware_at, NOW, "the deadline runs from the report's arrival");
    assert_eq!(step(ReportStep::RecordNotification).await, Ok(()));
    assert_eq!(step(ReportStep::Close { outcome: " ".into() }).await, Err(ReportProblem::OutcomeRequired));
    assert_eq!(step(ReportStep::Close { outcome: "حُذفت القائمة وأُبلغت الهيئة.".into() }).await, Ok(()));
    assert_eq!(step(ReportStep::MarkBreach).await, Err(ReportProblem::Closed));
    let report = privacy_reports::by_id(db, id).await.unwrap().unwrap();
    assert_eq!(
        (report.status, report.notified_at, report.closed_at),
        (privacy_reports::ReportStatus::Closed, Some(NOW + 3600), Some(NOW + 3600))
    );
    let actions: Vec<String> =
        audit::search(db, Some(staff_id), None, 10).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        ["privacy_report.close", "privacy_report.notified", "privacy_report.mark_breach", "privacy_report.investigate"]
    );
    assert_eq!(
        privacy_reports::step(db, 999, staff_id, &ReportStep::Investigate, NOW).await.unwrap(),
        Err(ReportProblem::NotFound)
    );
}

#[tokio::test]
async fn withdrawing_news_consent_cancels_the_queued_news_at_once_and_service_messages_go_on() {
    use awn_domain::consent::{ConsentKind, ConsentProblem};
    use awn_storage::{
        consent::{self, BY_THE_PERSON_ONLINE, ConsentChange, ConsentHolder},
        outbox::{self, NewOutboxMessage},
    };
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let person = beneficiary(db, "+966501112233").await;
    let other = beneficiary(db, "+966501112244").await;
    let give = |beneficiary_id, kind, granted| ConsentChange {
        holder: ConsentHolder::Beneficiary(beneficiary_id),
        kind,
        party: "",
        granted,
        method: BY_THE_PERSON_ONLINE,
        document_id: None,
        recorded_by: None,
    };
    consent::change(db, give(person, ConsentKind::NewsBySms, true), NOW).await.unwrap().unwrap();
    consent::change(db, give(other, ConsentKind::NewsBySms, true), NOW).await.unwrap().unwrap();
    consent::change(db, give(other, ConsentKind::NewsBySms, false), NOW + 1).await.unwrap().unwrap();
    let recipients = consent::news_recipients(db).await.unwrap();
    assert_eq!(
        recipients.iter().map(|r| r.holder).collect::<Vec<_>>(),
        [ConsentHolder::Beneficiary(person)],
        "only consent in force"
    );

    let sms = |to: &str, purpose: &str| NewOutboxMessage {
        channel: outbox::Channel::Sms,
        recipient: to.into(),
        subject: String::new(),
        body: "خبر".into(),
        purpose: purpose.into(),
    };
    let news = (ConsentHolder::Beneficiary(person), ConsentKind::NewsBySms, sms("+966501112233", "news"));
    consent::enqueue_news(db, staff_id, &[news], NOW).await.unwrap();
    outbox::enqueue(db, &[sms("+966501112233", "status_changed")], NOW).await.unwrap();

    consent::change(db, give(person, ConsentKind::NewsBySms, false), NOW + 5).await.unwrap().unwrap();
    let due = outbox::claim_due(db, NOW + 10, 60, 10).await.unwrap();
    assert_eq!(due.iter().map(|m| m.purpose.as_str()).collect::<Vec<_>>(), ["status_changed"]);
    let register = consent::register(db, ConsentHolder::Beneficiary(person)).await.unwrap();
    assert_eq!(register.len(), 2, "the history is kept");
    assert!(!consent::granted(&register, ConsentKind::NewsBySms));

    // Sharing needs the signed form to be given, never to be withdrawn.
    let share =
        ConsentChange {
            kind: ConsentKind::Sharing, party: "جمعية البر", ..give(person, ConsentKind::Sharing, true)
        };
    assert_eq!(consent::change(db, share.clone(), NOW).await.unwrap(), Err(ConsentProblem::WrittenFormRequired));
    let withdraw = ConsentChange { granted: false, ..share };
    assert_eq!(consent::change(db, withdraw, NOW).await.unwrap(), Ok(()));
}

#[tokio::test]
async fn a_deletion_leaves_no_identifiable_data_and_says_what_it_kept() {
    use awn_domain::channels::Channel;
    use awn_storage::{complaints, data_requests, inquiries};
    let test = fresh_database().await;
    let db = &test.database;
    awn_storage::demo::seed(db).await.unwrap();
    let staff_id = officer(db).await;
    let national_id = "1000000008";
    let request = super::service_desk::valid_request(national_id, "0551239876", "rent");
    let (request_id, person) = super::service_desk::intake(db, staff_id, Channel::Phone, &request, NOW).await;
    let mobile = request.mobile.as_e164().to_owned();
    inquiries::record(
        db,
        inquiries::NewInquiry {
            beneficiary_id: Some(person),
            asker_name: "أسامة محمد الغامدي",
            contact_mobile: Some(&request.mobile),
            contact_email: None,
            channel: Channel::Phone,
            question: "متى يصدر القرار في طلبي؟",
            language: awn_domain::locale::Language::Arabic,
        },
        NOW,
    )
    .await
    .unwrap();
    complaints::submit(db, person, Some(request_id), "أسامة يشتكي من التأخير", Channel::Phone, NOW)
        .await
        .unwrap()
        .unwrap();
    let asked =
        data_requests::submit(db, person, data_requests::DataRequestKind::Deletion, "", NOW).await.unwrap().unwrap();

    let report = data_requests::erase_beneficiary(db, person, staff_id, NOW + 60).await.unwrap();
    assert_eq!(report.requests_anonymised.len(), 1);
    assert!(report.requests_kept.is_empty());
    // Nothing is reminded about it any more.
    let decision = awn_storage::clocks::latest(
        db,
        awn_domain::deadlines::ClockRule::Decision,
        awn_storage::clocks::Subject::request(request_id),
    )
    .await
    .unwrap()
    .expect("its clock");
    assert_eq!(decision.state.phase, awn_domain::deadlines::ClockPhase::Stopped);
    assert_eq!((decision.remind_at, decision.escalate_at), (None, None));

    // Nothing that names the person is left in any table that held it.
    let mut texts: Vec<String> = Vec::new();
    for sql in [
        "SELECT full_name || national_id || birth_date || mobile || COALESCE(email, '') || description || signature FROM support_requests",
        "SELECT mobile FROM beneficiary_accounts",
        "SELECT asker_name || COALESCE(contact_mobile, '') || question FROM inquiries",
        "SELECT body FROM complaints",
        "SELECT recipient || body FROM outbox_messages",
        "SELECT mobile FROM sign_in_codes",
        "SELECT data FROM request_drafts",
    ] {
        texts.extend(sqlx::query_scalar::<_, String>(sql).fetch_all(db.pool()).await.unwrap());
    }
    for identifier in ["أسامة", national_id, &mobile, "0551239876", "الغامدي"] {
        assert!(texts.iter().all(|t| !t.contains(identifier)), "{identifier} is still held: {texts:?}");
    }
    let register =
        awn_storage::consent::register(db, awn_storage::consent::ConsentHolder::Beneficiary(person)).await.unwrap();
    assert!(register.iter().all(|entry| !entry.granted), "every consent withdrawn");
    data_requests::answer(db, asked, staff_id, true, "حُذفت البيانات؛ لم يُحتفظ بشيء.", NOW + 61).await.unwrap().unwrap();
    assert_eq!(data_requests::by_id(db, asked).await.unwrap().unwrap().status, data_requests::DataRequestStatus::Done);
    assert_eq!(
        data_requests::answer(db, asked, staff_id, true, "مرة أخرى", NOW + 62).await.unwrap(),
        Err(data_requests::DataRequestProblem::AlreadyAnswered)
    );
}

// ---------------------------------------------------------------------------
// Encryption at rest (B11)
// ---------------------------------------------------------------------------

mod encryption {
    use awn_domain::{channels::Channel, locale::Language};
    use awn_storage::{
        Backend, Database, casework, crypto,
        requests::{self, NewRequest, Submission},
        testing::fresh_database,
    };

    use super::super::service_desk::valid_request;

    const NOW: i64 = 1_795_000_000;
    const NATIONAL_ID: &str = "1000000008";
    const EMAIL: &str = "fatimah.shahri@example.org";

    async fn submit(db: &Database, beneficiary: i64, kind: &str) -> Submission {
        let mut request = valid_request(NATIONAL_ID, "0501234567", kind);
        request.email = Some(EMAIL.into());
        let new = NewRequest {
            beneficiary_id: beneficiary,
            request: &request,
            declaration_version: "1.0",
            language: Language::Arabic,
            now: NOW,
            channel: Channel::Website,
            actor: requests::ACTOR_BENEFICIARY,
        };
        requests::submit(db, new, |_, _| Vec::new()).await.unwrap()
    }

    #[tokio::test]
    async fn encrypted_columns_hold_no_plaintext_and_the_id_is_still_found_by_exact_match() {
        let test = fresh_database().await;
        let db = &test.database;
        awn_storage::demo::seed(db).await.unwrap();
        let beneficiary: i64 = sqlx::query_scalar(
            "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ('+966501234567', 'ar', 0) RETURNING id",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        // That row was written as a server before encryption would have: sealed as at
        // start, and the old plain text purged from the file.
        assert_eq!(crypto::encrypt_rows(db).await.unwrap(), 1);
        db.purge_old_versions().await.unwrap();
        let Submission::Submitted { id, .. } = submit(db, beneficiary, "rent").await else { panic!("submitted") };
        // A question asked with a number and an address.
        let mobile = awn_domain::identity::SaudiMobile::parse("0559876543").unwrap();
        awn_storage::inquiries::record(
            db,
            awn_storage::inquiries::NewInquiry {
                beneficiary_id: None,
                asker_name: "سارة",
                contact_mobile: Some(&mobile),
                contact_email: Some("sara.q@example.org"),
                channel: Channel::Website,
                question: "متى يفتح المكتب؟",
                language: Language::Arabic,
            },
            NOW,
        )
        .await
        .unwrap();
        awn_storage::outbox::enqueue(
            db,
            &[awn_storage::outbox::NewOutboxMessage {
                channel: awn_storage::outbox::Channel::Sms,
                recipient: "+966559876543".into(),
                subject: String::new(),
                body: "رسالة".into(),
                purpose: "test".into(),
            }],
            NOW,
        )
        .await
        .unwrap();
        // A draft being typed holds the ID too.
        let draft = awn_domain::requests::RequestDraft { national_id: "1000000016".into(), ..Default::default() };
        requests::save_draft(db, beneficiary, &draft, &[], NOW).await.unwrap();

        // The exact-match lookup still finds the open request of the same ID and kind.
        assert!(matches!(submit(db, beneficiary, "rent").await, Submission::DuplicateOpen { .. }));
        // Staff and the person read the plain values.
        let file = casework::case_file(db, awn_domain::ids::RequestId::new(id)).await.unwrap().unwrap();
        assert_eq!((file.national_id.as_str(), file.email.as_deref()), (NATIONAL_ID, Some(EMAIL)));
        assert_eq!(file.birth_date, "1985-03-14");
        assert_eq!(requests::load_draft(db, beneficiary).await.unwrap().unwrap().draft.national_id, "1000000016");

        // What the database holds is ciphertext.
        let (stored_id, stored_birth, stored_email): (String, String, String) =
            sqlx::query_as("SELECT national_id, birth_date, email FROM support_requests WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        for stored in [&stored_id, &stored_birth, &stored_email] {
            assert!(stored.starts_with("enc1:"), "{stored}");
        }
        // The raw database file holds none of it (SQLite: the file and its WAL, read as bytes).
        if db.backend() == Backend::Sqlite {
            let path = test.url.trim_start_matches("sqlite://").split('?').next().unwrap().to_owned();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            for secret in [NATIONAL_ID, "1000000016", EMAIL, "1985-03-14", "501234567", "559876543", "sara.q@"] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} is in the database file"
                );
            }
        } else {
            let leaked: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM support_requests WHERE national_id LIKE '%1000000008%' OR email LIKE '%example.org%'",
            )
            .fetch_one(db.pool())
            .await
            .unwrap();
            assert_eq!(leaked, 0);
        }
    }

    #[tokio::test]
    async fn the_key_file_is_made_once_checked_against_the_database_and_rotated() {
        let test = fresh_database().await;
        awn_storage::demo::seed(&test.database).await.unwrap();
        let dir = std::env::temp_dir().join(format!("awn-keys-{}", uuid::Uuid::new_v4().simple()));
        let key_file = dir.join("data-keys.json");
        let documents = dir.join("documents");

        // A database with rows from before encryption: opening the keys seals them.
        let first = Database::connect(&test.url).await.unwrap();
        let beneficiary: i64 = sqlx::query_scalar(
            "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ('+966501234567', 'ar', 0) RETURNING id",
        )
        .fetch_one(first.pool())
        .await
        .unwrap();
        crypto::open(&first, &key_file, NOW).await.unwrap();
        let Submission::Submitted { id, .. } = submit(&first, beneficiary, "rent").await else { panic!("submitted") };
        sqlx::query("UPDATE support_requests SET national_id = '1000000008', national_id_hash = NULL WHERE id = $1")
            .bind(id)
            .execute(first.pool())
            .await
            .unwrap();
        assert_eq!(crypto::encrypt_rows(&first).await.unwrap(), 1, "the plain row is sealed");
        assert!(
            matches!(submit(&first, beneficiary, "rent").await, Submission::DuplicateOpen { .. }),
            "and found again"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the key file is readable by the server's user only");
        }
        // A document written through the store is ciphertext on disk.
        let store = awn_storage::documents::LocalDiskStore::encrypted(&documents, first.clone());
        use awn_storage::documents::DocumentStore;
        store.put("scan-0001-abcdef", b"\x89PNG the scan of an ID card").await.unwrap();
        let on_disk = std::fs::read(documents.join("sc").join("scan-0001-abcdef")).unwrap();
        assert!(!on_disk.windows(7).any(|w| w == b"ID card"));
        assert_eq!(store.get("scan-0001-abcdef").await.unwrap(), b"\x89PNG the scan of an ID card");

        // Another key file, or none, is refused: nothing would read the data.
        let other_file = dir.join("other-keys.json");
        let other = Database::connect(&test.url).await.unwrap();
        let wrong = Database::connect(&test.url).await.unwrap();
        std::fs::write(&other_file, crypto::Keyring::generate().to_file_text()).unwrap();
        assert!(crypto::open(&wrong, &other_file, NOW).await.is_err(), "a different key 1");
        assert!(crypto::open(&other, &dir.join("missing.json"), NOW).await.is_err(), "no key file");

        // Rotation: key 2 becomes current, every value and document is re-encrypted with it.
        let rotating = Database::connect(&test.url).await.unwrap();
        let (key, rows, files) = crypto::rotate(&rotating, &key_file, &documents, NOW).await.unwrap();
        // The request's four values, its account's mobile, and the document.
        assert_eq!((key, rows, files), (2, 5, 1));
        let stored: String = sqlx::query_scalar("SELECT national_id FROM support_requests WHERE id = $1")
            .bind(id)
            .fetch_one(rotating.pool())
            .await
            .unwrap();
        assert!(stored.starts_with("enc1:2:"), "{stored}");
        assert_eq!(
            casework::case_file(&rotating, awn_domain::ids::RequestId::new(id)).await.unwrap().unwrap().national_id,
            NATIONAL_ID
        );
        assert!(matches!(submit(&rotating, beneficiary, "rent").await, Submission::DuplicateOpen { .. }));
        let store = awn_storage::documents::LocalDiskStore::encrypted(&documents, rotating.clone());
        assert_eq!(store.get("scan-0001-abcdef").await.unwrap(), b"\x89PNG the scan of an ID card");
        // The old key file no longer opens this database; the new one does.
        let old = Database::connect(&test.url).await.unwrap();
        assert!(crypto::open(&old, &key_file.with_extension("previous"), NOW).await.is_err());
        let reopened = Database::connect(&test.url).await.unwrap();
        crypto::open(&reopened, &key_file, NOW).await.unwrap();
        // The same keys given by the configuration (AWN_DATA_KEYS) open it too, and nothing is written.
        let configured = Database::connect(&test.url).await.unwrap();
        let text = std::fs::read_to_string(&key_file).unwrap();
        crypto::open_from(&configured, crypto::KeySource::Configured(&text), NOW).await.unwrap();
        assert_eq!(
            casework::case_file(&configured, awn_domain::ids::RequestId::new(id)).await.unwrap().unwrap().national_id,
            NATIONAL_ID
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
