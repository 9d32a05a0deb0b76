//! The staff workspace: staff accounts and their sign-in, the privacy policy's
//! acceptance, intake by other channels, the queue, the workflow's steps and the
//! audit log. Every test runs on a fresh database of the engine under test.

use awn_domain::{
    calendar::UnixTime,
    ids::{RequestId, StaffId},
};
use awn_domain::{
    calendar::{CalendarDay, DualDate},
    channels::Channel,
    locale::Language,
    requests::{RequestDraft, RequestStatus, TransitionError, ValidRequest, WizardStep, validate_request},
    staff::{FIRST_WAIT_SECONDS, MAX_FAILED_SIGN_INS, PasswordProblem, StaffRole},
    workflow::{
        ChecklistItem, Decision, DecisionKind, Recommendation, ResearchStudy, ServiceDelivery, StudyMethod,
        VerificationChecklist, VerificationOutcome, verification_outcome,
    },
};
use awn_storage::{
    Database, PageRequest, StorageError,
    accounts::{self, SESSION_LIFETIME_SECONDS},
    audit::{self, AuditAction, AuditEntry},
    casework::{self, QueueFilter},
    demo,
    outbox::{self, NewOutboxMessage},
    requests::{self, NewRequest, NoticeRecipient, Submission},
    staff::{self, NewStaff, StaffProblem, StaffSignIn},
    testing::fresh_database,
};

const NOW: i64 = 1_795_000_000;
const PASSWORD: &str = "قمر الرهاة يضيء 2026";

fn sms(recipient: &str, body: String, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: outbox::Channel::Sms,
        recipient: recipient.into(),
        subject: String::new(),
        body,
        purpose: purpose.into(),
    }
}

fn notice(to: &NoticeRecipient) -> Vec<NewOutboxMessage> {
    vec![sms(&to.mobile, format!("update {}", to.reference), "status_changed")]
}

fn receipt(reference: &str, _due: i64) -> Vec<NewOutboxMessage> {
    vec![sms("+966500000000", format!("received {reference}"), "request_submitted")]
}

async fn notices(db: &Database) -> usize {
    outbox::recent(db, 1000).await.unwrap().iter().filter(|m| m.purpose == "status_changed").count()
}

async fn create_staff(db: &Database, username: &str, role: StaffRole) -> staff::CreatedStaff {
    let new = NewStaff { username, display_name: &format!("موظف {username}"), role, password: PASSWORD };
    staff::create(db, new, NOW).await.unwrap().expect("created")
}

/// Failures on record for a username (from the unnamed address of `staff::sign_in`).
async fn failed_sign_ins(db: &Database, username: &str) -> i64 {
    staff::recorded_failures(db, username, "").await.unwrap().0
}

fn valid_request(name: &str, national_id: &str, mobile: &str, kind: &str) -> ValidRequest {
    let draft = RequestDraft {
        step: WizardStep::Declaration,
        full_name: name.into(),
        national_id: national_id.into(),
        birth_date: "1985-03-14".into(),
        mobile: mobile.into(),
        city: "الرهاة".into(),
        district: "الشمال".into(),
        household_members: "5".into(),
        monthly_income: "3500".into(),
        housing: "rented".into(),
        support_kind: kind.into(),
        description: "الإيجار متأخر ثلاثة أشهر".into(),
        declaration_accepted: true,
        signature: name.into(),
        consent_sms: true,
        ..RequestDraft::default()
    };
    let kinds = vec!["rent".to_string(), "food_basket".to_string()];
    validate_request(&draft, CalendarDay { year: 2026, month: 11, day: 25 }, &kinds).expect("a valid request")
}

/// A request submitted online (the website channel) by a new beneficiary account.
async fn submit_online(db: &Database, request: &ValidRequest, now: i64) -> i64 {
    let beneficiary: i64 = sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ($1, 'ar', $2) RETURNING id",
    )
    .bind(request.mobile.as_e164())
    .bind(now)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let new = NewRequest {
        beneficiary_id: beneficiary,
        request,
        declaration_version: "1.0",
        language: Language::Arabic,
        now,
        channel: Channel::Website,
        actor: requests::ACTOR_BENEFICIARY,
    };
    match requests::submit(db, new, receipt).await.unwrap() {
        Submission::Submitted { id, .. } => id,
        other => panic!("not submitted: {other:?}"),
    }
}

async fn intake(db: &Database, staff_id: i64, channel: Channel, request: &ValidRequest, now: i64) -> Submission {
    casework::record_intake(db, staff_id, channel, request, Language::Arabic, now, receipt).await.unwrap()
}

async fn status(db: &Database, request_id: i64) -> RequestStatus {
    casework::case_file(db, RequestId::new(request_id)).await.unwrap().expect("a case").status
}

