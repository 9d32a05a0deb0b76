//! A household editable later (issue 15): members added after the request,
//! corrected and removed, written like those of the request (encrypted, the ID
//! hashed for look-up), so the finder of possible duplicates sees the change.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    ids::{MemberId, RequestId},
    requests::{HouseholdMember, Relation, check_member},
};
use awn_storage::{
    casework, duplicates,
    households::{self, MemberChange},
    testing::fresh_database,
};

use super::{
    households::{NOW, member, national_id, request, staff_member},
    service_desk::intake,
};

fn checked(name: &str, id: &str) -> HouseholdMember {
    check_member(&member(name, Relation::Son, "2000-05-06", id), CalendarDay { year: 2026, month: 11, day: 25 })
        .expect("a valid member")
}

#[tokio::test]
async fn members_are_added_corrected_and_removed_and_the_finder_sees_each_change() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff = staff_member(db).await;
    let son_id = national_id("100000911");
    let mother = request("فاطمة علي سعيد الغامدي", &national_id("100000912"), "1970-01-02", "0501111121", vec![]);
    let (a, _) = intake(db, staff, Channel::Phone, &mother, NOW).await;
    let son = request("خالد سعد علي الغامدي", &son_id, "2000-05-06", "0501111122", vec![]);
    let (b, _) = intake(db, staff, Channel::Phone, &son, NOW).await;
    let a = RequestId::new(a);
    duplicates::find_and_record(db, a, NOW).await.unwrap();
    assert!(duplicates::of_request(db, a).await.unwrap().is_empty(), "nobody in common yet");

    // Added after the request: kept encrypted, the ID found again.
    let added = households::add(db, a, &checked("خالد سعد علي الغامدي", &son_id), 2).await.unwrap();
    assert_eq!(added, MemberChange::Done);
    let listed = households::of_request(db, a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].national_id.as_deref(), Some(son_id.as_str()));
    let stored: String = sqlx::query_scalar("SELECT national_id FROM household_members WHERE request_id = $1")
        .bind(a.get())
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(!stored.contains(&son_id), "encrypted at rest");
    duplicates::find_and_record(db, a, NOW + 1).await.unwrap();
    let found = duplicates::of_request(db, a).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].other_request_id.get(), b);

    // At most the cap; a second member after the first; the household's size
    // follows a list that outgrows it.
    let size = || async {
        sqlx::query_scalar::<_, i64>("SELECT household_members FROM support_requests WHERE id = $1")
            .bind(a.get())
            .fetch_one(db.pool())
            .await
            .unwrap()
    };
    let given = size().await;
    let second = checked("سعد علي سعيد الغامدي", "");
    assert_eq!(households::add(db, a, &second, 2).await.unwrap(), MemberChange::Done);
    assert_eq!(households::add(db, a, &second, 2).await.unwrap(), MemberChange::Full);
    assert_eq!(size().await, given.max(3), "the applicant and two members at least");
    let listed = households::of_request(db, a).await.unwrap();
    assert_eq!(listed.iter().map(|m| m.position).collect::<Vec<_>>(), vec![0, 1]);

    // Corrected: the new ID replaces the old, hash and all.
    let other_id = national_id("100000913");
    let first = listed[0].id;
    let corrected = households::correct(db, a, first, &checked("خالد سعد علي الزهراني", &other_id)).await.unwrap();
    assert_eq!(corrected, MemberChange::Done);
    let listed = households::of_request(db, a).await.unwrap();
    assert_eq!(listed[0].full_name, "خالد سعد علي الزهراني");
    assert_eq!(listed[0].national_id.as_deref(), Some(other_id.as_str()));
    let hashed: Option<String> = sqlx::query_scalar("SELECT national_id_hash FROM household_members WHERE id = $1")
        .bind(first.get())
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(hashed, awn_storage::crypto::national_id_hash(db.keys().unwrap(), &other_id));

    // Only a member of this request is changed.
    let elsewhere = RequestId::new(b);
    assert_eq!(households::remove(db, elsewhere, first).await.unwrap(), MemberChange::NotFound);
    let nobody = checked("خالد سعد علي الغامدي", "");
    assert_eq!(households::correct(db, a, MemberId::new(987_654), &nobody).await.unwrap(), MemberChange::NotFound);
    assert_eq!(households::add(db, RequestId::new(987_654), &nobody, 2).await.unwrap(), MemberChange::NotFound);
    assert_eq!(households::remove(db, a, first).await.unwrap(), MemberChange::Done);
    assert_eq!(households::of_request(db, a).await.unwrap().len(), 1);
    assert!(casework::case_file(db, a).await.unwrap().is_some());
}
