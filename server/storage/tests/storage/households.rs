//! Households as lists of people, and each person known once (issue 15): the
//! members written with the request, and the finder of possible duplicates.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    duplicates::{DuplicateReason, DuplicateStatus},
    ids::{RequestId, StaffId},
    requests::{MemberDraft, Relation, RequestDraft, ValidRequest, WizardStep, validate_request},
};
use awn_storage::{Database, StorageError, casework, duplicates, testing::fresh_database};

use super::service_desk::intake;

pub(super) const NOW: i64 = 1_795_000_000;

/// A valid national ID starting with `first_nine` (the Luhn check digit added).
pub(super) fn national_id(first_nine: &str) -> String {
    let sum: u32 = first_nine
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { d })
        .sum();
    format!("{first_nine}{}", (10 - sum % 10) % 10)
}

pub(super) fn member(name: &str, relation: Relation, birth: &str, id: &str) -> MemberDraft {
    MemberDraft {
        full_name: name.into(),
        relation: relation.code().into(),
        birth_date: birth.into(),
        national_id: id.into(),
        has_income: "no".into(),
    }
}

pub(super) fn request(name: &str, id: &str, birth: &str, mobile: &str, members: Vec<MemberDraft>) -> ValidRequest {
    let draft = RequestDraft {
        step: WizardStep::Declaration,
        full_name: name.into(),
        national_id: id.into(),
        birth_date: birth.into(),
        mobile: mobile.into(),
        city: "الرهاة".into(),
        district: "الشمال".into(),
        household_members: "6".into(),
        monthly_income: "3500".into(),
        housing: "rented".into(),
        support_kind: "rent".into(),
        description: "الإيجار متأخر ثلاثة أشهر".into(),
        declaration_accepted: true,
        signature: name.into(),
        members,
        ..RequestDraft::default()
    };
    let kinds = vec!["rent".to_string()];
    validate_request(&draft, CalendarDay { year: 2026, month: 11, day: 25 }, &kinds).expect("a valid request")
}

pub(super) async fn staff_member(db: &Database) -> i64 {
    awn_storage::demo::seed(db).await.unwrap();
    super::service_desk::create_staff(db, "officer").await
}

#[tokio::test]
async fn household_members_are_kept_encrypted_with_the_request() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let son_id = national_id("100000123");
    let valid = request(
        "فاطمة علي الغامدي",
        &national_id("100000456"),
        "1970-01-02",
        "0501111111",
        vec![member("خالد سعد الغامدي", Relation::Son, "2000-05-06", &son_id)],
    );
    let (id, _) = intake(db, staff, Channel::Phone, &valid, NOW).await;
    let file = casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap();
    assert_eq!(file.household.len(), 1);
    let son = &file.household[0];
    assert_eq!(
        (son.full_name.as_str(), son.relation, son.birth_date.as_str()),
        ("خالد سعد الغامدي", Relation::Son, "2000-05-06")
    );
    assert_eq!(son.national_id.as_deref(), Some(son_id.as_str()));
    let stored: (String, String) =
        sqlx::query_as("SELECT national_id, birth_date FROM household_members WHERE request_id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(stored.0.starts_with("enc1:") && stored.1.starts_with("enc1:"), "{stored:?}");
    assert!(!stored.0.contains(&son_id));
}

#[tokio::test]
async fn a_family_applying_twice_through_two_members_is_found_by_national_id() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let son_id = national_id("100000123");
    // Request A: the mother, with her son in the household.
    let a = request(
        "فاطمة علي الغامدي",
        &national_id("100000456"),
        "1970-01-02",
        "0501111111",
        vec![member("خالد سعد الغامدي", Relation::Son, "2000-05-06", &son_id)],
    );
    let (a_id, _) = intake(db, staff, Channel::Phone, &a, NOW).await;
    assert_eq!(duplicates::find_and_record(db, RequestId::new(a_id), NOW).await.unwrap(), 0);
    // Request B: the son himself, from another account.
    let b = request("خالد سعد الغامدي", &son_id, "2000-05-06", "0502222222", Vec::new());
    let (b_id, _) = intake(db, staff, Channel::Interview, &b, NOW + 60).await;
    assert_eq!(duplicates::find_and_record(db, RequestId::new(b_id), NOW + 60).await.unwrap(), 1);
    assert_eq!(duplicates::find_and_record(db, RequestId::new(b_id), NOW + 90).await.unwrap(), 0, "recorded once");
    assert_eq!(duplicates::find_and_record(db, RequestId::new(a_id), NOW + 90).await.unwrap(), 0, "either way");

    let from_b = duplicates::of_request(db, RequestId::new(b_id)).await.unwrap();
    assert_eq!(from_b.len(), 1);
    assert_eq!((from_b[0].other_request_id, from_b[0].reason), (RequestId::new(a_id), DuplicateReason::NationalId));
    let from_a = duplicates::of_request(db, RequestId::new(a_id)).await.unwrap();
    assert_eq!(from_a[0].other_request_id, RequestId::new(b_id));
    assert_eq!(from_a[0].status, DuplicateStatus::Open);

    // Staff confirm it once; a pair of another request is not theirs to decide.
    let pair = from_a[0].id;
    let other = RequestId::new(a_id + b_id + 1);
    let error = duplicates::decide(db, other, pair, DuplicateStatus::Confirmed, StaffId::new(staff), "", NOW).await;
    assert!(matches!(error, Err(StorageError::NotFound(_))), "{error:?}");
    duplicates::decide(db, RequestId::new(a_id), pair, DuplicateStatus::Confirmed, StaffId::new(staff), "", NOW + 100)
        .await
        .unwrap();
    let again =
        duplicates::decide(db, RequestId::new(b_id), pair, DuplicateStatus::Dismissed, StaffId::new(staff), "x", NOW)
            .await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    let linked = duplicates::of_request(db, RequestId::new(b_id)).await.unwrap();
    assert_eq!(linked[0].status, DuplicateStatus::Confirmed);
    assert_eq!(linked[0].decided_at, Some(NOW + 100));
    assert!(linked[0].decided_by_name.is_some());
}