// ---------------------------------------------------------------------------
// Accounts and sign-in
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_staff_password_is_stored_as_argon2id_and_signs_in() {
    let test = fresh_database().await;
    let db = &test.database;
    let created = staff::create(
        db,
        NewStaff {
            username: "  Sara.Officer ",
            display_name: " سارة  العمري ",
            role: StaffRole::RelationsOfficer,
            password: PASSWORD,
        },
        NOW,
    )
    .await
    .unwrap()
    .expect("created");
    assert_eq!((created.totp_secret, created.otpauth_uri), (None, None), "no second factor for this role");

    let stored: String = sqlx::query_scalar("SELECT password_hash FROM staff_accounts WHERE id = $1")
        .bind(created.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
    assert!(!stored.contains(PASSWORD) && !stored.contains("2026"), "never the password itself");

    let account = staff::by_id(db, created.id).await.unwrap().expect("an account");
    assert_eq!(account.username, "sara.officer");
    assert_eq!(account.display_name, "سارة العمري");
    assert_eq!((account.role, account.active, account.totp_enrolled), (StaffRole::RelationsOfficer, true, false));
    assert_eq!(staff::count(db).await.unwrap(), 1);

    let signed = staff::sign_in(db, "SARA.officer", PASSWORD, None, None, NOW + 10).await.unwrap();
    let StaffSignIn::SignedIn { account: signed_in, session_token } = signed else {
        panic!("not signed in: {signed:?}")
    };
    assert_eq!(signed_in, account);
    let owner = accounts::session_owner(db, &session_token, NOW + 20).await.unwrap().expect("a live session");
    assert_eq!((owner.account_kind.as_str(), owner.account_id), (staff::STAFF, created.id));
    assert!(
        accounts::session_beneficiary(db, &session_token, NOW + 20).await.unwrap().is_none(),
        "a staff session is no beneficiary's"
    );
    let after = NOW + 10 + SESSION_LIFETIME_SECONDS + 1;
    assert!(
        accounts::session_owner(db, &session_token, after).await.unwrap().is_none(),
        "same lifetime as beneficiaries"
    );

    assert_eq!(
        staff::sign_in(db, "sara.officer", "not the password", None, None, NOW).await.unwrap(),
        StaffSignIn::WrongCredentials
    );
    assert_eq!(staff::sign_in(db, "nobody", PASSWORD, None, None, NOW).await.unwrap(), StaffSignIn::WrongCredentials);
}

#[tokio::test]
async fn a_new_account_is_refused_for_each_kind_of_problem() {
    let test = fresh_database().await;
    let db = &test.database;
    let new =
        |username, display_name, password| NewStaff { username, display_name, role: StaffRole::Volunteer, password };
    create_staff(db, "reem", StaffRole::Volunteer).await;
    let problem = |result: Result<staff::CreatedStaff, StaffProblem>| result.expect_err("refused");
    assert_eq!(
        problem(staff::create(db, new(" REEM ", "ريم", PASSWORD), NOW).await.unwrap()),
        StaffProblem::UsernameTaken
    );
    assert_eq!(
        problem(staff::create(db, new("re em", "ريم", PASSWORD), NOW).await.unwrap()),
        StaffProblem::UsernameInvalid
    );
    assert_eq!(
        problem(staff::create(db, new("fahad", "\u{200F} ", PASSWORD), NOW).await.unwrap()),
        StaffProblem::DisplayNameRequired
    );
    assert_eq!(
        problem(staff::create(db, new("fahad", "فهد", "short one"), NOW).await.unwrap()),
        StaffProblem::Password(PasswordProblem::TooShort)
    );
    assert_eq!(
        problem(staff::create(db, new("fahad", "فهد", "my fahad password"), NOW).await.unwrap()),
        StaffProblem::Password(PasswordProblem::ContainsUsername)
    );
    assert_eq!(staff::count(db).await.unwrap(), 1);
}

#[tokio::test]
async fn five_wrong_passwords_make_the_next_attempt_wait_and_the_wait_grows() {
    let test = fresh_database().await;
    let db = &test.database;
    create_staff(db, "khalid", StaffRole::SocialResearcher).await;
    for attempt in 0..MAX_FAILED_SIGN_INS {
        let result = staff::sign_in(db, "khalid", "wrong password!!", None, None, NOW + attempt).await.unwrap();
        assert_eq!(result, StaffSignIn::WrongCredentials, "attempt {attempt}");
    }
    assert_eq!(failed_sign_ins(db, "khalid").await, 5);
    let last_failure = NOW + 4;

    // Waiting: even the right password is not checked, and the refusals do not count.
    let waiting = staff::sign_in(db, "khalid", PASSWORD, None, None, last_failure + 10).await.unwrap();
    assert_eq!(waiting, StaffSignIn::Throttled { wait_seconds: FIRST_WAIT_SECONDS - 10 });
    assert_eq!(failed_sign_ins(db, "khalid").await, 5);
    // An unknown username is answered the same way after the same failures.
    for attempt in 0..MAX_FAILED_SIGN_INS {
        let result = staff::sign_in(db, "nobody.here", "wrong password!!", None, None, NOW + attempt).await.unwrap();
        assert_eq!(result, StaffSignIn::WrongCredentials, "attempt {attempt}");
    }
    let unknown = staff::sign_in(db, "nobody.here", PASSWORD, None, None, last_failure + 10).await.unwrap();
    assert_eq!(unknown, waiting, "a real username is not told apart from an unknown one");

    // After the wait one more try; a wrong one doubles the wait.
    let at = last_failure + FIRST_WAIT_SECONDS;
    assert_eq!(
        staff::sign_in(db, "khalid", "wrong password!!", None, None, at).await.unwrap(),
        StaffSignIn::WrongCredentials
    );
    let doubled = staff::sign_in(db, "khalid", PASSWORD, None, None, at + 1).await.unwrap();
    assert_eq!(doubled, StaffSignIn::Throttled { wait_seconds: 2 * FIRST_WAIT_SECONDS - 1 });

    // Once the wait is over the right password works and the count starts again.
    let after = staff::sign_in(db, "khalid", PASSWORD, None, None, at + 2 * FIRST_WAIT_SECONDS).await.unwrap();
    assert!(matches!(after, StaffSignIn::SignedIn { .. }), "{after:?}");
    assert_eq!(failed_sign_ins(db, "khalid").await, 0);
}

#[tokio::test]
async fn an_admin_needs_a_totp_code_and_a_wrong_one_counts() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let secret = admin.totp_secret.clone().expect("a TOTP secret for an admin");
    let uri = admin.otpauth_uri.clone().expect("an otpauth URI");
    assert!(uri.starts_with("otpauth://totp/Awn:admin?"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")) && uri.contains("issuer=Awn"), "{uri}");
    assert!(staff::by_id(db, admin.id).await.unwrap().unwrap().totp_enrolled);

    let missing = staff::sign_in(db, "admin", PASSWORD, None, None, NOW).await.unwrap();
    assert_eq!(missing, StaffSignIn::SecondFactorNeeded);
    let blank = staff::sign_in(db, "admin", PASSWORD, Some("  "), None, NOW).await.unwrap();
    assert_eq!(blank, StaffSignIn::SecondFactorNeeded);
    assert_eq!(failed_sign_ins(db, "admin").await, 0, "asking for the code is not a failure");
    // A wrong password never reaches the question of the code.
    assert_eq!(
        staff::sign_in(db, "admin", "wrong password!!", None, None, NOW).await.unwrap(),
        StaffSignIn::WrongCredentials
    );
    assert_eq!(failed_sign_ins(db, "admin").await, 1);

    let code = staff::totp_code_at(&secret, NOW).expect("a code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = staff::sign_in(db, "admin", PASSWORD, Some(wrong), None, NOW).await.unwrap();
    assert_eq!(refused, StaffSignIn::WrongCredentials);
    assert_eq!(failed_sign_ins(db, "admin").await, 2, "a wrong code counts");

    // Typed on an Arabic keyboard, a step late.
    let arabic: String = code.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
    let signed = staff::sign_in(db, "admin", PASSWORD, Some(&arabic), None, NOW + 30).await.unwrap();
    assert!(matches!(signed, StaffSignIn::SignedIn { .. }), "{signed:?}");
    assert_eq!(failed_sign_ins(db, "admin").await, 0);

    // The same code cannot be used twice.
    let replayed = staff::sign_in(db, "admin", PASSWORD, Some(&code), None, NOW + 31).await.unwrap();
    assert_eq!(replayed, StaffSignIn::WrongCredentials);
    let next = staff::totp_code_at(&secret, NOW + 90).unwrap();
    assert!(matches!(
        staff::sign_in(db, "admin", PASSWORD, Some(&next), None, NOW + 90).await.unwrap(),
        StaffSignIn::SignedIn { .. }
    ));
}

#[tokio::test]
async fn signing_in_rotates_the_session() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create_staff(db, "noura", StaffRole::RelationsOfficer).await;
    let StaffSignIn::SignedIn { session_token: first, .. } =
        staff::sign_in(db, "noura", PASSWORD, None, None, NOW).await.unwrap()
    else {
        panic!("not signed in")
    };
    let StaffSignIn::SignedIn { session_token: second, .. } =
        staff::sign_in(db, "noura", PASSWORD, None, Some(&first), NOW + 60).await.unwrap()
    else {
        panic!("not signed in")
    };
    assert_ne!(first, second);
    assert!(accounts::session_owner(db, &first, NOW + 61).await.unwrap().is_none(), "the old token ends");
    let owner = accounts::session_owner(db, &second, NOW + 61).await.unwrap().expect("the new one works");
    assert_eq!(owner.account_id, officer.id);
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_and_its_sessions_end() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create_staff(db, "majed", StaffRole::ServiceOfficer).await;
    let other = create_staff(db, "huda", StaffRole::ServiceOfficer).await;
    let mut tokens = Vec::new();
    for (username, at) in [("majed", NOW), ("majed", NOW + 1), ("huda", NOW + 2)] {
        let StaffSignIn::SignedIn { session_token, .. } =
            staff::sign_in(db, username, PASSWORD, None, None, at).await.unwrap()
        else {
            panic!("not signed in")
        };
        tokens.push(session_token);
    }

    staff::set_active(db, officer.id, false).await.unwrap();
    assert!(accounts::session_owner(db, &tokens[0], NOW + 5).await.unwrap().is_none());
    assert!(accounts::session_owner(db, &tokens[1], NOW + 5).await.unwrap().is_none());
    assert!(accounts::session_owner(db, &tokens[2], NOW + 5).await.unwrap().is_some(), "others keep theirs");
    // The right password of a deactivated account gets the answer of a wrong one.
    assert_eq!(
        staff::sign_in(db, "majed", PASSWORD, None, None, NOW + 10).await.unwrap(),
        StaffSignIn::WrongCredentials
    );
    assert_eq!(
        staff::sign_in(db, "majed", "wrong password!!", None, None, NOW + 10).await.unwrap(),
        StaffSignIn::WrongCredentials
    );
    let listed = staff::list(db).await.unwrap();
    assert_eq!(listed.iter().map(|a| (a.id, a.active)).collect::<Vec<_>>(), [(other.id, true), (officer.id, false)]);

    staff::set_active(db, officer.id, true).await.unwrap();
    assert!(matches!(
        staff::sign_in(db, "majed", PASSWORD, None, None, NOW + 20).await.unwrap(),
        StaffSignIn::SignedIn { .. }
    ));
    assert!(matches!(staff::set_active(db, 9999, false).await, Err(StorageError::NotFound(_))));
}

#[tokio::test]
async fn the_privacy_policy_is_accepted_per_account_and_version() {
    let test = fresh_database().await;
    let db = &test.database;
    let researcher = create_staff(db, "salem", StaffRole::SocialResearcher).await;
    let other = create_staff(db, "amal", StaffRole::CommitteeMember).await;
    assert!(!staff::has_accepted(db, researcher.id, "1.0").await.unwrap());
    staff::accept_policy(db, researcher.id, "1.0", NOW).await.unwrap();
    staff::accept_policy(db, researcher.id, "1.0", NOW + 5).await.unwrap();
    assert!(staff::has_accepted(db, researcher.id, "1.0").await.unwrap());
    assert!(!staff::has_accepted(db, researcher.id, "1.1").await.unwrap(), "a new version must be accepted again");
    assert!(!staff::has_accepted(db, other.id, "1.0").await.unwrap());
    let accepted_at: i64 = sqlx::query_scalar("SELECT accepted_at FROM staff_policy_acceptances WHERE staff_id = $1")
        .bind(researcher.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(accepted_at, NOW, "the first acceptance is kept");
}

// ---------------------------------------------------------------------------
// Intake and the queue
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_intake_by_phone_creates_the_beneficiary_account_and_records_the_channel() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let volunteer = create_staff(db, "volunteer", StaffRole::Volunteer).await;
    let request = valid_request("أسامة محمد الغامدي", "1000000008", "0551234567", "rent");

    let Submission::Submitted { id, reference, decision_due_at } =
        intake(db, volunteer.id, Channel::Phone, &request, NOW).await
    else {
        panic!("not submitted")
    };
    assert_eq!(decision_due_at, crate::end_of_saudi_day(NOW + 14 * 86_400));
    let beneficiary = awn_storage::accounts::beneficiary_by_mobile(db, "+966551234567")
        .await
        .unwrap()
        .expect("an account for the caller's number");

    let case = casework::case_file(db, RequestId::new(id)).await.unwrap().expect("the case");
    assert_eq!(
        (case.channel, case.beneficiary_id.get(), case.intake_staff_id.map(|s| s.get())),
        (Channel::Phone, beneficiary, Some(volunteer.id))
    );
    assert_eq!((case.status, case.declaration_version.as_str()), (RequestStatus::Submitted, "1.0"));
    assert_eq!((case.reference.as_str(), case.support_kind_code.as_str()), (reference.as_str(), "rent"));
    assert_eq!(case.support_kind_name(Language::English), "Help with rent");
    let stored_channel: String = sqlx::query_scalar("SELECT channel FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(stored_channel, "phone");
    let actor: String = sqlx::query_scalar("SELECT actor FROM request_events WHERE request_id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(actor, format!("staff:{}", volunteer.id));
    let queued = outbox::recent(db, 10).await.unwrap();
    assert_eq!(queued[0].body, format!("received {reference}"), "the same receipt as online");
    let audited = audit::search(db, Some(volunteer.id), None, 10).await.unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(
        (audited[0].action.as_str(), audited[0].request_id, audited[0].beneficiary_id),
        (AuditAction::RequestIntake.code(), Some(id), Some(beneficiary))
    );

    // The same person again: the same account; the same kind while open: refused as online.
    assert_eq!(
        intake(db, volunteer.id, Channel::Interview, &request, NOW + 60).await,
        Submission::DuplicateOpen { id, reference }
    );
    let food = valid_request("أسامة محمد الغامدي", "1000000008", "0551234567", "food_basket");
    let Submission::Submitted { id: second, .. } = intake(db, volunteer.id, Channel::Letter, &food, NOW + 120).await
    else {
        panic!("not submitted")
    };
    let overview = casework::beneficiary_overview(db, beneficiary).await.unwrap().expect("an overview");
    assert_eq!(overview.mobile, "+966551234567");
    assert_eq!(
        overview.requests.iter().map(|r| (r.id, r.channel)).collect::<Vec<_>>(),
        [(second, Channel::Letter), (id, Channel::Phone)]
    );
    assert_eq!(overview.document_count, 0);
    assert!(casework::beneficiary_overview(db, 9999).await.unwrap().is_none());
}

#[tokio::test]
async fn the_queue_filters_by_status_channel_kind_assignee_overdue_and_arabic_search() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await;
    let twenty_days_ago = NOW - 20 * 86_400;
    // Online three weeks ago: overdue now.
    let ahmad =
        submit_online(db, &valid_request("أحمد علي الزهراني", "1000000008", "0501111111", "rent"), twenty_days_ago)
            .await;
    // By phone today.
    let Submission::Submitted { id: sara, .. } = intake(
        db,
        officer.id,
        Channel::Phone,
        &valid_request("سارة محمد القحطاني", "1000000016", "0502222222", "food_basket"),
        NOW - 3600,
    )
    .await
    else {
        panic!("not submitted")
    };
    // Online three weeks ago too, but closed since: not overdue.
    let closed =
        submit_online(db, &valid_request("خالد سعد الشهري", "1000000024", "0503333333", "rent"), twenty_days_ago - 60)
            .await;
    casework::close(
        db,
        RequestId::new(closed),
        StaffId::new(officer.id),
        "سحب الطلب",
        UnixTime::from_seconds(NOW - 100),
        notice,
    )
    .await
    .unwrap()
    .unwrap();

    let ids = |items: Vec<casework::QueueItem>| items.into_iter().map(|item| item.id.get()).collect::<Vec<_>>();
    let all = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(1, 50)).await.unwrap().items;
    assert_eq!(ids(all.clone()), [ahmad, sara, closed], "open ones first, the oldest due first");
    assert!(all[0].overdue && !all[1].overdue && !all[2].overdue);
    assert_eq!((all[1].channel, all[1].support_kind_code.as_str()), (Channel::Phone, "food_basket"));
    assert_eq!(all[1].support_kind_name(Language::Arabic), "سلة غذائية");
    let first = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(1, 1)).await.unwrap();
    assert_eq!((ids(first.items), first.total), (vec![ahmad], 3), "a page, with the total");
    let last = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(9, 2)).await.unwrap();
    assert_eq!((ids(last.items), last.page), (vec![closed], 2), "past the end: the last page");
    // Every name holds "ال".
    let searched = QueueFilter { search: "ال".into(), ..QueueFilter::default() };
    let second = casework::queue(db, &searched, NOW, PageRequest::new(2, 2)).await.unwrap();
    assert_eq!((ids(second.items), second.total), (vec![closed], 3), "a search is paged after matching");

    let filtered = |filter: QueueFilter| async move {
        ids(casework::queue(db, &filter, NOW, PageRequest::new(1, 50)).await.unwrap().items)
    };
    assert_eq!(
        filtered(QueueFilter { status: Some(RequestStatus::Submitted), ..QueueFilter::default() }).await,
        [ahmad, sara]
    );
    assert_eq!(filtered(QueueFilter { status: Some(RequestStatus::Closed), ..QueueFilter::default() }).await, [closed]);
    assert_eq!(filtered(QueueFilter { channel: Some(Channel::Phone), ..QueueFilter::default() }).await, [sara]);
    assert_eq!(
        filtered(QueueFilter { channel: Some(Channel::Website), ..QueueFilter::default() }).await,
        [ahmad, closed]
    );
    assert_eq!(
        filtered(QueueFilter { support_kind: Some("rent".into()), ..QueueFilter::default() }).await,
        [ahmad, closed]
    );
    assert_eq!(filtered(QueueFilter { overdue_only: true, ..QueueFilter::default() }).await, [ahmad]);
    assert_eq!(casework::overdue_count(db, NOW).await.unwrap(), 1);
    assert_eq!(casework::overdue_count(db, twenty_days_ago).await.unwrap(), 0);

    // Typed without hamza, with ta marbuta as ha, or an ID in Arabic-Indic digits.
    assert_eq!(filtered(QueueFilter { search: "احمد".into(), ..QueueFilter::default() }).await, [ahmad]);
    assert_eq!(filtered(QueueFilter { search: "ساره القحطاني".into(), ..QueueFilter::default() }).await, [sara]);
    assert_eq!(filtered(QueueFilter { search: "١٠٠٠٠٠٠٠١٦".into(), ..QueueFilter::default() }).await, [sara]);
    assert!(
        filtered(QueueFilter { search: "احمد".into(), channel: Some(Channel::Phone), ..QueueFilter::default() })
            .await
            .is_empty()
    );
    assert!(filtered(QueueFilter { search: "فاطمة".into(), ..QueueFilter::default() }).await.is_empty());
    // The reference, in any digits; part of an ID finds nothing (it is encrypted);
    // the pattern's wildcards are looked for as characters.
    let reference = casework::queue(db, &QueueFilter::default(), NOW, PageRequest::new(1, 50)).await.unwrap().items[1]
        .reference
        .clone();
    assert_eq!(filtered(QueueFilter { search: reference.to_lowercase(), ..QueueFilter::default() }).await, [sara]);
    assert!(filtered(QueueFilter { search: "100000001".into(), ..QueueFilter::default() }).await.is_empty());
    assert!(filtered(QueueFilter { search: "%".into(), ..QueueFilter::default() }).await.is_empty());
    assert!(filtered(QueueFilter { search: "ال_".into(), ..QueueFilter::default() }).await.is_empty());

    casework::assign(
        db,
        RequestId::new(sara),
        Some(StaffId::new(officer.id)),
        StaffId::new(officer.id),
        UnixTime::from_seconds(NOW),
    )
    .await
    .unwrap();
    let mine = casework::queue(
        db,
        &QueueFilter { assignee_id: Some(StaffId::new(officer.id)), ..QueueFilter::default() },
        NOW,
        PageRequest::new(1, 50),
    )
    .await
    .unwrap()
    .items;
    assert_eq!(ids(mine.clone()), [sara]);
    assert_eq!(mine[0].assignee_name.as_deref(), Some("موظف officer"));
    assert!(matches!(
        casework::assign(
            db,
            RequestId::new(sara),
            Some(StaffId::new(9999)),
            StaffId::new(officer.id),
            UnixTime::from_seconds(NOW)
        )
        .await,
        Err(StorageError::NotFound(_))
    ));
}

