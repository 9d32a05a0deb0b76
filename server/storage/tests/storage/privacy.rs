//! Privacy (B1–B12): the tamper-evident audit log. Every test runs on a fresh
//! database of the engine under test.

use awn_domain::staff::StaffRole;
use awn_storage::{
    Database,
    audit::{self, AuditEntry, ChainProblem},
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
        let entry =
            AuditEntry { staff_id, action: "case.view", beneficiary_id: Some(n), request_id: None, reason: &reason };
        audit::record(db, entry, NOW + n).await.unwrap();
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
    sqlx::query("UPDATE audit_log SET beneficiary_id = 999 WHERE id = $1").bind(edited).execute(db.pool()).await.unwrap();
    let broken = audit::verify_chain(db).await.unwrap().first_broken.expect("broken");
    assert_eq!((broken.position, broken.entry_id, broken.problem), (3, Some(edited), ChainProblem::ContentChanged));

    // Recomputing that entry's own hash does not help: the next one names the old hash.
    let hash: String = sqlx::query_scalar("SELECT entry_hash FROM audit_log WHERE id = $1")
        .bind(edited)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let forged = audit::entry_hash(
        3,
        &sqlx::query_scalar::<_, String>("SELECT previous_hash FROM audit_log WHERE id = $1")
            .bind(edited)
            .fetch_one(db.pool())
            .await
            .unwrap(),
        &AuditEntry { staff_id, action: "case.view", beneficiary_id: Some(999), request_id: None, reason: "قراءة رقم 2\nسطر ثان" },
        NOW + 2,
    );
    assert_ne!(forged, hash);
    sqlx::query("UPDATE audit_log SET entry_hash = $1 WHERE id = $2").bind(&forged).bind(edited).execute(db.pool()).await.unwrap();
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
            let entry = AuditEntry { staff_id, action: "queue.view", beneficiary_id: None, request_id: None, reason: "" };
            audit::record(&db, entry, NOW + n).await
        })
    });
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let check = audit::verify_chain(db).await.unwrap();
    assert_eq!((check.entries_checked, check.first_broken), (16, None));
}
