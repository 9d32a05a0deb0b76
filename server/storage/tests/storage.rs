//! The storage suite. The same tests run on SQLite (default) and on PostgreSQL
//! (`AWN_TEST_DATABASE=postgres`); `scripts/test` runs both when it can.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a panic in a test is a failed test")]

use awn_domain::locale::Language;
use awn_storage::{
    StorageError, demo,
    privacy_policy::{self, NewPolicyVersion},
    support_kinds,
    testing::{backend_under_test, fresh_database},
};

#[tokio::test]
async fn a_fresh_database_answers_and_reports_its_engine() {
    let test = fresh_database().await;
    test.database.ping().await.unwrap();
    assert_eq!(test.database.backend(), backend_under_test());
}

#[tokio::test]
async fn migrations_can_run_twice() {
    let test = fresh_database().await;
    test.database.migrate().await.unwrap();
}

#[tokio::test]
async fn the_initial_privacy_policy_is_published_once() {
    let test = fresh_database().await;
    let db = &test.database;
    assert!(privacy_policy::current(db).await.unwrap().is_none());

    privacy_policy::ensure_initial_version(db).await.unwrap();
    privacy_policy::ensure_initial_version(db).await.unwrap();

    let all = privacy_policy::all(db).await.unwrap();
    assert_eq!(all.len(), 1);
    let current = privacy_policy::current(db).await.unwrap().unwrap();
    assert_eq!(current.version, "1.0");
    assert!(current.body(Language::Arabic).contains("المادة (٨)"));
    assert!(current.body(Language::English).contains("Article 8"));
}

