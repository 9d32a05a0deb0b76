//! Satisfaction surveys (A8, A16, A17, C1–C3): versions, invitations sent with
//! the event that calls for them, single-use expiring links, anonymous
//! responses with no path back to the person, internal surveys, suggestions and
//! improvement actions. Every test runs on a fresh database of the engine under test.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    staff::StaffRole,
    surveys::{Answer, ChoiceOption, INVITATION_LIFETIME_SECONDS, Question, QuestionKind, SurveyAudience},
    workflow::{Decision, ServiceDelivery},
};
use awn_domain::{
    calendar::UnixTime,
    ids::{RequestId, StaffId},
};
use awn_storage::{
    Database, PageRequest, casework, demo,
    improvements::{self, ActionStatus, NewAction, SuggestionSource},
    outbox::{self, NewOutboxMessage},
    requests::NoticeRecipient,
    staff::{self, NewStaff},
    surveys::{
        self, InvitationState, NewInvitation, NewSurvey, RequestEvaluation, ResponseRefusal, ResponseScope,
        SurveyRefusal,
    },
    testing::fresh_database,
};

use super::service_desk::{intake, to_committee, valid_request};

const NOW: i64 = 1_795_000_000; // 2026-11-18, 14:06 in Riyadh
const DAY: i64 = 86_400;

fn no_notice(_: &NoticeRecipient) -> Vec<NewOutboxMessage> {
    Vec::new()
}

/// The invitation SMS, carrying the link; the test reads the token back from it.
fn invitation_sms(recipient: &NoticeRecipient, invitation: &NewInvitation) -> Vec<NewOutboxMessage> {
    vec![NewOutboxMessage {
        channel: outbox::Channel::Sms,
        recipient: recipient.mobile.clone(),
        subject: String::new(),
        body: format!("قيّم الخدمة: /survey/{}", invitation.token),
        purpose: "survey_invitation".into(),
    }]
}

async fn create_staff(db: &Database, username: &str, role: StaffRole) -> i64 {
    let new = NewStaff {
        username, display_name: &format!("موظف {username}"), role, password: "قمر الرهاة يضيء 2026"
    };
    staff::create(db, new, NOW).await.unwrap().expect("created").id
}

fn question(key: &str, kind: QuestionKind, required: bool) -> Question {
    let options = if kind.has_options() {
        vec![ChoiceOption { ar: "نعم".into(), en: "Yes".into() }, ChoiceOption { ar: "لا".into(), en: "No".into() }]
    } else {
        Vec::new()
    };
    Question { key: key.into(), kind, prompt_ar: "سؤال".into(), prompt_en: "Question".into(), required, options }
}

/// A published survey in use; returns (survey id, version id).
async fn survey_in_use(db: &Database, admin: i64, audience: SurveyAudience, anonymous: bool) -> (i64, i64) {
    let new = NewSurvey {
        title_ar: "رضاك عن الخدمة",
        title_en: "Your satisfaction",
        audience,
        evaluated_team: None,
        anonymous,
    };
    let id = surveys::create(db, new, admin, NOW).await.unwrap();
    let questions = vec![
        question("q1", QuestionKind::Satisfaction, true),
        question("q2", QuestionKind::Recommend, false),
        question("q3", QuestionKind::ShortText, false),
    ];
    assert!(surveys::save_draft(db, id, &questions).await.unwrap());
    let version = surveys::publish(db, id, admin, NOW).await.unwrap().unwrap();
    surveys::set_active(db, id, true).await.unwrap().unwrap();
    (id, version)
}

