//! The service desk: inquiries from every channel and the FAQ they grow (A6,
//! A18), complaints tracked to a resolution with a reason (A2), the reference
//! library (A9) and the request report (A13, A18). Every test runs on a fresh
//! database of the engine under test.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    identity::SaudiMobile,
    locale::Language,
    requests::{RequestDraft, ValidRequest, WizardStep, validate_request},
    staff::StaffRole,
    workflow::{Decision, Recommendation, ResearchStudy, StudyMethod, VerificationOutcome},
};
use awn_domain::{
    calendar::UnixTime,
    ids::{RequestId, StaffId},
};
use awn_storage::{
    Database, PageRequest, StorageError,
    audit::{self, AuditAction},
    casework,
    complaints::{self, ComplaintContact, ComplaintProblem},
    demo,
    inquiries::{self, InquiryContact, InquiryProblem, NewInquiry},
    library::{self, LibraryCategory, LibraryProblem, NewLibraryVersion},
    outbox::{self, NewOutboxMessage},
    reports,
    requests::{NoticeRecipient, Submission},
    staff::{self, NewStaff},
    testing::fresh_database,
};

const NOW: i64 = 1_795_000_000; // 2026-11-18, 14:06 in Riyadh
const DAY: i64 = 86_400;

fn sms(recipient: &str, body: String, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: outbox::Channel::Sms,
        recipient: recipient.into(),
        subject: String::new(),
        body,
        purpose: purpose.into(),
    }
}

fn no_notice(_: &NoticeRecipient) -> Vec<NewOutboxMessage> {
    Vec::new()
}

fn answer_message(contact: &InquiryContact) -> Vec<NewOutboxMessage> {
    contact.mobile.iter().map(|mobile| sms(mobile, format!("جواب: {}", contact.answer), "inquiry_answered")).collect()
}

fn resolution_notice(contact: &ComplaintContact) -> Vec<NewOutboxMessage> {
    let about = contact.request_reference.clone().unwrap_or_default();
    vec![sms(&contact.mobile, format!("{about} {}", contact.resolution), "complaint_resolved")]
}

async fn messages(db: &Database, purpose: &str) -> Vec<outbox::OutboxMessage> {
    outbox::recent(db, 1000).await.unwrap().into_iter().filter(|m| m.purpose == purpose).collect()
}