#[tokio::test]
async fn a_new_policy_version_takes_over_and_the_old_one_stays_readable() {
    let test = fresh_database().await;
    let db = &test.database;
    privacy_policy::ensure_initial_version(db).await.unwrap();

    let published =
        privacy_policy::publish(db, NewPolicyVersion { version: "١.١", body_ar: "نص جديد", body_en: "New text" })
            .await
            .unwrap();
    assert_eq!(published.version, "1.1", "digits are stored in ASCII");

    let current = privacy_policy::current(db).await.unwrap().unwrap();
    assert_eq!(current.version, "1.1");
    assert_eq!(current.body_en, "New text");
    let old = privacy_policy::by_version(db, "1.0").await.unwrap().unwrap();
    assert!(old.body_en.contains("Article 1"));
    let versions: Vec<_> = privacy_policy::all(db).await.unwrap().into_iter().map(|v| v.version).collect();
    assert_eq!(versions, ["1.1", "1.0"]);
    // Starting again does not add the first version back.
    privacy_policy::ensure_initial_version(db).await.unwrap();
    assert_eq!(privacy_policy::all(db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_policy_version_label_is_unique_and_well_formed() {
    let test = fresh_database().await;
    let db = &test.database;
    let new = NewPolicyVersion { version: "2.0", body_ar: "نص", body_en: "Text" };
    privacy_policy::publish(db, new.clone()).await.unwrap();
    let again = privacy_policy::publish(db, new).await.unwrap_err();
    assert!(matches!(again, StorageError::Conflict(_)), "{again:?}");

    let bad = NewPolicyVersion { version: "draft", body_ar: "نص", body_en: "Text" };
    assert!(matches!(privacy_policy::publish(db, bad).await, Err(StorageError::Invalid(_))));
    let empty = NewPolicyVersion { version: "3.0", body_ar: " ", body_en: "Text" };
    assert!(matches!(privacy_policy::publish(db, empty).await, Err(StorageError::Invalid(_))));
}

#[tokio::test]
async fn demo_data_is_idempotent_and_lists_support_kinds_in_order() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    demo::seed(db).await.unwrap();
    let kinds = support_kinds::active(db).await.unwrap();
    assert_eq!(kinds.len(), 6);
    assert_eq!(kinds[0].code, "food_basket");
    assert_eq!(kinds[0].name(Language::Arabic), "سلة غذائية");
    assert!(kinds.windows(2).all(|w| w[0].sort_order <= w[1].sort_order));
}

#[tokio::test]
async fn an_inactive_support_kind_is_not_offered() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    support_kinds::upsert(
        db,
        support_kinds::SupportKindInput {
            code: "rent",
            name_ar: "المساعدة في الإيجار",
            name_en: "Help with rent",
            description_ar: "",
            description_en: "",
            active: false,
            sort_order: 1,
        },
    )
    .await
    .unwrap();
    let codes: Vec<_> = support_kinds::active(db).await.unwrap().into_iter().map(|k| k.code).collect();
    assert!(!codes.contains(&"rent".to_string()));
    assert_eq!(codes.len(), 5);
}

// ---------------------------------------------------------------------------
// The beneficiary journey: sign-in codes, sessions, the outbox, requests.
// ---------------------------------------------------------------------------

mod journey {
    use awn_domain::{
        calendar::CalendarDay,
        identity::SaudiMobile,
        locale::Language,
        requests::{RequestDraft, RequestStatus, TransitionError, ValidRequest, WizardStep, validate_request},
        sign_in::{CodeCheck, ResendRefusal},
    };
    use awn_storage::{
        Database,
        accounts::{self, CodeIssue, CodeVerification},
        demo,
        outbox::{self, Channel, NewOutboxMessage},
        requests::{self, NewRequest, Submission},
        testing::fresh_database,
    };

    const NOW: i64 = 1_795_000_000;

    fn sms(recipient: &str, body: String, purpose: &str) -> NewOutboxMessage {
        NewOutboxMessage {
            channel: Channel::Sms,
            recipient: recipient.into(),
            subject: String::new(),
            body,
            purpose: purpose.into(),
        }
    }

    fn mobile(digits: &str) -> SaudiMobile {
        SaudiMobile::parse(digits).expect("a valid test number")
    }

    /// Issues a code and returns (challenge token, the code the person received).
    async fn issue(db: &Database, number: &SaudiMobile, now: i64) -> (String, String) {
        let mut sent = String::new();
        let issued = accounts::issue_sign_in_code(db, number, now, 0, |code| {
            sent = code.to_string();
            vec![sms(number.as_e164(), format!("code {code}"), "sign_in_code")]
        })
        .await
        .unwrap();
        let CodeIssue::Issued(challenge) = issued else { panic!("refused: {issued:?}") };
        (challenge.challenge_token, sent)
    }

    /// Many people asking for a code at the same moment: each transaction reads
    /// then writes, which on SQLite must queue for the write lock, not fail.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn simultaneous_writers_all_succeed() {
        let test = fresh_database().await;
        let db = test.database.clone();
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    let number = mobile(&format!("05011{i:05}"));
                    accounts::issue_sign_in_code(&db, &number, 1_000_000, 0, |code| {
                        vec![sms(number.as_e164(), format!("code {code}"), "sign_in_code")]
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            let issued = task.await.expect("the task ran").expect("no \"database is locked\"");
            assert!(matches!(issued, CodeIssue::Issued(_)), "{issued:?}");
        }
    }

    async fn sign_in(db: &Database, digits: &str, now: i64) -> (i64, String) {
        let number = mobile(digits);
        let (challenge, code) = issue(db, &number, now).await;
        match accounts::verify_sign_in_code(db, &challenge, &code, now + 10, Language::Arabic, None).await.unwrap() {
            CodeVerification::SignedIn { account, session_token } => (account.id, session_token),
            other => panic!("not signed in: {other:?}"),
        }
    }

    fn valid_request(national_id: &str, kind: &str) -> ValidRequest {
        let draft = RequestDraft {
            step: WizardStep::Declaration,
            full_name: "أسامة محمد الغامدي".into(),
            national_id: national_id.into(),
            birth_date: "1985-03-14".into(),
            mobile: "0501234567".into(),
            city: "الرهاة".into(),
            district: "الشمال".into(),
            household_members: "5".into(),
            monthly_income: "3500".into(),
            housing: "rented".into(),
            support_kind: kind.into(),
            description: "الإيجار متأخر ثلاثة أشهر".into(),
            declaration_accepted: true,
            signature: "أسامة محمد الغامدي".into(),
            consent_sms: true,
            ..RequestDraft::default()
        };
        let kinds = vec!["rent".to_string(), "food_basket".to_string()];
        validate_request(&draft, CalendarDay { year: 2026, month: 11, day: 25 }, &kinds).expect("a valid request")
    }

    async fn submit(db: &Database, beneficiary_id: i64, request: &ValidRequest, now: i64) -> Submission {
        requests::submit(
            db,
            NewRequest {
                beneficiary_id,
                request,
                declaration_version: "1.0",
                language: Language::Arabic,
                now,
                channel: awn_domain::channels::Channel::Website,
                actor: requests::ACTOR_BENEFICIARY,
            },
            |reference, _due| vec![sms("+966501234567", format!("received {reference}"), "request_submitted")],
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_sign_in_code_is_stored_hashed_and_queued_with_its_message() {
        let test = fresh_database().await;
        let db = &test.database;
        let number = mobile("0501234567");
        let (_challenge, code) = issue(db, &number, NOW).await;
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));

        let stored: Vec<String> =
            sqlx::query_scalar("SELECT code_hash FROM sign_in_codes").fetch_all(db.pool()).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains(&code), "the code itself is never stored");

        let queued = outbox::recent(db, 10).await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].recipient, "+966501234567");
        assert_eq!(queued[0].body, format!("code {code}"));
        assert_eq!(queued[0].status, "pending");
    }

    #[tokio::test]
    async fn a_resend_within_the_minute_is_refused_and_queues_nothing() {
        let test = fresh_database().await;
        let db = &test.database;
        let number = mobile("0501234567");
        issue(db, &number, NOW).await;
        let again = accounts::issue_sign_in_code(db, &number, NOW + 20, 0, |_| {
            vec![sms(number.as_e164(), "never".into(), "sign_in_code")]
        })
        .await
        .unwrap();
        assert_eq!(again, CodeIssue::Refused(ResendRefusal::TooSoon { wait_seconds: 40 }));
        assert_eq!(outbox::recent(db, 10).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn wrong_codes_count_and_the_sixth_try_is_refused_even_when_right() {
        let test = fresh_database().await;
        let db = &test.database;
        let number = mobile("0501234567");
        let (challenge, code) = issue(db, &number, NOW).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for remaining in (0..5).rev() {
            let result =
                accounts::verify_sign_in_code(db, &challenge, wrong, NOW + 5, Language::Arabic, None).await.unwrap();
            if remaining > 0 {
                assert_eq!(result, CodeVerification::Refused(CodeCheck::Wrong { remaining }));
            } else {
                assert!(matches!(
                    result,
                    CodeVerification::Refused(CodeCheck::Wrong { remaining: 0 } | CodeCheck::TooManyAttempts)
                ));
            }
        }
        let sixth =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 6, Language::Arabic, None).await.unwrap();
        assert_eq!(sixth, CodeVerification::Refused(CodeCheck::TooManyAttempts));
    }

    #[tokio::test]
    async fn a_code_expires_after_five_minutes_and_works_only_once() {
        let test = fresh_database().await;
        let db = &test.database;
        let number = mobile("0501234567");
        let (challenge, code) = issue(db, &number, NOW).await;
        let late =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 301, Language::Arabic, None).await.unwrap();
        assert_eq!(late, CodeVerification::Refused(CodeCheck::Expired));

        let (challenge, code) = issue(db, &number, NOW + 400).await;
        let first =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 410, Language::Arabic, None).await.unwrap();
        assert!(matches!(first, CodeVerification::SignedIn { .. }));
        let again =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 411, Language::Arabic, None).await.unwrap();
        assert_eq!(again, CodeVerification::Refused(CodeCheck::AlreadyUsed));
        let forged = accounts::verify_sign_in_code(db, "not-a-challenge", &code, NOW + 411, Language::Arabic, None)
            .await
            .unwrap();
        assert_eq!(forged, CodeVerification::UnknownChallenge);
    }

    #[tokio::test]
    async fn signing_in_rotates_the_session_and_sign_out_everywhere_ends_them_all() {
        let test = fresh_database().await;
        let db = &test.database;
        let (account, phone_session) = sign_in(db, "0501234567", NOW).await;
        let owner = accounts::session_owner(db, &phone_session, NOW + 20).await.unwrap().expect("a live session");
        assert_eq!((owner.account_kind.as_str(), owner.account_id), (accounts::BENEFICIARY, account));
        let signed_in =
            accounts::session_beneficiary(db, &phone_session, NOW + 20).await.unwrap().expect("its account");
        assert_eq!((signed_in.id, signed_in.mobile.as_e164()), (account, "+966501234567"));

        // The same browser signs in again: its old token stops working.
        let number = mobile("0501234567");
        let (challenge, code) = issue(db, &number, NOW + 3600).await;
        let CodeVerification::SignedIn { session_token: rotated, account: same } =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 3610, Language::English, Some(&phone_session))
                .await
                .unwrap()
        else {
            panic!("not signed in")
        };
        assert_eq!(same.id, account, "the same number is the same account");
        assert_ne!(rotated, phone_session);
        assert!(accounts::session_owner(db, &phone_session, NOW + 3620).await.unwrap().is_none());
        assert!(accounts::session_beneficiary(db, &phone_session, NOW + 3620).await.unwrap().is_none());

        // A second device, then sign out everywhere.
        let (challenge, code) = issue(db, &number, NOW + 7200).await;
        let CodeVerification::SignedIn { session_token: tablet, .. } =
            accounts::verify_sign_in_code(db, &challenge, &code, NOW + 7210, Language::Arabic, None).await.unwrap()
        else {
            panic!("not signed in")
        };
        assert_eq!(accounts::end_all_sessions(db, accounts::BENEFICIARY, account).await.unwrap(), 2);
        assert!(accounts::session_owner(db, &rotated, NOW + 7220).await.unwrap().is_none());
        assert!(accounts::session_owner(db, &tablet, NOW + 7220).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_session_expires() {
        let test = fresh_database().await;
        let db = &test.database;
        let (_, token) = sign_in(db, "0501234567", NOW).await;
        let after = NOW + 10 + accounts::SESSION_LIFETIME_SECONDS + 1;
        assert!(accounts::session_owner(db, &token, after).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_outbox_message_is_leased_to_one_worker_and_retried_until_given_up() {
        let test = fresh_database().await;
        let db = &test.database;
        outbox::enqueue(db, &[sms("+966501234567", "hello".into(), "test")], NOW).await.unwrap();

        let first = outbox::claim_due(db, NOW, 60, 10).await.unwrap();
        assert_eq!(first.len(), 1);
        assert!(outbox::claim_due(db, NOW + 1, 60, 10).await.unwrap().is_empty(), "leased to the first worker");

        outbox::mark_attempt_failed(db, first[0].id, NOW + 2, "gateway down", 3, outbox::FinishedBody::Blank)
            .await
            .unwrap();
        assert!(outbox::claim_due(db, NOW + 3, 60, 10).await.unwrap().is_empty(), "not before its delay");
        let second = outbox::claim_due(db, NOW + 2 + 30, 60, 10).await.unwrap();
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].attempts, 1);
        assert_eq!(second[0].last_error, "gateway down");

        outbox::mark_attempt_failed(db, first[0].id, NOW + 40, "gateway down", 3, outbox::FinishedBody::Blank)
            .await
            .unwrap();
        let third = outbox::claim_due(db, NOW + 40 + 60, 60, 10).await.unwrap();
        assert_eq!(third.len(), 1);
        outbox::mark_attempt_failed(db, first[0].id, NOW + 200, "gateway down", 3, outbox::FinishedBody::Blank)
            .await
            .unwrap();
        let given_up = outbox::recent(db, 1).await.unwrap();
        assert_eq!((given_up[0].status.as_str(), given_up[0].attempts), ("failed", 3));
        assert_eq!(given_up[0].body, "", "a message given up keeps no body");
        assert!(outbox::claim_due(db, NOW + 100_000, 60, 10).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_delivered_message_is_not_sent_again() {
        let test = fresh_database().await;
        let db = &test.database;
        outbox::enqueue(db, &[sms("+966501234567", "hello".into(), "test")], NOW).await.unwrap();
        let claimed = outbox::claim_due(db, NOW, 60, 10).await.unwrap();
        outbox::mark_sent(db, claimed[0].id, NOW + 1, outbox::FinishedBody::Blank).await.unwrap();
        assert!(outbox::claim_due(db, NOW + 100_000, 60, 10).await.unwrap().is_empty());
        let sent = outbox::recent(db, 1).await.unwrap();
        assert_eq!((sent[0].status.as_str(), sent[0].sent_at), ("sent", Some(NOW + 1)));
    }

    #[tokio::test]
    async fn a_delivered_body_is_blanked_and_finished_rows_are_purged_after_the_retention() {
        let test = fresh_database().await;
        let db = &test.database;
        outbox::enqueue(db, &[sms("+966501234567", "رمز الدخول 482913".into(), "sign_in_code")], NOW).await.unwrap();
        outbox::enqueue(db, &[sms("+966501234568", "kept in development".into(), "test")], NOW).await.unwrap();
        outbox::enqueue(db, &[sms("+966501234569", "still pending".into(), "test")], NOW + 5000).await.unwrap();
        let claimed = outbox::claim_due(db, NOW, 60, 10).await.unwrap();
        assert_eq!(claimed[0].body, "رمز الدخول 482913", "the worker reads the body decrypted");
        outbox::mark_sent(db, claimed[0].id, NOW + 1, outbox::FinishedBody::Blank).await.unwrap();
        outbox::mark_sent(db, claimed[1].id, NOW + 1, outbox::FinishedBody::Keep).await.unwrap();
        let raw: Vec<String> =
            sqlx::query_scalar("SELECT body FROM outbox_messages ORDER BY id").fetch_all(db.pool()).await.unwrap();
        assert_eq!(raw[0], "", "blanked at delivery");
        assert!(raw[1].starts_with("enc1:"), "kept, encrypted: {}", raw[1]);

        // Within the retention nothing is deleted; blanking catches what was kept.
        let (blanked, purged) = outbox::purge_finished(db, NOW, outbox::FinishedBody::Blank).await.unwrap();
        assert_eq!((blanked, purged), (1, 0));
        // After it the finished rows go; the pending one stays.
        let (_, purged) = outbox::purge_finished(db, NOW + 1000, outbox::FinishedBody::Blank).await.unwrap();
        assert_eq!(purged, 2);
        let left = outbox::recent(db, 10).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!((left[0].status.as_str(), left[0].body.as_str()), ("pending", "still pending"));
    }

    #[tokio::test]
    async fn a_draft_is_kept_per_beneficiary_and_replaced_on_save() {
        let test = fresh_database().await;
        let db = &test.database;
        let (account, _) = sign_in(db, "0501234567", NOW).await;
        assert!(requests::load_draft(db, account).await.unwrap().is_none());
        let mut draft = RequestDraft { full_name: "أسامة".into(), ..RequestDraft::default() };
        requests::save_draft(db, account, &draft, &[], NOW).await.unwrap();
        draft.step = WizardStep::Household;
        draft.household_members = "٥".into();
        requests::save_draft(db, account, &draft, &[], NOW + 5).await.unwrap();
        let stored = requests::load_draft(db, account).await.unwrap().expect("a draft");
        assert_eq!(stored.draft, draft);
        assert_eq!(stored.updated_at, NOW + 5);
    }

    #[tokio::test]
    async fn submitting_gives_a_reference_a_timeline_a_receipt_and_removes_the_draft() {
        let test = fresh_database().await;
        let db = &test.database;
        demo::seed(db).await.unwrap();
        let (account, _) = sign_in(db, "0501234567", NOW).await;
        requests::save_draft(db, account, &RequestDraft::default(), &[], NOW).await.unwrap();

        let Submission::Submitted { id, reference, decision_due_at } =
            submit(db, account, &valid_request("1000000008", "rent"), NOW + 100).await
        else {
            panic!("not submitted")
        };
        assert_eq!(reference, format!("AWN-2026-{id:06}"));
        // The committee's clock: 14 calendar days, to the end of the day (Saudi time).
        assert_eq!(decision_due_at, crate::end_of_saudi_day(NOW + 100 + 14 * 86_400));
        assert!(requests::load_draft(db, account).await.unwrap().is_none());

        let mine = requests::list_for_beneficiary(db, account).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].status, mine[0].support_kind_name(Language::English)),
            (RequestStatus::Submitted, "Help with rent")
        );
        let file = requests::file_for_beneficiary(db, account, id).await.unwrap().expect("own file");
        assert_eq!(file.timeline.len(), 1);
        let receipt = outbox::recent(db, 1).await.unwrap();
        assert_eq!(receipt[0].body, format!("received {reference}"));
    }

    #[tokio::test]
    async fn one_open_request_per_national_id_and_kind() {
        let test = fresh_database().await;
        let db = &test.database;
        demo::seed(db).await.unwrap();
        let (osama, _) = sign_in(db, "0501234567", NOW).await;
        let (someone_else, _) = sign_in(db, "0551234567", NOW).await;
        let request = valid_request("1000000008", "rent");
        let Submission::Submitted { id, reference, .. } = submit(db, osama, &request, NOW).await else { panic!() };

        assert_eq!(submit(db, osama, &request, NOW + 1).await, Submission::DuplicateOpen { id, reference });
        // Another account using the same ID is received as any request (it learns
        // nothing, and cannot squat the ID); both are flagged to staff, each
        // pointing at the other. Its own second one is refused as its own.
        let Submission::Submitted { id: other, reference: other_reference, .. } =
            submit(db, someone_else, &request, NOW + 2).await
        else {
            panic!("another account's request is received")
        };
        assert!(matches!(
            submit(db, someone_else, &request, NOW + 2).await,
            Submission::DuplicateOpen { id, .. } if id == other
        ));
        let flag = |request: i64| async move {
            awn_storage::casework::case_file(db, awn_domain::ids::RequestId::new(request))
                .await
                .unwrap()
                .expect("a file")
                .possible_duplicate_of
                .map(|(id, reference)| (id.get(), reference))
        };
        assert_eq!(flag(other).await.map(|(id, _)| id), Some(id));
        assert_eq!(flag(id).await, Some((other, other_reference)));
        let queue =
            awn_storage::casework::queue(db, &Default::default(), NOW + 3, awn_storage::PageRequest::new(1, 50))
                .await
                .unwrap()
                .items;
        for row in &queue {
            let expected = if row.id.get() == id {
                Some(other)
            } else if row.id.get() == other {
                Some(id)
            } else {
                None
            };
            assert_eq!(row.possible_duplicate_of.map(|d| d.get()), expected, "queue row {}", row.id);
        }
        // Another kind is a separate request.
        assert!(matches!(
            submit(db, osama, &valid_request("1000000008", "food_basket"), NOW + 3).await,
            Submission::Submitted { .. }
        ));
        // Once the first one is closed, a new one of that kind may be made.
        requests::change_status(db, id, RequestStatus::Closed, "", "staff", NOW + 4, |_| vec![])
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(submit(db, osama, &request, NOW + 5).await, Submission::Submitted { .. }));
    }

    #[tokio::test]
    async fn a_change_of_state_follows_the_workflow_and_queues_a_notice() {
        let test = fresh_database().await;
        let db = &test.database;
        demo::seed(db).await.unwrap();
        let (account, _) = sign_in(db, "0501234567", NOW).await;
        let Submission::Submitted { id, .. } = submit(db, account, &valid_request("1000000008", "rent"), NOW).await
        else {
            panic!()
        };
        let notice = |to: &requests::NoticeRecipient| {
            vec![sms(&to.mobile, format!("update {}", to.reference), "status_changed")]
        };

        let skipped =
            requests::change_status(db, id, RequestStatus::Accepted, "", "staff", NOW + 1, notice).await.unwrap();
        assert_eq!(
            skipped,
            Err(TransitionError::NotAllowed { from: RequestStatus::Submitted, to: RequestStatus::Accepted })
        );
        requests::change_status(db, id, RequestStatus::UnderVerification, "", "staff", NOW + 2, notice)
            .await
            .unwrap()
            .unwrap();
        let unexplained =
            requests::change_status(db, id, RequestStatus::Rejected, " ", "staff", NOW + 3, notice).await.unwrap();
        assert_eq!(unexplained, Err(TransitionError::ReasonRequired));
        requests::change_status(db, id, RequestStatus::Rejected, "الدخل أعلى من الحد", "staff", NOW + 4, notice)
            .await
            .unwrap()
            .unwrap();

        let file = requests::file_for_beneficiary(db, account, id).await.unwrap().unwrap();
        let states: Vec<_> = file.timeline.iter().map(|e| e.status).collect();
        assert_eq!(states, [RequestStatus::Submitted, RequestStatus::UnderVerification, RequestStatus::Rejected]);
        assert_eq!(file.timeline[2].reason, "الدخل أعلى من الحد");
        let notices: Vec<_> =
            outbox::recent(db, 10).await.unwrap().into_iter().filter(|m| m.purpose == "status_changed").collect();
        assert_eq!(notices.len(), 2, "one notice per change, none for refused ones");
    }

    #[tokio::test]
    async fn a_beneficiary_reads_only_their_own_requests() {
        let test = fresh_database().await;
        let db = &test.database;
        demo::seed(db).await.unwrap();
        let (owner, _) = sign_in(db, "0501234567", NOW).await;
        let (stranger, _) = sign_in(db, "0551234567", NOW).await;
        let Submission::Submitted { id, .. } = submit(db, owner, &valid_request("1000000008", "rent"), NOW).await
        else {
            panic!()
        };
        assert!(requests::file_for_beneficiary(db, stranger, id).await.unwrap().is_none());
        assert!(requests::list_for_beneficiary(db, stranger).await.unwrap().is_empty());
        assert!(!requests::belongs_to(db, id, stranger).await.unwrap());
        assert!(requests::belongs_to(db, id, owner).await.unwrap());
    }
}