/// A request taken in by phone, accepted and registered; returns (request, beneficiary).
async fn registered_request(db: &Database, officer: i64, national_id: &str, mobile: &str) -> (i64, i64) {
    let (id, beneficiary) = intake(db, officer, Channel::Phone, &valid_request(national_id, mobile, "rent"), NOW).await;
    to_committee(db, id, officer, NOW).await;
    let accepted = Decision::Accepted { support: "إيجار شهرين".into() };
    casework::record_decision(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        &accepted,
        UnixTime::from_seconds(NOW + DAY),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    casework::complete_registration(
        db,
        RequestId::new(id),
        StaffId::new(officer),
        UnixTime::from_seconds(NOW + DAY + 60),
        no_notice,
    )
    .await
    .unwrap()
    .unwrap();
    (id, beneficiary)
}

async fn deliver(db: &Database, request: i64, officer: i64, at: i64) {
    let delivery = ServiceDelivery {
        what: "إيجار شهرين".into(),
        quantity: 1,
        unit: "دفعة".into(),
        delivered_on: CalendarDay { year: 2026, month: 11, day: 20 },
    };
    casework::record_service(
        db,
        RequestId::new(request),
        StaffId::new(officer),
        &delivery,
        UnixTime::from_seconds(at),
        no_notice,
        invitation_sms,
    )
    .await
    .unwrap()
    .unwrap();
}

/// The tokens of the invitation messages queued, oldest first.
async fn sent_tokens(db: &Database) -> Vec<String> {
    let mut messages: Vec<_> =
        outbox::recent(db, 1000).await.unwrap().into_iter().filter(|m| m.purpose == "survey_invitation").collect();
    messages.sort_by_key(|m| m.id);
    messages.iter().map(|m| m.body.rsplit('/').next().unwrap().to_owned()).collect()
}

fn answers(score: u8, comment: &str) -> Vec<(String, Answer)> {
    vec![("q1".into(), Answer::Score(score)), ("q3".into(), Answer::Text(comment.into()))]
}

async fn count(db: &Database, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_service_delivered_sends_a_single_use_link_whose_anonymous_response_leads_to_nobody() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    let (_, version) = survey_in_use(db, admin, SurveyAudience::AfterService, true).await;
    let (request, _) = registered_request(db, officer, "1000000008", "0501234561").await;

    deliver(db, request, officer, NOW + 2 * DAY).await;
    let tokens = sent_tokens(db).await;
    assert_eq!(tokens.len(), 1, "one invitation with the service");
    let token = &tokens[0];
    assert!(matches!(surveys::invitation(db, token, NOW + 3 * DAY).await.unwrap(), InvitationState::Open { .. }));
    // Only the hash is kept: the token itself is nowhere in the database.
    let stored = count(db, &format!("SELECT COUNT(*) FROM survey_invitations WHERE token_hash = '{token}'")).await;
    assert_eq!(stored, 0);

    surveys::respond(db, token, version, &answers(5, "شكراً لكم"), NOW + 3 * DAY).await.unwrap().unwrap();
    // Used: a second answer is refused and writes nothing.
    assert_eq!(
        surveys::respond(db, token, version, &answers(1, "مرة ثانية"), NOW + 3 * DAY).await.unwrap(),
        Err(ResponseRefusal::Used)
    );
    assert_eq!(surveys::invitation(db, token, NOW + 3 * DAY).await.unwrap(), InvitationState::Used);
    assert_eq!(count(db, "SELECT COUNT(*) FROM survey_responses").await, 1);

    // No path back: no invitation id on the response, no time finer than the
    // month, and the invitation row carries no time of use.
    let linked = count(db, "SELECT COUNT(*) FROM survey_responses WHERE invitation_id IS NOT NULL").await;
    assert_eq!(linked, 0);
    let columns: Vec<String> = match db.backend() {
        awn_storage::Backend::Sqlite => sqlx::query_scalar("SELECT name FROM pragma_table_info('survey_responses')")
            .fetch_all(db.pool())
            .await
            .unwrap(),
        awn_storage::Backend::Postgres => sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'survey_responses'",
        )
        .fetch_all(db.pool())
        .await
        .unwrap(),
    };
    for column in &columns {
        assert!(
            !["beneficiary_id", "request_id", "inquiry_id", "created_at", "answered_at", "token_hash"]
                .contains(&column.as_str()),
            "survey_responses.{column} would lead back to the person"
        );
    }
    let invitation_columns =
        count(db, "SELECT COUNT(*) FROM survey_invitations WHERE used = 1 AND expires_at = created_at + 2592000").await;
    assert_eq!(invitation_columns, 1, "using an invitation changes nothing but its flag");

    let cells = surveys::response_cells(db, ResponseScope::default()).await.unwrap();
    assert_eq!(cells.len(), 1);
    assert_eq!((cells[0].month.as_str(), cells[0].responses), ("2026-11", 1));
    assert_eq!(cells[0].satisfaction, vec![5]);
    assert_eq!(cells[0].channel.as_deref(), Some("phone"));
    assert_eq!(cells[0].service_kind.as_deref(), Some("rent"));
    assert_eq!(cells[0].team.as_deref(), Some("service_officer"));
    assert!(cells[0].by_message);
    let comments = surveys::comments(db, ResponseScope::default(), 2, PageRequest::new(1, 10)).await.unwrap();
    assert_eq!(comments.items.iter().map(|c| (c.text.as_str(), c.low)).collect::<Vec<_>>(), [("شكراً لكم", false)]);
    let theirs = ResponseScope { staff_id: Some(officer), ..ResponseScope::default() };
    assert_eq!(surveys::response_cells(db, theirs).await.unwrap()[0].responses, 1, "it names who served");
    assert_eq!(surveys::invitations_by_month(db, None, None, None).await.unwrap(), vec![("2026-11".to_string(), 1)]);
}