pub(super) async fn create_staff(db: &Database, username: &str) -> i64 {
    let new = NewStaff {
        username,
        display_name: &format!("موظف {username}"),
        role: StaffRole::RelationsOfficer,
        password: "قمر الرهاة يضيء 2026",
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

async fn beneficiary(db: &Database, mobile: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ($1, 'ar', $2) RETURNING id",
    )
    .bind(mobile)
    .bind(NOW)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

pub(super) fn valid_request(national_id: &str, mobile: &str, kind: &str) -> ValidRequest {
    let draft = RequestDraft {
        step: WizardStep::Declaration,
        full_name: "أسامة محمد الغامدي".into(),
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
        signature: "أسامة محمد الغامدي".into(),
        consent_sms: true,
        ..RequestDraft::default()
    };
    let kinds = vec!["rent".to_string(), "food_basket".to_string(), "bills".to_string()];
    validate_request(&draft, CalendarDay { year: 2026, month: 11, day: 25 }, &kinds).expect("a valid request")
}

/// A request taken in by staff; returns (request id, beneficiary id).
pub(super) async fn intake(
    db: &Database,
    staff_id: i64,
    channel: Channel,
    request: &ValidRequest,
    now: i64,
) -> (i64, i64) {
    let submission = casework::record_intake(db, staff_id, channel, request, Language::Arabic, now, |_, _| Vec::new())
        .await
        .unwrap();
    let Submission::Submitted { id, .. } = submission else { panic!("not submitted: {submission:?}") };
    (id, casework::case_file(db, RequestId::new(id)).await.unwrap().unwrap().beneficiary_id.get())
}

/// Takes a request from submission to the committee, an hour per step.
pub(super) async fn to_committee(db: &Database, id: i64, staff_id: i64, start: i64) {
    casework::start_verification(
        db,
        RequestId::new(id),
        StaffId::new(staff_id),
        UnixTime::from_seconds(start + 3600),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    let verified = VerificationOutcome::Verified { note: String::new() };
    let referral = Some(("دراسة الحالة", None));
    casework::record_verification(
        db,
        RequestId::new(id),
        StaffId::new(staff_id),
        &verified,
        referral,
        UnixTime::from_seconds(start + 7200),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    let study = ResearchStudy {
        method: StudyMethod::PhoneCall,
        findings: "الأسرة محتاجة".into(),
        recommendation: Recommendation::Accept,
        message: None,
    };
    casework::record_study(
        db,
        RequestId::new(id),
        StaffId::new(staff_id),
        &study,
        UnixTime::from_seconds(start + 10_800),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
}

// ---------------------------------------------------------------------------
// Inquiries and the FAQ (A6)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_inquiry_is_answered_once_queued_to_the_asker_and_published_to_a_searchable_faq() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create_staff(db, "officer").await;
    let mobile = SaudiMobile::parse("٠٥٠١٢٣٤٥٦٧").unwrap();
    let by_phone = inquiries::record(
        db,
        NewInquiry {
            beneficiary_id: None,
            asker_name: "  أم  خالد ",
            contact_mobile: Some(&mobile),
            contact_email: None,
            channel: Channel::Phone,
            question: "هل تساعد الجمعية في دفع الإيجار؟ أنا أم خالد من حي الشمال",
            language: Language::Arabic,
        },
        NOW,
    )
    .await
    .unwrap();
    let by_social_media = inquiries::record(
        db,
        NewInquiry {
            beneficiary_id: None,
            asker_name: "@someone",
            contact_mobile: None,
            contact_email: Some(" someone@example.sa "),
            channel: Channel::SocialMedia,
            question: "متى تفتح الجمعية؟",
            language: Language::Arabic,
        },
        NOW + 60,
    )
    .await
    .unwrap();
    let empty = NewInquiry {
        beneficiary_id: None,
        asker_name: "x",
        contact_mobile: None,
        contact_email: None,
        channel: Channel::Website,
        question: " \n ",
        language: Language::Arabic,
    };
    assert!(matches!(inquiries::record(db, empty, NOW).await, Err(StorageError::Invalid(_))));

    let stored = inquiries::by_id(db, by_phone).await.unwrap().expect("recorded");
    assert_eq!(
        (stored.asker_name.as_str(), stored.contact_mobile.as_deref(), stored.channel, stored.status.as_str()),
        ("أم خالد", Some("+966501234567"), Channel::Phone, inquiries::OPEN)
    );
    let ids = |rows: Vec<inquiries::InquiryRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(inquiries::inbox(db, None, None, PageRequest::new(1, 10)).await.unwrap().items),
        [by_phone, by_social_media],
        "oldest first"
    );
    assert_eq!(
        ids(inquiries::inbox(db, Some("open"), Some(Channel::SocialMedia), PageRequest::new(1, 10))
            .await
            .unwrap()
            .items),
        [by_social_media]
    );
    assert_eq!(
        inquiries::by_id(db, by_social_media).await.unwrap().unwrap().contact_email.as_deref(),
        Some("someone@example.sa")
    );

    // An empty answer is refused and queues nothing.
    let blank =
        inquiries::answer(db, by_phone, officer, "  ", NOW + 100, answer_message, |_, _| Vec::new()).await.unwrap();
    assert_eq!(blank, Err(InquiryProblem::AnswerRequired));
    assert!(messages(db, "inquiry_answered").await.is_empty());

    let answer = "نعم، بتقديم طلب «المساعدة في الإيجار» من موقع الجمعية.";
    inquiries::answer(db, by_phone, officer, answer, NOW + 200, answer_message, |_, _| Vec::new())
        .await
        .unwrap()
        .unwrap();
    let again =
        inquiries::answer(db, by_phone, officer, "جواب آخر", NOW + 300, answer_message, |_, _| Vec::new())
            .await
            .unwrap();
    assert_eq!(again, Err(InquiryProblem::AlreadyAnswered));
    assert_eq!(
        inquiries::answer(db, 9999, officer, "x", NOW, answer_message, |_, _| Vec::new()).await.unwrap(),
        Err(InquiryProblem::NotFound)
    );

    let queued = messages(db, "inquiry_answered").await;
    assert_eq!(queued.len(), 1, "one message, for the one answer");
    assert_eq!((queued[0].recipient.as_str(), queued[0].body.as_str()), ("+966501234567", &*format!("جواب: {answer}")));
    let answered = inquiries::by_id(db, by_phone).await.unwrap().unwrap();
    assert_eq!(
        (answered.status.as_str(), answered.answer.as_deref(), answered.answered_by, answered.answered_at),
        (inquiries::ANSWERED, Some(answer), Some(officer), Some(NOW + 200))
    );
    assert_eq!(answered.answered_by_name.as_deref(), Some("موظف officer"));
    let log = audit::search(db, Some(officer), None, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action.as_str(), log[0].reason.clone()),
        (AuditAction::InquiryAnswer.code(), format!("inquiry:{by_phone}"))
    );
    // Open ones lead the inbox now.
    assert_eq!(
        ids(inquiries::inbox(db, None, None, PageRequest::new(1, 10)).await.unwrap().items),
        [by_social_media, by_phone]
    );

    // Published reworded, without the asker's name or district.
    let faq_question = "هل تساعد الجمعية في دفع الإيجار؟";
    assert!(
        matches!(
            inquiries::publish_to_faq(db, by_social_media, officer, "سؤال", "جواب", NOW + 400).await,
            Err(StorageError::Invalid(_))
        ),
        "an unanswered inquiry is not published"
    );
    let entry = inquiries::publish_to_faq(db, by_phone, officer, faq_question, answer, NOW + 400).await.unwrap();
    assert!(matches!(
        inquiries::publish_to_faq(db, by_phone, officer, faq_question, answer, NOW + 500).await,
        Err(StorageError::Conflict(_))
    ));

    // Found however the words are spelled: ة as ه, إ as ا.
    let found = inquiries::faq(db, Language::Arabic, "الجمعيه الايجار").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].id, found[0].question.as_str(), found[0].inquiry_id), (entry, faq_question, Some(by_phone)));
    assert!(!found[0].question.contains("خالد"));
    assert!(inquiries::faq(db, Language::Arabic, "سلة غذائية").await.unwrap().is_empty());
    assert_eq!(inquiries::faq(db, Language::Arabic, "").await.unwrap().len(), 1);
    assert!(inquiries::faq(db, Language::English, "").await.unwrap().is_empty(), "per language");
    assert!(inquiries::set_faq_active(db, entry, false).await.unwrap());
    assert!(inquiries::faq(db, Language::Arabic, "").await.unwrap().is_empty(), "withdrawn");
}