// ---------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_request_goes_all_the_way_from_submission_to_closing() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await.id;
    let researcher = create_staff(db, "researcher", StaffRole::SocialResearcher).await.id;
    let committee = create_staff(db, "committee", StaffRole::CommitteeMember).await.id;
    let service = create_staff(db, "service", StaffRole::ServiceOfficer).await.id;
    let request = valid_request("أسامة محمد الغامدي", "1000000008", "0501234567", "rent");
    let id = submit_online(db, &request, NOW).await;
    let mut at = NOW;
    let mut step = || {
        at += 3600;
        at
    };

    casework::start_verification(db, RequestId::new(id), StaffId::new(officer), UnixTime::from_seconds(step()), notice)
        .await
        .unwrap()
        .unwrap();
    let checklist = VerificationChecklist {
        items_provided: true,
        data_matches_documents: true,
        documents_valid_on_submission: true,
        note: "الهوية سارية".into(),
    };
    let verified = verification_outcome(&checklist, "").expect("verified");
    // Verified needs a referral note.
    let unreferred = casework::record_verification(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        &verified,
        None,
        UnixTime::from_seconds(step()),
        notice,
    )
    .await
    .unwrap();
    assert_eq!(unreferred, Err(TransitionError::ReasonRequired));
    let referral = Some(("يحتاج دراسة ميدانية", Some(researcher)));
    casework::record_verification(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        &verified,
        referral,
        UnixTime::from_seconds(step()),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let study = ResearchStudy {
        method: StudyMethod::FieldVisit,
        findings: "الأسرة مكونة من خمسة أفراد والمنزل مستأجر".into(),
        recommendation: Recommendation::Accept,
        message: None,
    };
    casework::record_study(
        db,
        RequestId::new(id),
        StaffId::new(researcher),
        &study,
        UnixTime::from_seconds(step()),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let accepted = Decision::Accepted { support: "إيجار ثلاثة أشهر".into() };
    let decided_at = step();
    casework::record_decision(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        &accepted,
        UnixTime::from_seconds(decided_at),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let registered_at = step();
    let file_number = casework::complete_registration(
        db,
        RequestId::new(id),
        StaffId::new(service),
        UnixTime::from_seconds(registered_at),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let year = DualDate::from_unix_seconds(registered_at).gregorian.year;
    assert_eq!(file_number, format!("BEN-{year}-{id:06}"));
    let delivered_on = DualDate::from_unix_seconds(registered_at).gregorian;
    let first =
        ServiceDelivery { what: "دفعة إيجار".into(), quantity: 1500, unit: "ريال".into(), delivered_on };
    casework::record_service(
        db,
        RequestId::new(id),
        StaffId::new(service),
        &first,
        UnixTime::from_seconds(step()),
        notice,
        |_, _| Vec::new(),
    )
    .await
    .unwrap()
    .unwrap();
    let second =
        ServiceDelivery { what: "دفعة إيجار".into(), quantity: 1500, unit: "ريال".into(), delivered_on };
    casework::record_service(
        db,
        RequestId::new(id),
        StaffId::new(service),
        &second,
        UnixTime::from_seconds(step()),
        notice,
        |_, _| Vec::new(),
    )
    .await
    .unwrap()
    .unwrap();
    casework::close(
        db,
        RequestId::new(id),
        StaffId::new(service),
        "اكتملت الخدمة",
        UnixTime::from_seconds(step()),
        notice,
    )
    .await
    .unwrap()
    .unwrap();

    let case = casework::case_file(db, RequestId::new(id)).await.unwrap().expect("the case");
    use RequestStatus::*;
    let states: Vec<_> = case.timeline.iter().map(|e| e.status).collect();
    assert_eq!(
        states,
        [
            Submitted,
            UnderVerification,
            ReferredToResearch,
            WithCommittee,
            Accepted,
            RegistrationCompleted,
            ServiceDelivered,
            Closed
        ],
        "a second service changes no state"
    );
    assert_eq!(case.timeline.last().unwrap().reason, "اكتملت الخدمة");
    assert_eq!(notices(db).await, 8, "one notice per change, the second service included, none for the refusal");
    assert_eq!(case.status, Closed);
    assert_eq!(case.file_number.as_deref(), Some(file_number.as_str()));
    assert_eq!(
        (case.registered_at, case.decided_at, case.decided_by),
        (Some(registered_at), Some(decided_at), Some(StaffId::new(committee)))
    );
    assert_eq!(case.support_granted.as_deref(), Some("إيجار ثلاثة أشهر"));
    assert_eq!(
        (case.assignee_id, case.assignee_name.as_deref()),
        (Some(StaffId::new(researcher)), Some("موظف researcher")),
        "referred to the researcher"
    );
    assert_eq!(case.verifications.len(), 1);
    assert!(case.verifications[0].verified && case.verifications[0].documents_valid_on_submission);
    assert_eq!((case.verifications[0].note.as_str(), case.verifications[0].staff_id), ("الهوية سارية", officer));
    assert_eq!(case.referrals.len(), 1);
    assert_eq!(
        (case.referrals[0].researcher_id, case.referrals[0].note.as_str()),
        (Some(researcher), "يحتاج دراسة ميدانية")
    );
    assert_eq!(case.studies.len(), 1);
    assert_eq!(
        (case.studies[0].method, case.studies[0].recommendation, case.studies[0].staff_id),
        (StudyMethod::FieldVisit, Recommendation::Accept, researcher)
    );
    assert_eq!(case.decisions.len(), 1);
    assert_eq!(
        (case.decisions[0].decision, case.decisions[0].support_granted.as_deref()),
        (DecisionKind::Accept, Some("إيجار ثلاثة أشهر"))
    );
    assert_eq!(case.services.len(), 2);
    assert_eq!(
        (case.services[0].quantity, case.services[0].unit.as_str(), case.services[0].delivered_on),
        (1500, "ريال", delivered_on)
    );
    assert_eq!((case.services[0].staff_id, case.services[0].staff_name.as_str()), (service, "موظف service"));
    assert!(case.document_requests.is_empty());

    // Every move is in the audit log, by whom, about whom.
    let entries = audit::search(db, None, Some(case.beneficiary_id.get()), 50).await.unwrap();
    let actions: Vec<_> = entries.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            AuditAction::RequestStartVerification.code(),
            AuditAction::RequestVerify.code(),
            AuditAction::RequestStudy.code(),
            AuditAction::RequestDecide.code(),
            AuditAction::RequestRegister.code(),
            AuditAction::RequestService.code(),
            AuditAction::RequestService.code(),
            AuditAction::RequestClose.code()
        ]
    );
    assert!(entries.iter().all(|e| e.request_id == Some(id)));
    assert_eq!(entries[0].reason, "service_delivered->closed");
    assert_eq!((entries[0].staff_id, entries[0].staff_username.as_str()), (service, "service"));
    let by_committee = audit::search(db, Some(committee), None, 50).await.unwrap();
    assert_eq!(by_committee.len(), 1);
    assert_eq!(by_committee[0].reason, "with_committee->accepted");

    let overview = casework::beneficiary_overview(db, case.beneficiary_id.get()).await.unwrap().unwrap();
    assert_eq!(overview.services.len(), 2);
    assert_eq!(overview.requests[0].file_number.as_deref(), Some(file_number.as_str()));
}

#[tokio::test]
async fn missing_information_is_asked_of_the_beneficiary_and_verification_resumes() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await.id;
    let id = submit_online(db, &valid_request("أسامة محمد الغامدي", "1000000008", "0501234567", "rent"), NOW).await;
    casework::start_verification(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        UnixTime::from_seconds(NOW + 1),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let checklist = VerificationChecklist {
        items_provided: true,
        data_matches_documents: true,
        ..VerificationChecklist::default()
    };
    let missing = verification_outcome(&checklist, "صورة الهوية منتهية، نرجو إرفاق صورة سارية").expect("an outcome");
    assert!(
        matches!(&missing, VerificationOutcome::MissingInformation { unticked, .. } if unticked == &[ChecklistItem::DocumentsValidOnSubmission])
    );
    casework::record_verification(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        &missing,
        None,
        UnixTime::from_seconds(NOW + 2),
        notice,
    )
    .await
    .unwrap()
    .unwrap();

    let case = casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap();
    assert_eq!(case.status, RequestStatus::MissingInformation);
    assert_eq!(case.timeline.last().unwrap().reason, "صورة الهوية منتهية، نرجو إرفاق صورة سارية");
    assert_eq!(case.document_requests.len(), 1);
    assert_eq!(case.document_requests[0].description, "صورة الهوية منتهية، نرجو إرفاق صورة سارية");
    let verification = &case.verifications[0];
    assert!(!verification.verified && verification.items_provided && !verification.documents_valid_on_submission);
    assert!(case.referrals.is_empty());
    // The beneficiary sees what is asked of them.
    let own = requests::file_for_beneficiary(db, case.beneficiary_id.get(), id).await.unwrap().unwrap();
    assert_eq!(own.document_requests.len(), 1);

    casework::start_verification(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        UnixTime::from_seconds(NOW + 3),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(status(db, id).await, RequestStatus::UnderVerification);
    assert_eq!(notices(db).await, 3);

    // A staff message: in the conversation, with its notice and audit entry.
    casework::staff_message(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        "  تم استلام الصورة  ",
        UnixTime::from_seconds(NOW + 4),
        notice,
    )
    .await
    .unwrap();
    let case = casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap();
    assert_eq!(case.messages.len(), 1);
    assert_eq!(
        (case.messages[0].author.clone(), case.messages[0].body.as_str()),
        (format!("staff:{officer}"), "تم استلام الصورة")
    );
    assert_eq!(notices(db).await, 4);
    assert_eq!(audit::search(db, Some(officer), None, 1).await.unwrap()[0].action, AuditAction::RequestMessage.code());
    assert!(matches!(
        casework::staff_message(
            db,
            RequestId::new(id),
            StaffId::new(officer),
            " ",
            UnixTime::from_seconds(NOW + 5),
            notice
        )
        .await,
        Err(StorageError::Invalid(_))
    ));
}

#[tokio::test]
async fn an_illegal_move_is_refused_and_changes_nothing() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let committee = create_staff(db, "committee", StaffRole::CommitteeMember).await.id;
    let id = submit_online(db, &valid_request("أسامة محمد الغامدي", "1000000008", "0501234567", "rent"), NOW).await;
    let before = casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap();
    let outbox_before = outbox::recent(db, 100).await.unwrap().len();

    let accepted = Decision::Accepted { support: "إيجار".into() };
    let refused = casework::record_decision(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        &accepted,
        UnixTime::from_seconds(NOW + 1),
        notice,
    )
    .await
    .unwrap();
    assert_eq!(
        refused,
        Err(TransitionError::NotAllowed { from: RequestStatus::Submitted, to: RequestStatus::Accepted })
    );
    let registration = casework::complete_registration(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        UnixTime::from_seconds(NOW + 2),
        notice,
    )
    .await
    .unwrap();
    assert_eq!(
        registration,
        Err(TransitionError::NotAllowed { from: RequestStatus::Submitted, to: RequestStatus::RegistrationCompleted })
    );
    let delivery = ServiceDelivery {
        what: "سلة".into(),
        quantity: 1,
        unit: "سلة".into(),
        delivered_on: CalendarDay { year: 2026, month: 11, day: 25 },
    };
    let service = casework::record_service(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        &delivery,
        UnixTime::from_seconds(NOW + 3),
        notice,
        |_, _| Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        service,
        Err(TransitionError::NotAllowed { from: RequestStatus::Submitted, to: RequestStatus::ServiceDelivered })
    );

    assert_eq!(casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap(), before, "nothing changed");
    assert_eq!(outbox::recent(db, 100).await.unwrap().len(), outbox_before, "no notice");
    assert!(audit::search(db, None, None, 100).await.unwrap().is_empty(), "no audit entry");
    for table in ["committee_decisions", "services_delivered"] {
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
        assert_eq!(rows, 0, "{table}");
    }

    // A rejection needs a reason the beneficiary reads.
    casework::start_verification(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        UnixTime::from_seconds(NOW + 4),
        notice,
    )
    .await
    .unwrap()
    .unwrap();
    let unexplained = Decision::Rejected { reason: " ".into() };
    let refused = casework::record_decision(
        db,
        RequestId::new(id),
        StaffId::new(committee),
        &unexplained,
        UnixTime::from_seconds(NOW + 5),
        notice,
    )
    .await
    .unwrap();
    assert_eq!(refused, Err(TransitionError::ReasonRequired));
    assert_eq!(status(db, id).await, RequestStatus::UnderVerification);
    // An unknown request is an error, not a refusal.
    assert!(matches!(
        casework::close(db, RequestId::new(9999), StaffId::new(committee), "", UnixTime::from_seconds(NOW + 5), notice)
            .await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        casework::start_verification(
            db,
            RequestId::new(9999),
            StaffId::new(committee),
            UnixTime::from_seconds(NOW + 5),
            notice
        )
        .await,
        Err(StorageError::NotFound(_))
    ));
    assert!(casework::case_file(db, RequestId::new(9999)).await.unwrap().is_none());
}

#[tokio::test]
async fn audit_entries_are_kept_newest_first_and_filtered() {
    let test = fresh_database().await;
    let db = &test.database;
    let privacy = create_staff(db, "privacy", StaffRole::PrivacyOfficer).await.id;
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await.id;
    let entry = |staff_id, beneficiary_id, reason| AuditEntry {
        staff_id,
        action: AuditAction::BeneficiaryView,
        beneficiary_id: Some(beneficiary_id),
        request_id: None,
        reason,
    };
    audit::record(db, entry(officer, 7, "مراجعة الطلب"), NOW).await.unwrap();
    audit::record(db, entry(privacy, 7, "تدقيق"), NOW + 1).await.unwrap();
    audit::record(db, entry(officer, 8, "مراجعة الطلب"), NOW + 2).await.unwrap();

    let all = audit::search(db, None, None, 10).await.unwrap();
    assert_eq!(all.iter().map(|e| e.created_at).collect::<Vec<_>>(), [NOW + 2, NOW + 1, NOW]);
    let about_seven = audit::search(db, None, Some(7), 10).await.unwrap();
    assert_eq!(about_seven.iter().map(|e| e.staff_username.as_str()).collect::<Vec<_>>(), ["privacy", "officer"]);
    let officer_on_seven = audit::search(db, Some(officer), Some(7), 10).await.unwrap();
    assert_eq!(officer_on_seven.len(), 1);
    assert_eq!((officer_on_seven[0].reason.as_str(), officer_on_seven[0].request_id), ("مراجعة الطلب", None));
    assert_eq!(audit::search(db, Some(officer), None, 1).await.unwrap().len(), 1, "the limit");
}

#[tokio::test]
async fn a_submission_records_its_channel_and_actor() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let id = submit_online(db, &valid_request("أسامة محمد الغامدي", "1000000008", "0501234567", "rent"), NOW).await;
    let row: (String, String) = sqlx::query_as(
        "SELECT r.channel, e.actor FROM support_requests r JOIN request_events e ON e.request_id = r.id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(row, ("website".to_string(), requests::ACTOR_BENEFICIARY.to_string()));
    assert_eq!(casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap().intake_staff_id, None);
}
