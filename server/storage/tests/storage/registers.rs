//! The supporters' and members' registers (issue 15) on both engines.

use awn_domain::{
    calendar::CalendarDay,
    identity::{NationalId, SaudiMobile},
    parties::{Contribution, ContributionChannel, ContributionKind, Member, MemberStatus, Supporter, SupporterKind},
    staff::StaffRole,
};
use awn_storage::{
    Database, PageRequest, StorageError, parties,
    staff::{self, NewStaff},
    testing::fresh_database,
};

const NOW: i64 = 1_794_722_400;

async fn officer(db: &Database) -> i64 {
    let new = NewStaff {
        username: "registers.officer",
        display_name: "موظفة العلاقات",
        role: StaffRole::RelationsOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

fn day(year: i32, month: u8, day: u8) -> CalendarDay {
    CalendarDay { year, month, day }
}

fn money(halalas: i64, received_on: CalendarDay) -> Contribution {
    Contribution {
        kind: ContributionKind::Money,
        amount_halalas: Some(halalas),
        received_on,
        purpose: String::new(),
        channel: ContributionChannel::Cash,
        receipt_number: String::new(),
    }
}

#[tokio::test]
async fn supporters_contributions_are_counted_by_month_within_the_period_and_their_contacts_read_back() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let supporter = Supporter {
        kind: SupporterKind::Organisation,
        name: "مؤسسة الخير".into(),
        mobile: Some(SaudiMobile::parse("0551112233").unwrap()),
        email: Some("khair@example.org".into()),
        anonymous: true,
        consent_news: false,
    };
    let id = parties::add_supporter(db, &supporter, staff_id, NOW).await.unwrap();
    let other =
        parties::add_supporter(db, &Supporter { anonymous: false, ..supporter.clone() }, staff_id, NOW).await.unwrap();
    parties::add_contribution(db, id, &money(100_000, day(2026, 9, 30)), staff_id, NOW).await.unwrap();
    parties::add_contribution(db, id, &money(50_050, day(2026, 10, 1)), staff_id, NOW).await.unwrap();
    parties::add_contribution(db, other, &money(25_000, day(2026, 10, 31)), staff_id, NOW).await.unwrap();
    let unknown = parties::add_contribution(db, 999_999, &money(1, day(2026, 10, 1)), staff_id, NOW).await;
    assert!(matches!(unknown, Err(StorageError::NotFound(_))));

    let all = parties::contributions_by_month(db, None, None).await.unwrap();
    assert_eq!(all, vec![("2026-09".into(), 1, 1, 100_000), ("2026-10".into(), 2, 2, 75_050)]);
    let october = parties::contributions_by_month(db, Some("2026-10-01"), Some("2026-11-01")).await.unwrap();
    assert_eq!(october, vec![("2026-10".into(), 2, 2, 75_050)]);

    let file = parties::supporter_file(db, id).await.unwrap().expect("the record");
    assert_eq!(file.mobile.as_deref(), Some("+966551112233"));
    assert_eq!(file.email.as_deref(), Some("khair@example.org"));
    assert_eq!((file.supporter.contributions, file.supporter.total_halalas), (2, 150_050));
    assert!(file.supporter.anonymous);
    let page = parties::supporters(db, PageRequest::new(1, 1)).await.unwrap();
    assert_eq!((page.items.len(), page.total), (1, 2), "paginated with its count");
}

#[tokio::test]
async fn a_member_is_active_from_joining_and_every_status_is_kept() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    let member = Member {
        membership_number: "0042".into(),
        full_name: "سعد محمد الغامدي".into(),
        national_id: Some(NationalId::parse("1000000008").unwrap()),
        mobile: None,
        joined_on: day(2020, 1, 15),
    };
    let id = parties::add_member(db, &member, staff_id, NOW).await.unwrap();
    let again = parties::add_member(db, &member, staff_id, NOW).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "one membership number, one member");
    assert!(
        parties::set_member_status(db, id, MemberStatus::Left, day(2026, 11, 1), "انتقل", staff_id, NOW).await.unwrap()
    );
    assert!(
        !parties::set_member_status(db, id, MemberStatus::Left, day(2026, 11, 2), "", staff_id, NOW).await.unwrap()
    );
    assert!(
        parties::set_member_status(db, id, MemberStatus::Active, day(2026, 11, 20), "عاد", staff_id, NOW + 1)
            .await
            .unwrap()
    );
    let file = parties::member_file(db, id).await.unwrap().expect("the record");
    assert_eq!(file.national_id.as_deref(), Some("1000000008"));
    assert_eq!(file.member.status, MemberStatus::Active);
    assert_eq!(file.member.left_on, None, "rejoining clears the leaving day");
    let statuses: Vec<MemberStatus> = file.history.iter().map(|(status, ..)| *status).collect();
    assert_eq!(statuses, vec![MemberStatus::Active, MemberStatus::Left, MemberStatus::Active]);
}