#[tokio::test]
async fn a_beneficiarys_inquiry_is_answered_to_their_account_mobile() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create_staff(db, "officer").await;
    let account = beneficiary(db, "+966551234567").await;
    let other = beneficiary(db, "+966561234567").await;
    let id = inquiries::record(
        db,
        NewInquiry {
            beneficiary_id: Some(account),
            asker_name: "أسامة",
            contact_mobile: None,
            contact_email: None,
            channel: Channel::Website,
            question: "كم تستغرق دراسة الطلب؟",
            language: Language::Arabic,
        },
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        inquiries::for_beneficiary(db, account).await.unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>(),
        [id]
    );
    assert!(inquiries::for_beneficiary(db, other).await.unwrap().is_empty());

    inquiries::answer(db, id, officer, "نحو أسبوعين.", NOW + 10, answer_message, |_, _| Vec::new())
        .await
        .unwrap()
        .unwrap();
    let queued = messages(db, "inquiry_answered").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].recipient, "+966551234567");
    let log = audit::search(db, None, Some(account), 10).await.unwrap();
    assert_eq!(log.len(), 1, "the answer is audited against the beneficiary");
}

// ---------------------------------------------------------------------------
// Complaints (A2)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_complaint_about_another_beneficiarys_request_is_refused() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer").await;
    let (request, _owner) =
        intake(db, officer, Channel::Phone, &valid_request("1000000008", "0501234567", "rent"), NOW).await;
    let stranger = beneficiary(db, "+966551234567").await;

    let refused =
        complaints::submit(db, stranger, Some(request), "رفض طلبي ظلماً", Channel::Website, NOW).await.unwrap();
    assert_eq!(refused, Err(ComplaintProblem::RequestNotFound));
    let unknown = complaints::submit(db, stranger, Some(9999), "رفض طلبي ظلماً", Channel::Website, NOW).await.unwrap();
    assert_eq!(unknown, Err(ComplaintProblem::RequestNotFound), "the same answer whether it exists or not");
    let blank = complaints::submit(db, stranger, None, " \n", Channel::Website, NOW).await.unwrap();
    assert_eq!(blank, Err(ComplaintProblem::BodyRequired));
    assert!(complaints::list(db, None, PageRequest::new(1, 10)).await.unwrap().items.is_empty(), "nothing stored");

    let general =
        complaints::submit(db, stranger, None, "لم يرد أحد على اتصالي", Channel::Phone, NOW).await.unwrap().unwrap();
    let mine = complaints::for_beneficiary(db, stranger).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].id, mine[0].request_id, mine[0].channel), (general, None, Channel::Phone));
    assert_eq!(mine[0].status, complaints::OPEN);
}

