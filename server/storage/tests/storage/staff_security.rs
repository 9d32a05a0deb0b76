//! Staff sign-in on the open internet (issue 12): attempts counted before the
//! password is checked, throttled per address and per username without
//! letting a stranger keep the owner out; session limits; the step-up; the
//! change of one's own password; TOTP secrets encrypted at rest.

use awn_domain::{
    locale::Language,
    staff::{MAX_FAILED_SIGN_INS, MAX_FAILED_SIGN_INS_PER_USERNAME, StaffRole},
};
use awn_storage::{
    Database,
    accounts::{self, SessionTimes},
    crypto,
    staff::{self, DEFAULT_STAFF_SESSION, NewStaff, PasswordChangeProblem, SignInAttempt, StaffSignIn, StepUp},
    testing::fresh_database,
};

const NOW: i64 = 1_795_000_000;
const PASSWORD: &str = "قمر الرهاة يضيء 2026";
const WRONG: &str = "not the password at all";

async fn create(db: &Database, username: &str, role: StaffRole) -> staff::CreatedStaff {
    let new = NewStaff { username, display_name: &format!("موظف {username}"), role, password: PASSWORD };
    staff::create(db, new, NOW).await.unwrap().expect("created")
}

fn attempt<'a>(
    username: &'a str,
    password: &'a str,
    code: Option<&'a str>,
    client: &'a str,
    now: i64,
) -> SignInAttempt<'a> {
    SignInAttempt {
        username,
        password,
        totp_code: code,
        client,
        previous_session_token: None,
        session: DEFAULT_STAFF_SESSION,
        now,
    }
}

async fn signed_in(db: &Database, username: &str, now: i64) -> String {
    match staff::sign_in_from(db, attempt(username, PASSWORD, None, "198.51.100.1", now)).await.unwrap() {
        StaffSignIn::SignedIn { session_token, .. } => session_token,
        other => panic!("not signed in: {other:?}"),
    }
}

#[tokio::test]
async fn fifty_parallel_wrong_passwords_check_at_most_the_allowed_number() {
    let test = fresh_database().await;
    let db = test.database.clone();
    create(&db, "target", StaffRole::RelationsOfficer).await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            staff::sign_in_from(&db, attempt("target", WRONG, None, "203.0.113.9", NOW)).await.unwrap()
        }));
    }
    let mut checked = 0;
    for task in tasks {
        match task.await.unwrap() {
            StaffSignIn::WrongCredentials => checked += 1,
            StaffSignIn::Throttled { wait_seconds } => assert!(wait_seconds > 0),
            other => panic!("{other:?}"),
        }
    }
    // Each password checked was counted before it was checked: the count is the evidence.
    let (pair, username) = staff::recorded_failures(&db, "target", "203.0.113.9").await.unwrap();
    assert_eq!((pair, username), (checked, checked));
    assert!(checked <= MAX_FAILED_SIGN_INS, "{checked} passwords checked");
    assert_eq!(checked, MAX_FAILED_SIGN_INS, "the free attempts are all used");
}

