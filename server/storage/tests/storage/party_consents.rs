//! One consent register for beneficiaries, supporters and volunteers (B9):
//! news reaches the supporters and volunteers whose consent is in force, a
//! withdrawal cancels what is still queued, and the consents saved before the
//! register held them are kept by the migration.

use std::sync::{Arc, Mutex};

use awn_domain::{
    consent::ConsentKind,
    identity::SaudiMobile,
    locale::Language,
    parties::{Supporter, SupporterKind},
    staff::StaffRole,
    volunteers::Availability,
};
use awn_storage::{
    Database, PageRequest, StorageError,
    accounts::{self, CodeIssue},
    consent::{self, BY_STAFF_ON_REQUEST, ConsentChange, ConsentHolder},
    outbox::{self, NewOutboxMessage},
    parties,
    staff::{self, NewStaff},
    testing::{empty_database, fresh_database},
    volunteers::{self, Confirmation, NewApplication},
};

const NOW: i64 = 1_795_000_000;

async fn officer(db: &Database) -> i64 {
    let new = NewStaff {
        username: "consents.officer",
        display_name: "موظفة العلاقات",
        role: StaffRole::RelationsOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

fn supporter(name: &str, mobile: &str, email: Option<&str>, consent_news: bool) -> Supporter {
    Supporter {
        kind: SupporterKind::Individual,
        name: name.into(),
        mobile: Some(SaudiMobile::parse(mobile).unwrap()),
        email: email.map(Into::into),
        anonymous: true,
        consent_news,
    }
}

fn message(channel: outbox::Channel, to: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel,
        recipient: to.into(),
        subject: String::new(),
        body: "خبر الجمعية".into(),
        purpose: "news".into(),
    }
}

/// Applies for `mobile` with the news consent given or not; confirmed when asked.
async fn volunteer(db: &Database, mobile: &str, news_consent: bool, confirm: bool, now: i64) -> i64 {
    let mobile = SaudiMobile::parse(mobile).unwrap();
    let sent = Arc::new(Mutex::new(String::new()));
    let kept = sent.clone();
    let issued = accounts::issue_sign_in_code(db, &mobile, now, 0, move |code| {
        *kept.lock().unwrap() = code.to_owned();
        vec![message(outbox::Channel::Sms, "+966500000000")]
    })
    .await
    .unwrap();
    let CodeIssue::Issued(challenge) = issued else { panic!("no code: {issued:?}") };
    let new = NewApplication {
        full_name: "متطوع",
        mobile: &mobile,
        skills: "تنظيم",
        areas: "الرهاة",
        availability: Availability::Weekends,
        sms_consent: true,
        news_consent,
        language: Language::English,
    };
    let id = volunteers::apply(db, &new, &challenge.challenge_token, now).await.unwrap();
    if confirm {
        let code = sent.lock().unwrap().clone();
        let confirmed = volunteers::confirm(db, &challenge.challenge_token, &code, now + 5).await.unwrap();
        assert_eq!(confirmed, Confirmation::Confirmed(id));
    }
    id
}

async fn statuses(db: &Database, column: &str, id: i64) -> Vec<(String, String)> {
    sqlx::query_as(&format!(
        "SELECT consent_kind, status FROM outbox_messages WHERE {column} = $1 ORDER BY consent_kind"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn consenting_supporters_and_volunteers_receive_the_news_and_a_withdrawal_cancels_it() {
    let test = fresh_database().await;
    let db = &test.database;
    let staff_id = officer(db).await;
    // An anonymous supporter still gets news: anonymity keeps them out of reports only.
    let willing =
        parties::add_supporter(db, &supporter("نورة", "0551110001", Some("noura@example.org"), true), staff_id, NOW)
            .await
            .unwrap();
    let unwilling =
        parties::add_supporter(db, &supporter("فهد", "0551110002", Some("fahd@example.org"), false), staff_id, NOW)
            .await
            .unwrap();
    let signed_up = volunteer(db, "0551110003", true, true, NOW).await;
    let declined = volunteer(db, "0551110004", false, true, NOW).await;
    let unconfirmed = volunteer(db, "0551110005", true, false, NOW).await;

    // The sign-up's consent and the supporter's, as staff recorded it, are in the register.
    let register = consent::register(db, ConsentHolder::Volunteer(signed_up)).await.unwrap();
    assert_eq!(register.len(), 1);
    assert_eq!((register[0].kind, register[0].granted), (ConsentKind::NewsBySms, true));
    assert_eq!((register[0].method.as_str(), register[0].recorded_by_name.as_deref()), ("online", None));
    assert!(consent::register(db, ConsentHolder::Volunteer(declined)).await.unwrap().is_empty());
    let file = parties::supporter_file(db, willing).await.unwrap().unwrap();
    assert!(file.supporter.consent_news);
    let kinds: Vec<_> = file.consents.iter().map(|c| (c.kind, c.granted, c.method.as_str())).collect();
    assert_eq!(
        kinds,
        [(ConsentKind::NewsByEmail, true, BY_STAFF_ON_REQUEST), (ConsentKind::NewsBySms, true, BY_STAFF_ON_REQUEST)]
    );
    assert!(file.consents.iter().all(|c| c.recorded_by_name.as_deref() == Some("موظفة العلاقات")));
    assert!(!parties::supporter_file(db, unwilling).await.unwrap().unwrap().supporter.consent_news);
    let listed = volunteers::list(db, PageRequest::new(1, 10)).await.unwrap();
    let news: Vec<_> = listed.items.iter().map(|row| (row.id, row.news_consent)).collect();
    assert!(news.contains(&(signed_up, true)) && news.contains(&(declined, false)), "{news:?}");

    // Only those whose consent is in force, by the channels they consented to.
    let recipients = consent::news_recipients(db).await.unwrap();
    let reached: Vec<_> =
        recipients.iter().map(|r| (r.holder, r.mobile.as_deref(), r.email.as_deref(), r.language)).collect();
    assert_eq!(
        reached,
        [
            (ConsentHolder::Supporter(willing), Some("+966551110001"), Some("noura@example.org"), Language::Arabic),
            (ConsentHolder::Volunteer(signed_up), Some("+966551110003"), None, Language::English),
        ],
        "not the supporter who did not consent, the volunteer who declined, nor an unconfirmed application"
    );
    let _ = unconfirmed;

    let queued = [
        (ConsentHolder::Supporter(willing), ConsentKind::NewsBySms, message(outbox::Channel::Sms, "+966551110001")),
        (
            ConsentHolder::Supporter(willing),
            ConsentKind::NewsByEmail,
            message(outbox::Channel::Email, "noura@example.org"),
        ),
        (ConsentHolder::Volunteer(signed_up), ConsentKind::NewsBySms, message(outbox::Channel::Sms, "+966551110003")),
    ];
    consent::enqueue_news(db, staff_id, &queued, NOW + 10).await.unwrap();

    // Staff record the supporter's withdrawal of news by SMS: that message is cancelled, the email goes on.
    let withdrawal = ConsentChange {
        holder: ConsentHolder::Supporter(willing),
        kind: ConsentKind::NewsBySms,
        party: "",
        granted: false,
        method: BY_STAFF_ON_REQUEST,
        document_id: None,
        recorded_by: Some(staff_id),
    };
    consent::change(db, withdrawal.clone(), NOW + 20).await.unwrap().unwrap();
    assert_eq!(
        statuses(db, "consent_supporter_id", willing).await,
        [("news_email".to_owned(), "pending".to_owned()), ("news_sms".to_owned(), "cancelled".to_owned())]
    );
    assert_eq!(statuses(db, "consent_volunteer_id", signed_up).await, [("news_sms".to_owned(), "pending".to_owned())]);
    let file = parties::supporter_file(db, willing).await.unwrap().unwrap();
    assert_eq!((file.consents[0].kind, file.consents[0].granted), (ConsentKind::NewsBySms, false));
    assert!(file.supporter.consent_news, "news by email is still in force");

    // Withdrawing everything (on erasure): every consent in force withdrawn, nothing left queued.
    for holder in [ConsentHolder::Supporter(willing), ConsentHolder::Volunteer(signed_up)] {
        let mut tx = db.begin_write().await.unwrap();
        consent::withdraw_all_in(&mut tx, holder, staff_id, "erasure", NOW + 30).await.unwrap();
        tx.commit().await.unwrap();
        let register = consent::register(db, holder).await.unwrap();
        assert!(consent::in_force(&register).iter().all(|c| !c.granted), "{holder:?}: {register:?}");
    }
    assert_eq!(
        statuses(db, "consent_supporter_id", willing).await,
        [("news_email".to_owned(), "cancelled".to_owned()), ("news_sms".to_owned(), "cancelled".to_owned())]
    );
    assert_eq!(
        statuses(db, "consent_volunteer_id", signed_up).await,
        [("news_sms".to_owned(), "cancelled".to_owned())]
    );
    let register = consent::register(db, ConsentHolder::Supporter(willing)).await.unwrap();
    assert_eq!(register.len(), 4, "only what was in force is withdrawn; the history is kept");
    assert!(consent::news_recipients(db).await.unwrap().is_empty());

    // An unknown holder is refused; a row must name exactly one holder.
    let unknown = ConsentChange { holder: ConsentHolder::Supporter(999_999), ..withdrawal };
    assert!(matches!(consent::change(db, unknown, NOW).await, Err(StorageError::NotFound(_))));
    let two_holders = sqlx::query(
        "INSERT INTO consents (supporter_id, volunteer_id, kind, party, granted, method, created_at) \
         VALUES ($1, $2, 'news_sms', '', 1, 'staff', $3)",
    )
    .bind(willing)
    .bind(signed_up)
    .bind(NOW)
    .execute(db.pool())
    .await;
    assert!(two_holders.is_err(), "the CHECK holds");

    // An application never confirmed is purged with the consent it gave.
    assert_eq!(volunteers::purge_unverified(db, NOW + 86_400).await.unwrap(), 1);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE volunteer_id = $1")
        .bind(unconfirmed)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn the_consents_saved_before_the_register_held_supporters_and_volunteers_are_kept() {
    let test = empty_database().await;
    let db = &test.database;
    let mut before = match awn_storage::testing::backend_under_test() {
        awn_storage::Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        awn_storage::Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    before.migrations =
        before.migrations.iter().filter(|m| m.version < 20261130000005).cloned().collect::<Vec<_>>().into();
    before.run(db.pool()).await.unwrap();

    let staff_id = officer(db).await;
    let keys = db.keys().unwrap();
    let beneficiary: i64 = sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ($1, 'ar', $2) RETURNING id",
    )
    .bind(keys.encrypt_text("beneficiary_accounts.mobile", "+966551119999"))
    .bind(NOW)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let kept: i64 = sqlx::query_scalar(
        "INSERT INTO consents (beneficiary_id, kind, party, granted, method, created_at) \
         VALUES ($1, 'publication', '', 1, 'online', $2) RETURNING id",
    )
    .bind(beneficiary)
    .bind(NOW)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let mut supporters = Vec::new();
    for (consent_news, email) in [(1_i64, Some("a@example.org")), (1, None), (0, Some("c@example.org"))] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO supporters (kind, name, mobile, email, anonymous, consent_news, created_by, created_at) \
             VALUES ('individual', 'داعم', $1, $2, 0, $3, $4, $5) RETURNING id",
        )
        .bind(keys.encrypt_text("supporters.mobile", "+966551110010"))
        .bind(email.map(|e| keys.encrypt_text("supporters.email", e)))
        .bind(consent_news)
        .bind(staff_id)
        .bind(NOW - 100)
        .fetch_one(db.pool())
        .await
        .unwrap();
        supporters.push(id);
    }
    let mut volunteer_ids = Vec::new();
    for news_consent in [1_i64, 0] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO volunteers (full_name, mobile, availability, sms_consent, news_consent, language, \
               verified_at, status, created_at) VALUES ('متطوعة', $1, 'weekends', 1, $2, 'ar', $3, 'pending', $3) \
             RETURNING id",
        )
        .bind(keys.encrypt_text("volunteers.mobile", "+966551110020"))
        .bind(news_consent)
        .bind(NOW - 50)
        .fetch_one(db.pool())
        .await
        .unwrap();
        volunteer_ids.push(id);
    }

    db.migrate().await.unwrap();

    let register = consent::register(db, ConsentHolder::Beneficiary(beneficiary)).await.unwrap();
    assert_eq!(register.len(), 1, "the beneficiaries' register is kept");
    assert_eq!((register[0].kind, register[0].granted, register[0].created_at), (ConsentKind::Publication, true, NOW));
    let id: i64 = sqlx::query_scalar("SELECT id FROM consents WHERE beneficiary_id = $1")
        .bind(beneficiary)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(id, kept, "with its id");

    let kinds = |entries: Vec<consent::ConsentEntry>| -> Vec<(ConsentKind, bool, String, Option<String>, i64)> {
        entries.into_iter().map(|c| (c.kind, c.granted, c.method, c.recorded_by_name, c.created_at)).collect()
    };
    let by = || Some("موظفة العلاقات".to_owned());
    assert_eq!(
        kinds(consent::register(db, ConsentHolder::Supporter(supporters[0])).await.unwrap()),
        [
            (ConsentKind::NewsByEmail, true, "staff".into(), by(), NOW - 100),
            (ConsentKind::NewsBySms, true, "staff".into(), by(), NOW - 100)
        ]
    );
    assert_eq!(
        kinds(consent::register(db, ConsentHolder::Supporter(supporters[1])).await.unwrap()),
        [(ConsentKind::NewsBySms, true, "staff".into(), by(), NOW - 100)]
    );
    assert!(consent::register(db, ConsentHolder::Supporter(supporters[2])).await.unwrap().is_empty());
    assert_eq!(
        kinds(consent::register(db, ConsentHolder::Volunteer(volunteer_ids[0])).await.unwrap()),
        [(ConsentKind::NewsBySms, true, "online".into(), None, NOW - 50)]
    );
    assert!(consent::register(db, ConsentHolder::Volunteer(volunteer_ids[1])).await.unwrap().is_empty());

    // New rows follow the copied ones.
    let staff_change = ConsentChange {
        holder: ConsentHolder::Beneficiary(beneficiary),
        kind: ConsentKind::NewsBySms,
        party: "",
        granted: true,
        method: "online",
        document_id: None,
        recorded_by: None,
    };
    consent::change(db, staff_change, NOW + 1).await.unwrap().unwrap();
    let holders: Vec<_> = consent::news_recipients(db).await.unwrap().into_iter().map(|r| r.holder).collect::<Vec<_>>();
    assert_eq!(
        holders,
        [
            ConsentHolder::Beneficiary(beneficiary),
            ConsentHolder::Supporter(supporters[0]),
            ConsentHolder::Supporter(supporters[1]),
            ConsentHolder::Volunteer(volunteer_ids[0]),
        ]
    );
}