#[tokio::test]
async fn a_complaint_is_resolved_once_with_a_reason_and_the_notice_queued() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer").await;
    let (request, owner) =
        intake(db, officer, Channel::Phone, &valid_request("1000000008", "0501234567", "rent"), NOW).await;
    let reference = casework::case_file(db, RequestId::new(request)).await.unwrap().unwrap().reference;
    let id = complaints::submit(db, owner, Some(request), " أعترض على تأخر طلبي ", Channel::Website, NOW + 10)
        .await
        .unwrap()
        .unwrap();
    let audits_before = audit::search(db, Some(officer), None, 100).await.unwrap().len();

    complaints::start_review(db, id, officer, NOW + 20).await.unwrap().unwrap();
    assert_eq!(
        complaints::start_review(db, id, officer, NOW + 21).await.unwrap(),
        Err(ComplaintProblem::AlreadyInReview)
    );
    assert_eq!(complaints::list(db, Some("in_review"), PageRequest::new(1, 10)).await.unwrap().items.len(), 1);
    let unexplained = complaints::resolve(db, id, officer, "  ", NOW + 30, resolution_notice).await.unwrap();
    assert_eq!(unexplained, Err(ComplaintProblem::ResolutionRequired));
    assert!(messages(db, "complaint_resolved").await.is_empty());

    let reason = "راجعنا طلبك وسيعرض على اللجنة هذا الأسبوع.";
    complaints::resolve(db, id, officer, reason, NOW + 40, resolution_notice).await.unwrap().unwrap();
    let twice = complaints::resolve(db, id, officer, "مرة أخرى", NOW + 50, resolution_notice).await.unwrap();
    assert_eq!(twice, Err(ComplaintProblem::AlreadyResolved));
    assert_eq!(
        complaints::start_review(db, id, officer, NOW + 60).await.unwrap(),
        Err(ComplaintProblem::AlreadyResolved)
    );
    assert_eq!(
        complaints::resolve(db, 9999, officer, reason, NOW, resolution_notice).await.unwrap(),
        Err(ComplaintProblem::NotFound)
    );

    let queued = messages(db, "complaint_resolved").await;
    assert_eq!(queued.len(), 1, "one notice, for the one resolution");
    assert_eq!(queued[0].recipient, "+966501234567");
    assert_eq!(queued[0].body, format!("{reference} {reason}"));
    let resolved = complaints::by_id(db, id).await.unwrap().unwrap();
    assert_eq!(
        (resolved.status.as_str(), resolved.resolution.as_deref(), resolved.resolved_by, resolved.resolved_at),
        (complaints::RESOLVED, Some(reason), Some(officer), Some(NOW + 40))
    );
    assert_eq!(
        (resolved.body.as_str(), resolved.request_reference.as_deref()),
        ("أعترض على تأخر طلبي", Some(&*reference))
    );
    assert_eq!((resolved.reviewer_id, resolved.review_started_at), (Some(officer), Some(NOW + 20)));
    assert!(complaints::list(db, Some("open"), PageRequest::new(1, 10)).await.unwrap().items.is_empty());
    assert_eq!(complaints::for_beneficiary(db, owner).await.unwrap()[0].resolution.as_deref(), Some(reason));

    let log = audit::search(db, Some(officer), None, 100).await.unwrap();
    let actions: Vec<_> = log[..log.len() - audits_before].iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [AuditAction::ComplaintResolve.code(), AuditAction::ComplaintStartReview.code()],
        "newest first, refusals unlogged"
    );
    assert_eq!((log[0].beneficiary_id, log[0].request_id), (Some(owner), Some(request)));
}