/// Whether `secret` can be read from the database without its keys: the raw
/// SQLite file and its WAL as bytes, or every outbox body on PostgreSQL.
async fn readable_in_the_database(test: &awn_storage::testing::TestDatabase, secret: &str) -> bool {
    let db = &test.database;
    match db.backend() {
        awn_storage::Backend::Sqlite => {
            let path = test.url.trim_start_matches("sqlite://").split('?').next().unwrap().to_owned();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
        }
        awn_storage::Backend::Postgres => {
            let bodies: Vec<String> =
                sqlx::query_scalar("SELECT body FROM outbox_messages").fetch_all(db.pool()).await.unwrap();
            bodies.iter().any(|body| body.contains(secret))
        }
    }
}

#[tokio::test]
async fn a_sign_in_code_and_a_survey_link_are_not_kept_in_plain_text_in_the_outbox() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    survey_in_use(db, admin, SurveyAudience::AfterService, true).await;
    let (request, _) = registered_request(db, officer, "1000000008", "0501234561").await;
    deliver(db, request, officer, NOW + 2 * DAY).await;
    let token = sent_tokens(db).await.remove(0);

    let mobile = awn_domain::identity::SaudiMobile::parse("0501234562").unwrap();
    let mut code = String::new();
    let issued = awn_storage::accounts::issue_sign_in_code(db, &mobile, NOW, 0, |sent| {
        code = sent.to_owned();
        vec![NewOutboxMessage {
            channel: outbox::Channel::Sms,
            recipient: mobile.as_e164().to_owned(),
            subject: String::new(),
            body: format!("رمز الدخول إلى عون: {sent}"),
            purpose: "sign_in_code".into(),
        }]
    })
    .await
    .unwrap();
    assert!(matches!(issued, awn_storage::accounts::CodeIssue::Issued(_)));
    // The worker reads both whole…
    let bodies: Vec<String> = outbox::recent(db, 10).await.unwrap().into_iter().map(|m| m.body).collect();
    assert!(bodies.iter().any(|b| b.ends_with(&token)) && bodies.iter().any(|b| b.ends_with(&code)), "{bodies:?}");
    // …the database holds neither in plain text.
    let body_with_code = format!("رمز الدخول إلى عون: {code}");
    assert!(!readable_in_the_database(&test, &token).await, "the survey link's token is in the database");
    assert!(!readable_in_the_database(&test, &body_with_code).await, "the sign-in code is in the database");
}

#[tokio::test]
async fn a_link_expires_and_a_changed_survey_asks_to_reload() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    let (survey, first_version) = survey_in_use(db, admin, SurveyAudience::AfterService, true).await;
    let (request, _) = registered_request(db, officer, "1000000008", "0501234561").await;
    deliver(db, request, officer, NOW + 2 * DAY).await;
    let token = sent_tokens(db).await.remove(0);

    // A new version published meanwhile: the old page's answers are refused.
    let mut questions = surveys::by_id(db, survey).await.unwrap().unwrap().draft;
    questions.push(question("q4", QuestionKind::SingleChoice, false));
    surveys::save_draft(db, survey, &questions).await.unwrap();
    let second_version = surveys::publish(db, survey, admin, NOW + 3 * DAY).await.unwrap().unwrap();
    assert_ne!(first_version, second_version);
    assert_eq!(surveys::publish(db, survey, admin, NOW + 3 * DAY).await.unwrap(), Err(SurveyRefusal::Unchanged));
    assert_eq!(
        surveys::respond(db, &token, first_version, &answers(4, ""), NOW + 4 * DAY).await.unwrap(),
        Err(ResponseRefusal::VersionChanged)
    );

    // Past its lifetime the link is refused, and stays unused.
    let late = NOW + 2 * DAY + INVITATION_LIFETIME_SECONDS + 1;
    assert_eq!(surveys::invitation(db, &token, late).await.unwrap(), InvitationState::Expired);
    assert_eq!(
        surveys::respond(db, &token, second_version, &answers(4, ""), late).await.unwrap(),
        Err(ResponseRefusal::Expired)
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM survey_responses").await, 0);
    assert_eq!(count(db, "SELECT COUNT(*) FROM survey_invitations WHERE used = 1").await, 0);
    assert_eq!(surveys::invitation(db, "not-a-token", NOW).await.unwrap(), InvitationState::Unknown);
}