#[path = "storage/calendar.rs"]
mod calendar;
#[path = "storage/deadline_reports.rs"]
mod deadline_reports;
#[path = "storage/household_edits.rs"]
mod household_edits;
#[path = "storage/households.rs"]
mod households;
#[path = "storage/limits.rs"]
mod limits;
#[path = "storage/lists.rs"]
mod lists;
#[path = "storage/migrations.rs"]
mod migrations;
#[path = "storage/my_work.rs"]
mod my_work;
#[path = "storage/party_consents.rs"]
mod party_consents;
#[path = "storage/party_privacy.rs"]
mod party_privacy;
#[path = "storage/privacy.rs"]
mod privacy;
#[path = "storage/registers.rs"]
mod registers;
#[path = "storage/service_desk.rs"]
mod service_desk;
#[path = "storage/staff_security.rs"]
mod staff_security;
#[path = "storage/staff_workspace.rs"]
mod staff_workspace;
#[path = "storage/surveys.rs"]
mod surveys;
#[path = "storage/volunteers.rs"]
mod volunteers;

/// The last second of the Saudi day a moment falls in: when a clock counted
/// in days is due.
pub(crate) fn end_of_saudi_day(at: i64) -> i64 {
    let day = awn_domain::calendar::DualDate::from_unix_seconds(at).gregorian;
    awn_domain::calendar::start_of_day_unix(day) + 86_400 - 1
}
#[path = "storage/scale.rs"]
mod scale;