// ---------------------------------------------------------------------------
// The reference library (A9)
// ---------------------------------------------------------------------------

fn version<'a>(label: &'a str, key: &'a str, uploaded_by: i64) -> NewLibraryVersion<'a> {
    NewLibraryVersion {
        version_label: label,
        storage_key: key,
        file_name: "اللائحة.pdf",
        content_type: "application/pdf",
        size_bytes: 2048,
        change_note: "تعديل المادة الخامسة",
        uploaded_by,
    }
}

#[tokio::test]
async fn library_versions_newest_is_current_history_is_kept_and_labels_are_unique() {
    let test = fresh_database().await;
    let db = &test.database;
    let officer = create_staff(db, "officer").await;
    for category in LibraryCategory::ALL {
        assert_eq!(LibraryCategory::from_code(category.code()), Some(category));
    }
    let bylaws = library::create_document(db, LibraryCategory::Bylaws, " اللائحة الأساسية  للجمعية ", NOW).await.unwrap();
    let guide = library::create_document(db, LibraryCategory::ResearchGuide, "دليل البحث الاجتماعي", NOW).await.unwrap();
    assert!(matches!(
        library::create_document(db, LibraryCategory::Bylaws, " ", NOW).await,
        Err(StorageError::Invalid(_))
    ));

    let first =
        library::add_version(db, bylaws, version("1.0", "lib-key-0001", officer), NOW + 10).await.unwrap().unwrap();
    let second =
        library::add_version(db, bylaws, version("١.١", "lib-key-0002", officer), NOW + 20).await.unwrap().unwrap();
    assert_eq!(
        library::add_version(db, bylaws, version("1.1", "lib-key-0003", officer), NOW + 30).await.unwrap(),
        Err(LibraryProblem::VersionExists)
    );
    assert_eq!(
        library::add_version(db, bylaws, version(" ", "lib-key-0004", officer), NOW + 30).await.unwrap(),
        Err(LibraryProblem::VersionLabelRequired)
    );
    assert_eq!(
        library::add_version(db, 9999, version("1.0", "lib-key-0005", officer), NOW + 30).await.unwrap(),
        Err(LibraryProblem::DocumentNotFound)
    );
    // The same label on another document is fine; the same storage key never is.
    library::add_version(db, guide, version("1.0", "lib-key-0006", officer), NOW + 40).await.unwrap().unwrap();
    assert!(matches!(
        library::add_version(db, guide, version("2.0", "lib-key-0006", officer), NOW + 50).await,
        Err(StorageError::Conflict(_))
    ));

    let all = library::list(db, "").await.unwrap();
    assert_eq!(all.iter().map(|d| d.id).collect::<Vec<_>>(), [bylaws, guide], "in category order");
    assert_eq!(
        (all[0].title.as_str(), all[0].category, all[0].version_count),
        ("اللائحة الأساسية للجمعية", LibraryCategory::Bylaws, 2)
    );
    let current = all[0].current.as_ref().expect("a current version");
    assert_eq!(
        (current.id, current.version_label.as_str(), current.storage_key.as_str()),
        (second, "1.1", "lib-key-0002")
    );
    assert_eq!(current.uploaded_by_name, "موظف officer");

    let history: Vec<_> = library::history(db, bylaws).await.unwrap().into_iter().map(|v| v.version_label).collect();
    assert_eq!(history, ["1.1", "1.0"]);
    let old = library::version(db, first).await.unwrap().expect("the old version stays downloadable");
    assert_eq!(
        (old.storage_key.as_str(), old.size_bytes, old.change_note.as_str()),
        ("lib-key-0001", 2048, "تعديل المادة الخامسة")
    );

    // Search by title, however spelled.
    let found: Vec<_> = library::list(db, "اللائحه الاساسيه").await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(found, [bylaws]);
    assert!(library::list(db, "الزكاة").await.unwrap().is_empty());
    let empty =
        library::create_document(db, LibraryCategory::CharityPolicies, "سياسة العمل الخيري", NOW).await.unwrap();
    let no_versions = library::document(db, empty).await.unwrap().unwrap();
    assert_eq!((no_versions.current, no_versions.version_count), (None, 0));
}