#[tokio::test]
async fn a_request_is_evaluated_once_whether_from_the_message_or_the_tracking_page() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    let (request, beneficiary) = registered_request(db, officer, "1000000008", "0501234561").await;
    // No survey in use: nothing is sent and nothing is offered.
    deliver(db, request, officer, NOW + 2 * DAY).await;
    assert!(sent_tokens(db).await.is_empty());
    assert_eq!(
        surveys::invitation_for_request(db, beneficiary, request, NOW + 2 * DAY).await.unwrap(),
        RequestEvaluation::NoSurvey
    );

    let (_, version) = survey_in_use(db, admin, SurveyAudience::AfterService, false).await;
    deliver(db, request, officer, NOW + 3 * DAY).await;
    let sent = sent_tokens(db).await.remove(0);
    let RequestEvaluation::Open(from_page) =
        surveys::invitation_for_request(db, beneficiary, request, NOW + 4 * DAY).await.unwrap()
    else {
        panic!("the tracking page offers a link");
    };
    surveys::respond(db, &from_page.token, version, &answers(2, "تأخر التسليم"), NOW + 4 * DAY).await.unwrap().unwrap();
    // The message's link closed with it; the response counts toward the rate.
    assert_eq!(surveys::invitation(db, &sent, NOW + 4 * DAY).await.unwrap(), InvitationState::Used);
    assert!(surveys::request_evaluated(db, request).await.unwrap());
    assert_eq!(
        surveys::invitation_for_request(db, beneficiary, request, NOW + 5 * DAY).await.unwrap(),
        RequestEvaluation::AlreadyAnswered
    );
    let cells = surveys::response_cells(db, ResponseScope::default()).await.unwrap();
    assert!(cells[0].by_message);
    // Not anonymous: this survey said so, and the response keeps its invitation.
    assert_eq!(count(db, "SELECT COUNT(*) FROM survey_responses WHERE invitation_id IS NOT NULL").await, 1);
}

/// The dashboard reads counts kept as each response is recorded, not the
/// responses: the two agree cell by cell, with the scores each cell was given,
/// whatever the scope.
#[tokio::test]
async fn the_dashboards_kept_counts_agree_with_the_responses() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    let (_, version) = survey_in_use(db, admin, SurveyAudience::AfterService, true).await;
    let national_id = |n: u32| {
        (0..10)
            .map(|check| format!("10000{n:04}{check}"))
            .find(|id| awn_domain::identity::NationalId::parse(id).is_ok())
            .unwrap()
    };
    // Five services, answered in two months with scores that repeat.
    for (n, (score, month_offset)) in [(5u8, 0), (4, 0), (4, 0), (1, 40), (4, 40)].into_iter().enumerate() {
        let n = u32::try_from(n).unwrap();
        let (request, _) = registered_request(db, officer, &national_id(n), &format!("05012345{n:02}")).await;
        let at = NOW + 2 * DAY + month_offset * DAY;
        deliver(db, request, officer, at).await;
        let token = sent_tokens(db).await.pop().unwrap();
        surveys::respond(db, &token, version, &answers(score, ""), at + 60).await.unwrap().unwrap();
    }

    let cells = surveys::response_cells(db, ResponseScope::default()).await.unwrap();
    let months: Vec<_> = cells.iter().map(|c| (c.month.as_str(), c.responses, c.satisfaction.clone())).collect();
    assert_eq!(months, [("2026-11", 3, vec![4, 4, 5]), ("2026-12", 2, vec![1, 4])]);
    // What the responses themselves say, counted in the database.
    let counted: Vec<(String, i64)> =
        sqlx::query_as("SELECT month, COUNT(*) FROM survey_responses GROUP BY month ORDER BY month")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        counted,
        cells.iter().map(|c| (c.month.clone(), i64::try_from(c.responses).unwrap())).collect::<Vec<_>>()
    );
    let low: i64 = count(db, "SELECT COUNT(*) FROM survey_answers WHERE kind = 'csat' AND score <= 2").await;
    assert_eq!(low, 1);

    let december = ResponseScope { from: Some("2026-12"), ..ResponseScope::default() };
    assert_eq!(surveys::response_cells(db, december).await.unwrap().len(), 1);
    let theirs = ResponseScope { staff_id: Some(officer), ..ResponseScope::default() };
    let mine: usize = surveys::response_cells(db, theirs).await.unwrap().iter().map(|c| c.responses).sum();
    assert_eq!(mine, 5, "each response names who served");
    let nobody = ResponseScope { staff_id: Some(admin), ..ResponseScope::default() };
    assert!(surveys::response_cells(db, nobody).await.unwrap().is_empty());
    assert_eq!(cells[0].channel.as_deref(), Some("phone"), "a cell's columns come back as the responses hold them");
}

