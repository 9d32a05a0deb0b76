//! Requests about their data from supporters, members and volunteers (issue
//! 15) on both engines: each names exactly one person who exists, and a
//! deletion empties their contacts and keeps the financial record.

use awn_domain::{
    identity::SaudiMobile,
    parties::{Supporter, SupporterKind},
    privacy::{DataRequestChannel, DataRequestKind, DataSubject, PartyKind, RecordedDataRequest},
    staff::StaffRole,
};
use awn_storage::{
    Database, StorageError,
    data_requests::{self, DataRequestProblem},
    parties, party_privacy,
    staff::{self, NewStaff},
    testing::fresh_database,
};

const NOW: i64 = 1_794_722_400;

async fn officer(db: &Database) -> i64 {
    let new = NewStaff {
        username: "privacy.officer",
        display_name: "مسؤول حماية البيانات",
        role: StaffRole::PrivacyOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

fn asked(subject: DataSubject, kind: DataRequestKind) -> RecordedDataRequest {
    RecordedDataRequest { subject, kind, channel: DataRequestChannel::Email, details: "من بريده".into() }
}

#[tokio::test]
async fn a_request_names_exactly_one_person_who_exists_and_a_deletion_keeps_the_contributions() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let supporter = Supporter {
        kind: SupporterKind::Individual,
        name: "هند عبدالرحمن".into(),
        mobile: Some(SaudiMobile::parse("0551234455").unwrap()),
        email: None,
        anonymous: false,
        consent_news: true,
    };
    let id = parties::add_supporter(db, &supporter, staff_id, NOW).await.unwrap();
    let subject = DataSubject::new(PartyKind::Supporter, id);

    let nobody = DataSubject::new(PartyKind::Member, 4242);
    let refused = party_privacy::record(db, &asked(nobody, DataRequestKind::Access), staff_id, NOW).await.unwrap();
    assert_eq!(refused, Err(DataRequestProblem::UnknownPerson));
    let request =
        party_privacy::record(db, &asked(subject, DataRequestKind::Deletion), staff_id, NOW).await.unwrap().unwrap();
    let about = data_requests::about(db, subject).await.unwrap();
    assert_eq!(about.len(), 1);
    assert_eq!((about[0].id, about[0].subject, about[0].channel), (request, subject, DataRequestChannel::Email));
    assert!(about[0].due_at >= NOW + 30 * 86_400, "the legal period");

    // The schema itself holds it: one person per request, known kinds only.
    let one_person = sqlx::query(
        "INSERT INTO data_requests (beneficiary_id, supporter_id, kind, status, due_at, created_at) \
         VALUES (NULL, $1, 'access', 'open', $2, $2)",
    )
    .bind(id)
    .bind(NOW)
    .execute(db.pool())
    .await;
    assert!(one_person.is_ok(), "one person is fine: {one_person:?}");
    let two_people = sqlx::query(
        "INSERT INTO data_requests (supporter_id, member_id, kind, status, due_at, created_at) \
         VALUES ($1, $1, 'access', 'open', $2, $2)",
    )
    .bind(id)
    .bind(NOW)
    .execute(db.pool())
    .await;
    assert!(two_people.is_err(), "two people in one request are refused");
    let nobody =
        sqlx::query("INSERT INTO data_requests (kind, status, due_at, created_at) VALUES ('access', 'open', $1, $1)")
            .bind(NOW)
            .execute(db.pool())
            .await;
    assert!(nobody.is_err(), "a request about nobody is refused");
    let bogus = sqlx::query(
        "INSERT INTO data_requests (supporter_id, kind, status, due_at, created_at) VALUES ($1, 'bogus', 'open', $2, $2)",
    )
    .bind(id)
    .bind(NOW)
    .execute(db.pool())
    .await;
    assert!(bogus.is_err(), "an unknown kind is refused");

    parties::add_contribution(db, id, &money(), staff_id, NOW).await.unwrap();
    let erased = party_privacy::erase(db, subject, staff_id, NOW + 60).await.unwrap();
    assert_eq!(erased.contributions_kept, 1);
    let file = parties::supporter_file(db, id).await.unwrap().expect("the row stays");
    assert_eq!((file.supporter.name.as_str(), file.mobile, file.email), ("", None, None));
    assert!(file.supporter.anonymous && !file.supporter.consent_news);
    assert_eq!(file.contributions.len(), 1);
    let missing = party_privacy::erase(db, DataSubject::new(PartyKind::Volunteer, 4242), staff_id, NOW).await;
    assert!(matches!(missing, Err(StorageError::NotFound(_))), "{missing:?}");
}

fn money() -> awn_domain::parties::Contribution {
    awn_domain::parties::Contribution {
        kind: awn_domain::parties::ContributionKind::Money,
        amount_halalas: Some(50_000),
        received_on: awn_domain::calendar::CalendarDay { year: 2026, month: 11, day: 3 },
        purpose: String::new(),
        channel: awn_domain::parties::ContributionChannel::Cash,
        receipt_number: "R-19".into(),
    }
}