// ---------------------------------------------------------------------------
// The request report (A13, A18)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_report_counts_by_status_channel_kind_and_month_with_time_to_decision() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let officer = create_staff(db, "officer").await;

    // Accepted three days after submission: within the 14-day period.
    let (fast, _) = intake(db, officer, Channel::Phone, &valid_request("1000000008", "0501234561", "rent"), NOW).await;
    to_committee(db, fast, officer, NOW).await;
    let accepted = Decision::Accepted { support: "إيجار شهرين".into() };
    casework::record_decision(
        db,
        RequestId::new(fast),
        StaffId::new(officer),
        &accepted,
        UnixTime::from_seconds(NOW + 3 * DAY),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    // Rejected twenty days after submission: beyond the period.
    let (slow, _) =
        intake(db, officer, Channel::Interview, &valid_request("1000000016", "0501234562", "food_basket"), NOW + 3600)
            .await;
    to_committee(db, slow, officer, NOW + 3600).await;
    let rejected = Decision::Rejected { reason: "الدخل أعلى من الحد".into() };
    casework::record_decision(
        db,
        RequestId::new(slow),
        StaffId::new(officer),
        &rejected,
        UnixTime::from_seconds(NOW + 20 * DAY),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    // December, still waiting: overdue at the report's `now`.
    intake(db, officer, Channel::Phone, &valid_request("1000000024", "0501234563", "rent"), NOW + 15 * DAY).await;
    // December, closed: not overdue.
    let (closed, _) =
        intake(db, officer, Channel::Letter, &valid_request("1000000032", "0501234564", "bills"), NOW + 16 * DAY).await;
    casework::close(
        db,
        RequestId::new(closed),
        StaffId::new(officer),
        "",
        UnixTime::from_seconds(NOW + 16 * DAY + 60),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    // September: before the period, and overdue.
    intake(db, officer, Channel::Website, &valid_request("1000000040", "0501234565", "rent"), NOW - 60 * DAY).await;

    let now = NOW + 40 * DAY;
    let report = reports::request_report(db, Some(NOW), Some(NOW + 30 * DAY), now).await.unwrap();
    let pairs = |list: &[(&str, i64)]| list.iter().map(|(code, n)| (code.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(report.total, 4);
    assert_eq!(report.by_status, pairs(&[("submitted", 1), ("accepted", 1), ("rejected", 1), ("closed", 1)]));
    assert_eq!(report.by_channel, pairs(&[("interview", 1), ("phone", 2), ("letter", 1)]));
    assert_eq!(report.by_month, pairs(&[("2026-11", 2), ("2026-12", 2)]));
    let kinds: Vec<_> =
        report.by_kind.iter().map(|(code, ar, en, n)| (code.as_str(), ar.as_str(), en.as_str(), *n)).collect();
    assert_eq!(
        kinds,
        [
            ("food_basket", "سلة غذائية", "Food basket", 1),
            ("rent", "المساعدة في الإيجار", "Help with rent", 2),
            ("bills", "سداد الفواتير", "Paying bills", 1),
        ]
    );
    assert_eq!(report.decided_count, 2);
    // Three days, and twenty days less an hour: the median is their mean, rounded down.
    let median = (3 * DAY + (20 * DAY - 3600)) / 2;
    assert_eq!(report.median_seconds_to_decision, Some(median));
    assert_eq!(report.median_days_to_decision(), Some(median as f64 / DAY as f64));
    assert_eq!(report.share_decided_within_period_permille, Some(500));
    assert_eq!(report.overdue_now, 1);

    // Without bounds the September request counts too, and the whole is what the queue says is overdue.
    let everything = reports::request_report(db, None, None, now).await.unwrap();
    assert_eq!(everything.total, 5);
    assert_eq!(everything.by_month[0], ("2026-09".to_string(), 1));
    assert_eq!(everything.overdue_now, casework::overdue_count(db, now).await.unwrap());
    assert_eq!(everything.overdue_now, 2);

    // Nothing measured is not 0 % on time.
    let none = reports::request_report(db, Some(NOW + 100 * DAY), None, now).await.unwrap();
    assert_eq!(none, reports::RequestReport::default());
    assert_eq!((none.median_seconds_to_decision, none.share_decided_within_period_permille), (None, None));
}