#[tokio::test]
async fn rating_the_service_again_reuses_the_open_invitation_and_renews_its_link() {
    let test = fresh_database().await;
    let db = &test.database;
    demo::seed(db).await.unwrap();
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::ServiceOfficer).await;
    let (request, beneficiary) = registered_request(db, officer, "1000000008", "0501234561").await;
    let (_, version) = survey_in_use(db, admin, SurveyAudience::AfterService, true).await;
    deliver(db, request, officer, NOW + 2 * DAY).await;
    let from_page = "SELECT COUNT(*) FROM survey_invitations WHERE by_message = 0";
    let open = |at: i64| surveys::invitation_for_request(db, beneficiary, request, at);
    let RequestEvaluation::Open(first) = open(NOW + 3 * DAY).await.unwrap() else { panic!("a link") };
    let RequestEvaluation::Open(second) = open(NOW + 3 * DAY + 60).await.unwrap() else { panic!("a link") };
    let RequestEvaluation::Open(third) = open(NOW + 3 * DAY + 120).await.unwrap() else { panic!("a link") };
    // One invitation, however often the button is pressed; the same expiry.
    assert_eq!(count(db, from_page).await, 1);
    assert_eq!((second.expires_at, third.expires_at), (first.expires_at, first.expires_at));
    // Only the newest link opens it (only a hash is kept, so the link is renewed).
    assert_eq!(surveys::invitation(db, &first.token, NOW + 3 * DAY + 180).await.unwrap(), InvitationState::Unknown);
    assert!(matches!(
        surveys::invitation(db, &third.token, NOW + 3 * DAY + 180).await.unwrap(),
        InvitationState::Open { .. }
    ));
    // Once it has expired, the next press makes a fresh one.
    let later = first.expires_at + 1;
    let RequestEvaluation::Open(fresh) = open(later).await.unwrap() else { panic!("a fresh link") };
    assert_eq!(count(db, from_page).await, 2);
    assert!(fresh.expires_at > first.expires_at);
    surveys::respond(db, &fresh.token, version, &answers(5, ""), later).await.unwrap().unwrap();
    assert_eq!(open(later + 60).await.unwrap(), RequestEvaluation::AlreadyAnswered);
}

#[tokio::test]
async fn only_one_automatic_survey_is_in_use_and_an_unpublished_one_cannot_be() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let (first, _) = survey_in_use(db, admin, SurveyAudience::AfterInquiry, true).await;
    let (second, _) = survey_in_use(db, admin, SurveyAudience::AfterInquiry, true).await;
    assert!(!surveys::by_id(db, first).await.unwrap().unwrap().active);
    assert!(surveys::by_id(db, second).await.unwrap().unwrap().active);

    let new = NewSurvey {
        title_ar: "مسودة",
        title_en: "Draft",
        audience: SurveyAudience::ByHand,
        evaluated_team: None,
        anonymous: true,
    };
    let draft = surveys::create(db, new, admin, NOW).await.unwrap();
    assert_eq!(surveys::set_active(db, draft, true).await.unwrap(), Err(SurveyRefusal::NotPublished));
    assert_eq!(surveys::publish(db, draft, admin, NOW).await.unwrap(), Err(SurveyRefusal::NoQuestions));
    assert_eq!(surveys::set_active(db, 9999, true).await.unwrap(), Err(SurveyRefusal::NotFound));
}