#[tokio::test]
async fn the_owner_signs_in_from_another_address_while_a_stranger_hammers_the_account() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create(db, "admin", StaffRole::Admin).await;
    let secret = admin.totp_secret.clone().unwrap();
    create(db, "officer", StaffRole::RelationsOfficer).await;

    // One stranger's address: throttled after five.
    for i in 0..20 {
        staff::sign_in_from(db, attempt("admin", WRONG, None, "203.0.113.9", NOW + i)).await.unwrap();
        staff::sign_in_from(db, attempt("officer", WRONG, None, "203.0.113.9", NOW + i)).await.unwrap();
    }
    let code = staff::totp_code_at(&secret, NOW + 30).unwrap();
    let stranger = staff::sign_in_from(db, attempt("admin", PASSWORD, Some(&code), "203.0.113.9", NOW + 30)).await;
    assert!(matches!(stranger.unwrap(), StaffSignIn::Throttled { .. }), "the stranger's address waits");
    // The owner, from their own address, is not kept out.
    let owner =
        staff::sign_in_from(db, attempt("admin", PASSWORD, Some(&code), "198.51.100.7", NOW + 31)).await.unwrap();
    assert!(matches!(owner, StaffSignIn::SignedIn { .. }), "{owner:?}");
    let officer = staff::sign_in_from(db, attempt("officer", PASSWORD, None, "198.51.100.8", NOW + 32)).await.unwrap();
    assert!(matches!(officer, StaffSignIn::SignedIn { .. }), "{officer:?}");

    // A guesser spread over many addresses: the username itself waits...
    let at = NOW + 100;
    for i in 0..MAX_FAILED_SIGN_INS_PER_USERNAME {
        for username in ["admin", "officer"] {
            let client = format!("192.0.2.{i}");
            let answer = staff::sign_in_from(db, attempt(username, WRONG, None, &client, at)).await.unwrap();
            assert_eq!(answer, StaffSignIn::WrongCredentials);
        }
    }
    assert_eq!(staff::recorded_failures(db, "admin", "").await.unwrap().1, MAX_FAILED_SIGN_INS_PER_USERNAME);
    // ...an address that already failed is refused without a check...
    let again = staff::sign_in_from(db, attempt("officer", PASSWORD, None, "192.0.2.1", at + 1)).await.unwrap();
    assert!(matches!(again, StaffSignIn::Throttled { .. }), "{again:?}");
    // ...an admin without the code gains no password check: the same answer as a wrong one...
    let guess = staff::sign_in_from(db, attempt("admin", PASSWORD, None, "192.0.2.200", at + 1)).await.unwrap();
    assert_eq!(guess, StaffSignIn::WrongCredentials, "not even 'the code is needed'");
    // ...but the owner with the right code signs in, and so does an officer from a clean address.
    let code = staff::totp_code_at(&secret, at + 60).unwrap();
    let owner = staff::sign_in_from(db, attempt("admin", PASSWORD, Some(&code), "192.0.2.1", at + 60)).await.unwrap();
    assert!(matches!(owner, StaffSignIn::SignedIn { .. }), "{owner:?}");
    let officer = staff::sign_in_from(db, attempt("officer", PASSWORD, None, "198.51.100.99", at + 61)).await.unwrap();
    assert!(matches!(officer, StaffSignIn::SignedIn { .. }), "{officer:?}");
}

#[tokio::test]
async fn unknown_waiting_and_deactivated_accounts_get_the_same_answers() {
    let test = fresh_database().await;
    let db = &test.database;
    let inactive = create(db, "gone", StaffRole::Volunteer).await;
    create(db, "real", StaffRole::Volunteer).await;
    staff::set_active(db, inactive.id, false).await.unwrap();
    let unknown = staff::sign_in_from(db, attempt("nobody", PASSWORD, None, "a", NOW)).await.unwrap();
    let deactivated = staff::sign_in_from(db, attempt("gone", PASSWORD, None, "a", NOW)).await.unwrap();
    let wrong = staff::sign_in_from(db, attempt("real", WRONG, None, "a", NOW)).await.unwrap();
    assert_eq!(
        (&unknown, &deactivated, &wrong),
        (&StaffSignIn::WrongCredentials, &StaffSignIn::WrongCredentials, &StaffSignIn::WrongCredentials)
    );
    for i in 1..MAX_FAILED_SIGN_INS {
        for username in ["nobody", "gone", "real"] {
            staff::sign_in_from(db, attempt(username, WRONG, None, "a", NOW + i)).await.unwrap();
        }
    }
    let answers: Vec<StaffSignIn> = futures_answers(db, &["nobody", "gone", "real"], NOW + 30).await;
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert!(matches!(answers[0], StaffSignIn::Throttled { .. }));
}

async fn futures_answers(db: &Database, usernames: &[&str], now: i64) -> Vec<StaffSignIn> {
    let mut answers = Vec::new();
    for username in usernames {
        answers.push(staff::sign_in_from(db, attempt(username, PASSWORD, None, "a", now)).await.unwrap());
    }
    answers
}

