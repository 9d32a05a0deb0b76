//! Staff lists are read a page at a time with their total, never cut at a
//! silent LIMIT: 300 junk violation reports cannot hide the real one.

use awn_domain::staff::StaffRole;
use awn_storage::{
    Database, PageRequest,
    audit::{self, AuditAction, AuditEntry, AuditFilter},
    privacy_reports::{self, NewPrivacyReport, ReportSource, ReportStep},
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

fn report(description: &str) -> NewPrivacyReport<'_> {
    NewPrivacyReport {
        source: ReportSource::Website,
        reporter_name: "",
        reporter_contact: "",
        description,
        recorded_by: None,
    }
}

#[tokio::test]
async fn a_real_violation_report_after_300_junk_ones_leads_the_first_page_with_the_total() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let mut junk = Vec::new();
    for n in 0..304 {
        junk.push(privacy_reports::submit(db, report(&format!("رسالة عشوائية {n}")), NOW + n).await.unwrap().unwrap());
    }
    let real = privacy_reports::submit(db, report("تسربت بيانات المستفيدين"), NOW + 1_000).await.unwrap().unwrap();
    // One junk report closed: it goes after every open one.
    let closed = junk[3];
    let close = ReportStep::Close { outcome: "بلاغ غير جاد".into() };
    privacy_reports::step(db, closed, staff_id, &close, NOW + 2_000).await.unwrap().unwrap();

    let first = privacy_reports::list(db, PageRequest::new(1, 50)).await.unwrap();
    assert_eq!((first.total, first.page, first.items.len()), (305, 1, 50));
    assert_eq!(first.items[0].id, real, "the newest open report first");
    assert_eq!(first.items[1].id, junk[303]);

    let last = privacy_reports::list(db, PageRequest::new(99_999, 50)).await.unwrap();
    assert_eq!((last.total, last.page, last.items.len()), (305, 7, 5), "past the end: the last page");
    assert_eq!(last.items.last().map(|r| r.id), Some(closed), "closed ones after the open ones");

    // A breach awaiting its notification leads, whatever its age.
    privacy_reports::step(db, junk[0], staff_id, &ReportStep::MarkBreach, NOW + 3_000).await.unwrap().unwrap();
    let first = privacy_reports::list(db, PageRequest::new(1, 50)).await.unwrap();
    assert_eq!((first.items[0].id, first.items[1].id), (junk[0], real));
}

#[tokio::test]
async fn the_audit_log_is_searched_a_page_at_a_time_with_its_total() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    for n in 0..7 {
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::CaseView,
            beneficiary_id: Some(n),
            request_id: None,
            reason: "casework",
        };
        audit::record(db, entry, NOW + n).await.unwrap();
    }
    audit::record(
        db,
        AuditEntry {
            staff_id,
            action: AuditAction::QueueView,
            beneficiary_id: None,
            request_id: None,
            reason: "casework",
        },
        NOW + 10,
    )
    .await
    .unwrap();
    let filter = AuditFilter { action_prefix: Some("case.".into()), ..AuditFilter::default() };
    let second = audit::search_by(db, &filter, PageRequest::new(2, 3)).await.unwrap();
    assert_eq!((second.total, second.page), (7, 2));
    let beneficiaries: Vec<_> = second.items.iter().map(|e| e.beneficiary_id).collect();
    assert_eq!(beneficiaries, [Some(3), Some(2), Some(1)], "newest first");
    let everything = audit::search_by(db, &AuditFilter::default(), PageRequest::new(1, 50)).await.unwrap();
    assert_eq!((everything.total, everything.items.len()), (8, 8));
}