#[tokio::test]
async fn staff_answer_an_internal_survey_once_per_version_and_never_about_their_own_team() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await;
    let service = create_staff(db, "service", StaffRole::ServiceOfficer).await;
    let new = NewSurvey {
        title_ar: "خدمة تقنية المعلومات",
        title_en: "IT support",
        audience: SurveyAudience::Internal,
        evaluated_team: Some("service_officer"),
        anonymous: true,
    };
    let survey = surveys::create(db, new, admin, NOW).await.unwrap();
    surveys::save_draft(db, survey, &[question("q1", QuestionKind::Satisfaction, true)]).await.unwrap();
    let version = surveys::publish(db, survey, admin, NOW).await.unwrap().unwrap();
    surveys::set_active(db, survey, true).await.unwrap().unwrap();

    assert!(surveys::internal_surveys(db, service).await.unwrap().is_empty(), "not about one's own team");
    let open = surveys::internal_surveys(db, officer).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(!open[0].answered);
    let answer = vec![("q1".to_string(), Answer::Score(4))];
    surveys::respond_internal(db, survey, version, officer, &answer, NOW).await.unwrap().unwrap();
    assert_eq!(
        surveys::respond_internal(db, survey, version, officer, &answer, NOW).await.unwrap(),
        Err(ResponseRefusal::AlreadyAnswered)
    );
    assert!(surveys::internal_surveys(db, officer).await.unwrap()[0].answered);
    let scope = ResponseScope { survey_id: Some(survey), ..ResponseScope::default() };
    let cells = surveys::response_cells(db, scope).await.unwrap();
    assert_eq!((cells.len(), cells[0].responses), (1, 1));
    assert_eq!(cells[0].team.as_deref(), Some("service_officer"));
    let answerer = ResponseScope { staff_id: Some(officer), ..scope };
    assert!(surveys::response_cells(db, answerer).await.unwrap().is_empty(), "the response does not say who answered");
}

#[tokio::test]
async fn a_suggestion_becomes_an_improvement_action_with_an_owner_due_date_and_status() {
    let test = fresh_database().await;
    let db = &test.database;
    let admin = create_staff(db, "admin", StaffRole::Admin).await;
    let officer = create_staff(db, "officer", StaffRole::RelationsOfficer).await;
    let suggestion =
        improvements::suggest(db, "  مواعيد مسائية للمراجعين ", SuggestionSource::Visitor, NOW).await.unwrap();
    assert!(improvements::suggest(db, "   ", SuggestionSource::Staff(officer), NOW).await.is_err());
    let listed = improvements::suggestions(db, PageRequest::new(1, 10)).await.unwrap().items;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].body, "مواعيد مسائية للمراجعين");

    let new = NewAction {
        title: "فتح المكتب مساء الثلاثاء",
        details: "",
        suggestion_id: Some(suggestion),
        response_id: None,
        owner_id: officer,
        due_on: CalendarDay { year: 2026, month: 12, day: 15 },
    };
    let action = improvements::open_action(db, new.clone(), admin, NOW).await.unwrap();
    assert!(improvements::open_action(db, NewAction { owner_id: 9999, ..new.clone() }, admin, NOW).await.is_err());
    assert!(improvements::open_action(db, NewAction { suggestion_id: Some(9999), ..new }, admin, NOW).await.is_err());
    assert!(
        improvements::update_action(db, action, ActionStatus::Done, "بدأ الدوام المسائي", NOW + DAY).await.unwrap()
    );
    let actions = improvements::actions(db).await.unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].status, ActionStatus::Done);
    assert_eq!(actions[0].due_on, "2026-12-15");
    assert_eq!(actions[0].owner_name, "موظف officer");
    assert_eq!(actions[0].suggestion.as_deref(), Some("مواعيد مسائية للمراجعين"));
    assert_eq!(improvements::suggestions(db, PageRequest::new(1, 10)).await.unwrap().items[0].actions, 1);
}