#[tokio::test]
async fn an_idle_staff_session_ends_after_its_idle_time_and_a_used_one_at_its_lifetime() {
    let test = fresh_database().await;
    let db = &test.database;
    create(db, "sara", StaffRole::RelationsOfficer).await;
    let idle = DEFAULT_STAFF_SESSION.idle_seconds;

    // Used every 25 minutes, it lives on...
    let token = signed_in(db, "sara", NOW).await;
    let mut at = NOW;
    while at + 25 * 60 < NOW + DEFAULT_STAFF_SESSION.lifetime_seconds {
        at += 25 * 60;
        assert!(accounts::session_owner(db, &token, at).await.unwrap().is_some(), "in use at {}", at - NOW);
    }
    // ...but never past its lifetime, however busy.
    let end = NOW + DEFAULT_STAFF_SESSION.lifetime_seconds;
    assert!(accounts::session_owner(db, &token, end).await.unwrap().is_none(), "twelve hours at most");

    // Left unused for its idle time, it ends (and stays ended).
    let token = signed_in(db, "sara", NOW).await;
    assert!(accounts::session_owner(db, &token, NOW + idle - 61).await.unwrap().is_some());
    let later = NOW + idle - 61 + idle;
    assert!(accounts::session_owner(db, &token, later).await.unwrap().is_none(), "idle for 30 minutes");
    assert!(accounts::session_owner(db, &token, later - 120).await.unwrap().is_none(), "gone for good");
}

#[tokio::test]
async fn a_beneficiary_session_ends_after_the_idle_days() {
    let test = fresh_database().await;
    let db = &test.database;
    let mobile = awn_domain::identity::SaudiMobile::parse("0501234567").unwrap();
    let mut code = String::new();
    let accounts::CodeIssue::Issued(challenge) = accounts::issue_sign_in_code(db, &mobile, NOW, 0, |typed| {
        code = typed.to_owned();
        Vec::new()
    })
    .await
    .unwrap() else {
        panic!("refused")
    };
    let days = 24 * 3600;
    let times = SessionTimes::beneficiary(3 * days);
    let accounts::CodeVerification::SignedIn { session_token, .. } = accounts::verify_sign_in_code_for(
        db,
        &challenge.challenge_token,
        &code,
        NOW + 10,
        Language::Arabic,
        None,
        times,
    )
    .await
    .unwrap() else {
        panic!("not signed in")
    };
    assert!(accounts::session_owner(db, &session_token, NOW + 2 * days).await.unwrap().is_some());
    assert!(accounts::session_owner(db, &session_token, NOW + 4 * days).await.unwrap().is_some(), "used two days ago");
    assert!(
        accounts::session_owner(db, &session_token, NOW + 7 * days + 1).await.unwrap().is_none(),
        "unused for three days"
    );
    assert_eq!(SessionTimes::touch_interval(times.idle_seconds), 300);
    assert_eq!(SessionTimes::touch_interval(DEFAULT_STAFF_SESSION.idle_seconds), 60);
}

#[tokio::test]
async fn a_totp_secret_is_stored_encrypted_and_an_old_plain_one_is_sealed_at_start() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create(db, "admin", StaffRole::Admin).await;
    let secret = admin.totp_secret.clone().unwrap();
    let stored: String = sqlx::query_scalar("SELECT totp_secret FROM staff_accounts WHERE id = $1")
        .bind(admin.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(stored.starts_with("enc1:") && !stored.contains(&secret), "{stored}");

    // A row written before encryption (or by a tool without the keys) is sealed.
    sqlx::query("UPDATE staff_accounts SET totp_secret = $1 WHERE id = $2")
        .bind(&secret)
        .bind(admin.id)
        .execute(db.pool())
        .await
        .unwrap();
    assert!(crypto::encrypt_rows(db).await.unwrap() >= 1);
    let sealed: String = sqlx::query_scalar("SELECT totp_secret FROM staff_accounts WHERE id = $1")
        .bind(admin.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(sealed.starts_with("enc1:") && !sealed.contains(&secret), "{sealed}");

    let code = staff::totp_code_at(&secret, NOW).unwrap();
    let signed = staff::sign_in_from(db, attempt("admin", PASSWORD, Some(&code), "a", NOW)).await.unwrap();
    assert!(matches!(signed, StaffSignIn::SignedIn { .. }), "the sealed secret still checks codes: {signed:?}");
}

#[tokio::test]
async fn a_step_up_needs_the_password_and_the_code_and_counts_failures() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create(db, "noura", StaffRole::PrivacyOfficer).await;
    let secret = officer.totp_secret.clone().unwrap();
    assert_eq!(staff::confirm_identity(db, officer.id, WRONG, None, "a", NOW).await.unwrap(), StepUp::Refused);
    assert_eq!(staff::confirm_identity(db, officer.id, PASSWORD, None, "a", NOW).await.unwrap(), StepUp::Refused);
    assert_eq!(staff::recorded_failures(db, "noura", "a").await.unwrap().0, 1, "only the wrong password counts");
    let code = staff::totp_code_at(&secret, NOW).unwrap();
    assert_eq!(
        staff::confirm_identity(db, officer.id, PASSWORD, Some(&code), "a", NOW).await.unwrap(),
        StepUp::Confirmed
    );
    assert_eq!(
        staff::confirm_identity(db, officer.id, PASSWORD, Some(&code), "a", NOW + 1).await.unwrap(),
        StepUp::Refused,
        "a code confirms once"
    );
    for i in 0..MAX_FAILED_SIGN_INS {
        staff::confirm_identity(db, officer.id, WRONG, None, "a", NOW + 2 + i).await.unwrap();
    }
    let code = staff::totp_code_at(&secret, NOW + 60).unwrap();
    let waiting = staff::confirm_identity(db, officer.id, PASSWORD, Some(&code), "a", NOW + 60).await.unwrap();
    assert!(matches!(waiting, StepUp::Throttled { .. }), "{waiting:?}");
}