#[tokio::test]
async fn the_same_name_written_differently_with_the_same_birth_date_is_found() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let a = request("عبد الله مصطفى الشهري", &national_id("100000789"), "1980-03-01", "0503333333", Vec::new());
    let (a_id, _) = intake(db, staff, Channel::Phone, &a, NOW).await;
    // B lists, as a household member without an ID, the same man written another way.
    let b = request(
        "سارة أحمد الشهري",
        &national_id("100000999"),
        "1985-07-07",
        "0504444444",
        vec![member("عبدالله مصطفي الشهرى", Relation::Spouse, "1980-03-01", "")],
    );
    let (b_id, _) = intake(db, staff, Channel::Phone, &b, NOW + 60).await;
    assert_eq!(duplicates::find_and_record(db, RequestId::new(b_id), NOW + 60).await.unwrap(), 1);
    let found = duplicates::of_request(db, RequestId::new(a_id)).await.unwrap();
    assert_eq!((found[0].other_request_id, found[0].reason), (RequestId::new(b_id), DuplicateReason::NameAndBirthDate));
}

#[tokio::test]
async fn different_people_are_not_flagged() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let a = request("أحمد محمد الغامدي", &national_id("100000111"), "1990-05-17", "0505555555", Vec::new());
    intake(db, staff, Channel::Phone, &a, NOW).await;
    // The same name, another birth date; another first name; only the family name.
    let b = request(
        "أحمد محمد الغامدي",
        &national_id("100000222"),
        "1991-05-17",
        "0506666666",
        vec![
            member("خالد محمد الغامدي", Relation::Brother, "1990-05-17", ""),
            member("سعد فهد الغامدي", Relation::Brother, "1990-05-17", ""),
        ],
    );
    let (b_id, _) = intake(db, staff, Channel::Phone, &b, NOW + 60).await;
    assert_eq!(duplicates::find_and_record(db, RequestId::new(b_id), NOW + 60).await.unwrap(), 0);
    assert!(duplicates::of_request(db, RequestId::new(b_id)).await.unwrap().is_empty());
}

#[tokio::test]
async fn requests_from_before_names_were_keyed_are_keyed_at_start_up() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let a = request("عبد الله مصطفى الشهري", &national_id("100000811"), "1980-03-01", "0503333311", Vec::new());
    let (a_id, _) = intake(db, staff, Channel::Phone, &a, NOW).await;
    // As it was before the migration: no key.
    sqlx::query("UPDATE support_requests SET name_key = '' WHERE id = $1").bind(a_id).execute(db.pool()).await.unwrap();
    assert_eq!(duplicates::backfill_name_keys(db).await.unwrap(), 1);
    assert_eq!(duplicates::backfill_name_keys(db).await.unwrap(), 0, "once");
    let key: String = sqlx::query_scalar("SELECT name_key FROM support_requests WHERE id = $1")
        .bind(a_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(key, awn_domain::duplicates::name_key("عبدالله مصطفي الشهرى"), "keyed like a new one");
    // …and so found again by name and birth date.
    let b = request(
        "سارة أحمد الشهري",
        &national_id("100000922"),
        "1985-07-07",
        "0504444422",
        vec![member("عبدالله مصطفي الشهرى", Relation::Spouse, "1980-03-01", "")],
    );
    let (b_id, _) = intake(db, staff, Channel::Phone, &b, NOW + 60).await;
    assert!(duplicates::find_and_record(db, RequestId::new(b_id), NOW + 60).await.unwrap() >= 1);
}