#[tokio::test]
async fn a_password_change_refuses_a_weak_password_and_ends_the_other_sessions() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create(db, "reem.k", StaffRole::RelationsOfficer).await;
    let here = signed_in(db, "reem.k", NOW).await;
    let elsewhere = signed_in(db, "reem.k", NOW + 1).await;
    let change = |current: &'static str, new: &'static str, at: i64| {
        let here = here.clone();
        async move { staff::change_password(db, officer.id, current, None, new, "a", &here, at).await.unwrap() }
    };
    assert_eq!(change(PASSWORD, "password1234", NOW + 2).await, Err(PasswordChangeProblem::TooGuessable));
    assert_eq!(change(PASSWORD, "qwertyuiop123", NOW + 2).await, Err(PasswordChangeProblem::TooGuessable));
    assert_eq!(
        change(PASSWORD, "short", NOW + 2).await,
        Err(PasswordChangeProblem::Password(awn_domain::staff::PasswordProblem::TooShort))
    );
    assert_eq!(change(WRONG, "sunlit harbour velvet cactus", NOW + 2).await, Err(PasswordChangeProblem::NotConfirmed));
    assert!(accounts::session_owner(db, &elsewhere, NOW + 3).await.unwrap().is_some(), "nothing changed yet");

    assert_eq!(change(PASSWORD, "sunlit harbour velvet cactus", NOW + 4).await, Ok(()));
    assert!(accounts::session_owner(db, &here, NOW + 5).await.unwrap().is_some(), "this session stays");
    assert!(accounts::session_owner(db, &elsewhere, NOW + 5).await.unwrap().is_none(), "the others end");
    let old = staff::sign_in_from(db, attempt("reem.k", PASSWORD, None, "b", NOW + 6)).await.unwrap();
    assert_eq!(old, StaffSignIn::WrongCredentials);
    let new =
        staff::sign_in_from(db, attempt("reem.k", "sunlit harbour velvet cactus", None, "b", NOW + 7)).await.unwrap();
    assert!(matches!(new, StaffSignIn::SignedIn { .. }), "{new:?}");
}

#[test]
fn a_signed_in_outcome_never_shows_its_session_token_in_debug_output() {
    let account = awn_storage::staff::StaffAccount {
        id: 7,
        username: "sara".into(),
        display_name: "سارة".into(),
        role: awn_domain::staff::StaffRole::Admin,
        active: true,
        totp_enrolled: true,
    };
    let staff = format!("{:?}", StaffSignIn::SignedIn { account, session_token: "tok-secret-123".into() });
    assert!(!staff.contains("tok-secret-123") && staff.contains("[redacted]"), "{staff}");
    let mobile = awn_domain::identity::SaudiMobile::from_e164("+966501234567").expect("a mobile");
    let account =
        awn_storage::accounts::BeneficiaryAccount { id: 1, mobile, language: awn_domain::locale::Language::Arabic };
    let beneficiary = format!(
        "{:?}",
        awn_storage::accounts::CodeVerification::SignedIn { account, session_token: "tok-secret-456".into() }
    );
    assert!(!beneficiary.contains("tok-secret-456") && beneficiary.contains("[redacted]"), "{beneficiary}");
}
