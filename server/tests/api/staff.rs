//! The staff workspace over HTTP: sign-in, the privacy-policy gate, the permission
//! matrix enforced by every server function, the audit of reads, and a request's
//! whole path from verification to the service delivered.

use app::{requests::wizard::StepOutcome, staff::intake::IntakeOutcome};
use awn_domain::{
    requests::RequestStatus,
    staff::{Permission, StaffRole, role_allows},
};
use awn_storage::{
    now_unix_seconds, privacy_policy,
    staff::{self, NewStaff},
};
use sqlx::Row;

use crate::helpers::{Browser, TestApp, national_id, spawn_app};

pub(crate) const PASSWORD: &str = "a long staff passphrase";

/// Creates an account of `role` and signs it in; with `accept_policy` it has also
/// accepted the privacy policy in force.
pub(crate) async fn staff_browser(app: &TestApp, role: StaffRole, accept_policy: bool) -> Browser {
    staff_login(app, role, accept_policy).await.browser
}

/// A signed-in staff member, with what they need to confirm a sensitive action.
pub(crate) struct StaffLogin {
    pub browser: Browser,
    pub id: i64,
    pub username: String,
    pub totp_secret: Option<String>,
}

impl StaffLogin {
    /// The step-up fields of a sensitive action's form: the password and, for
    /// an account with a second factor, a code not used yet (the test forgets
    /// the last step used, as the half minute between two actions would).
    pub async fn confirmation(&self, app: &TestApp) -> Vec<(&'static str, String)> {
        let mut args = vec![("confirm_password", PASSWORD.to_owned())];
        if let Some(secret) = &self.totp_secret {
            sqlx::query("UPDATE staff_accounts SET totp_last_step = NULL WHERE id = $1")
                .bind(self.id)
                .execute(app.database.pool())
                .await
                .expect("the last step forgotten");
            args.push(("confirm_code", staff::totp_code_at(secret, now_unix_seconds()).expect("a code")));
        }
        args
    }

    /// Calls `endpoint` with `args` and the step-up fields.
    pub async fn call_confirmed(&self, app: &TestApp, endpoint: &str, args: &[(&str, &str)]) -> (u16, String) {
        let confirmation = self.confirmation(app).await;
        let mut all: Vec<(&str, &str)> = args.to_vec();
        all.extend(confirmation.iter().map(|(k, v)| (*k, v.as_str())));
        self.browser.call(endpoint, &all).await
    }
}

/// [`staff_browser`] keeping the account's name, id and second factor.
pub(crate) async fn staff_login(app: &TestApp, role: StaffRole, accept_policy: bool) -> StaffLogin {
    let username = format!("{}.{}", role.code(), uuid::Uuid::new_v4().simple());
    let created = staff::create(
        &app.database,
        NewStaff { username: &username, display_name: "موظف تجريبي", role, password: PASSWORD },
        now_unix_seconds(),
    )
    .await
    .expect("storage")
    .expect("a valid account");
    let browser = app.browser();
    let code = created.totp_secret.as_deref().and_then(|secret| staff::totp_code_at(secret, now_unix_seconds()));
    let mut args = vec![("username", username.as_str()), ("password", PASSWORD)];
    if let Some(code) = code.as_deref() {
        args.push(("code", code));
    }
    let (status, body) = browser.call("staff/sign_in", &args).await;
    assert_eq!((status, body.as_str()), (200, "null"), "{role:?} signs in");
    if accept_policy {
        let version = privacy_policy::current(&app.database).await.expect("storage").expect("a policy").version;
        let (status, body) = browser.call("staff/accept_policy", &[("version", &version)]).await;
        assert_eq!(status, 200, "{body}");
    }
    StaffLogin { browser, id: created.id, username, totp_secret: created.totp_secret }
}

/// A request submitted online by a beneficiary; returns its id.
pub(crate) async fn submitted_request(app: &TestApp, mobile: &str, id_prefix: &str) -> i64 {
    let beneficiary = app.signed_in(mobile).await;
    let steps: [(&str, Vec<(&str, String)>); 4] = [
        (
            "applicant",
            vec![
                ("full_name", "أحمد عبدالله سعيد القحطاني".into()),
                ("national_id", national_id(id_prefix)),
                ("birth_date", "1985-03-14".into()),
                ("mobile", mobile.into()),
                ("city", "الرهاة".into()),
                ("district", "الحي الشمالي".into()),
            ],
        ),
        (
            "household",
            vec![("household_members", "5".into()), ("monthly_income", "2000".into()), ("housing", "rented".into())],
        ),
        (
            "support",
            vec![("support_kind", "food_basket".into()), ("description", "نحتاج إلى سلة غذائية شهرية.".into())],
        ),
        ("documents", vec![]),
    ];
    for (step, fields) in steps {
        let mut args: Vec<(&str, &str)> = vec![("step", step), ("go", "next")];
        args.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        let (status, body) = beneficiary.call("requests/save_step", &args).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, body) = beneficiary
        .call(
            "requests/save_step",
            &[
                ("step", "declaration"),
                ("go", "submit"),
                ("declaration_accepted", "on"),
                ("signature", "أحمد عبدالله سعيد القحطاني"),
                ("consent_sms", "on"),
            ],
        )
        .await;
    match serde_json::from_str::<StepOutcome>(&body).expect("an outcome") {
        StepOutcome::Submitted { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

pub(crate) async fn status_of(app: &TestApp, id: i64) -> String {
    sqlx::query("SELECT status FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .expect("the request")
        .get("status")
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_right_one_opens_the_workspace() {
    let app = spawn_app().await;
    staff::create(
        &app.database,
        NewStaff {
            username: "Officer.One",
            display_name: "سارة",
            role: StaffRole::RelationsOfficer,
            password: PASSWORD,
        },
        now_unix_seconds(),
    )
    .await
    .unwrap()
    .unwrap();
    let browser = app.browser();
    let (status, body) =
        browser.call("staff/sign_in", &[("username", "officer.one"), ("password", "not the password")]).await;
    assert_eq!((status, body.as_str()), (200, "\"WrongCredentials\""));
    let (status, _) = browser.call("staff/session", &[]).await;
    assert_eq!(status, 401, "not signed in yet");

    let (_, body) = browser.call("staff/sign_in", &[("username", "OFFICER.one"), ("password", PASSWORD)]).await;
    assert_eq!(body, "null");
    let (status, body) = browser.call("staff/session", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("RelationsOfficer") && body.contains("\"policy_accepted\":false"), "{body}");
}

#[tokio::test]
async fn an_admin_signs_in_only_with_the_authenticator_code() {
    let app = spawn_app().await;
    let created = staff::create(
        &app.database,
        NewStaff { username: "admin", display_name: "المدير", role: StaffRole::Admin, password: PASSWORD },
        now_unix_seconds(),
    )
    .await
    .unwrap()
    .unwrap();
    let browser = app.browser();
    let (_, body) = browser.call("staff/sign_in", &[("username", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(body, "\"SecondFactorNeeded\"");
    let (_, body) =
        browser.call("staff/sign_in", &[("username", "admin"), ("password", PASSWORD), ("code", "000000")]).await;
    assert_eq!(body, "\"WrongCredentials\"", "a wrong code says no more than a wrong password");
    let code = staff::totp_code_at(created.totp_secret.as_deref().unwrap(), now_unix_seconds()).unwrap();
    let (_, body) =
        browser.call("staff/sign_in", &[("username", "admin"), ("password", PASSWORD), ("code", &code)]).await;
    assert_eq!(body, "null");
}

#[tokio::test]
async fn personal_data_is_shown_only_after_the_privacy_policy_is_accepted_and_each_read_is_audited() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0502220001", "100000011").await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, false).await;
    let args = [("id", id.to_string()), ("language", "Arabic".to_owned())];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = officer.call("staff/case", &args).await;
    assert_eq!((status, body.as_str()), (403, "\"PolicyNotAccepted\""));
    let audited_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'case.view'")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(audited_before, 0, "nothing was read, nothing is recorded");

    let version = privacy_policy::current(&app.database).await.unwrap().unwrap().version;
    let (status, _) = officer.call("staff/accept_policy", &[("version", &version)]).await;
    assert_eq!(status, 200);
    let (status, body) = officer.call("staff/case", &args).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("أحمد عبدالله سعيد القحطاني"), "{body}");

    let row =
        sqlx::query("SELECT staff_id, beneficiary_id, request_id, reason FROM audit_log WHERE action = 'case.view'")
            .fetch_one(app.database.pool())
            .await
            .expect("the read was audited");
    assert_eq!(row.get::<Option<i64>, _>("request_id"), Some(id));
    assert!(row.get::<Option<i64>, _>("beneficiary_id").is_some());
    assert_eq!(row.get::<String, _>("reason"), "casework");
}

/// A server function's endpoint, the permission it needs and arguments that are
/// harmless when allowed (a request that does not exist, or an empty form).
pub(crate) type StaffCall = (&'static str, Permission, &'static [(&'static str, &'static str)]);

/// A request that does not exist.
const MISSING: (&str, &str) = ("request", "987654");

/// Every staff server function a permission guards: the permission test below
/// calls each as every role. `registry.rs` checks that the server registers no
/// other staff server function (besides [`STAFF_FUNCTIONS_WITHOUT_A_PERMISSION`]).
pub(crate) const STAFF_FUNCTIONS: &[StaffCall] = &[
    ("staff/intake_form", Permission::RecordIntake, &[("language", "Arabic")]),
    ("staff/intake", Permission::RecordIntake, &[("channel", "phone")]),
    ("staff/case", Permission::ViewBeneficiaryFile, &[("id", "987654"), ("language", "Arabic")]),
    ("staff/case/start_verification", Permission::VerifyRequest, &[MISSING]),
    ("staff/case/verify", Permission::VerifyRequest, &[MISSING]),
    ("staff/case/study", Permission::RecordStudy, &[MISSING]),
    ("staff/case/decide", Permission::DecideRequest, &[MISSING]),
    ("staff/case/register", Permission::CompleteRegistration, &[MISSING]),
    ("staff/case/service", Permission::RecordService, &[MISSING]),
    ("staff/case/close", Permission::CloseRequest, &[MISSING]),
    ("staff/case/message", Permission::MessageBeneficiary, &[MISSING]),
    ("staff/case/assign", Permission::AssignRequest, &[MISSING]),
    ("staff/case/duplicate", Permission::ResolveDuplicates, &[MISSING, ("duplicate", "987654"), ("decision", "same")]),
    ("staff/case/household", Permission::EditHousehold, &[MISSING, ("op", "remove"), ("member", "987654")]),
    ("staff/case/extend_decision", Permission::DecideRequest, &[MISSING, ("days", "5"), ("reason", "زيارة ثانية")]),
    ("staff/beneficiary", Permission::ViewBeneficiaryFile, &[("id", "987654"), ("language", "Arabic")]),
    ("staff/beneficiary/complaint", Permission::HandleComplaint, &[("beneficiary", "987654")]),
    ("staff/inquiries", Permission::AnswerInquiry, &[]),
    ("staff/inquiries/record", Permission::AnswerInquiry, &[]),
    ("staff/inquiries/answer", Permission::AnswerInquiry, &[("inquiry", "987654"), ("answer", "نعم")]),
    ("staff/inquiries/publish", Permission::PublishFaq, &[("inquiry", "987654"), ("question", "س"), ("answer", "ج")]),
    ("staff/complaints", Permission::HandleComplaint, &[]),
    ("staff/complaints/review", Permission::HandleComplaint, &[("complaint", "987654")]),
    ("staff/complaints/resolve", Permission::HandleComplaint, &[("complaint", "987654"), ("resolution", "قبول")]),
    ("staff/library", Permission::ViewLibrary, &[]),
    ("staff/library/document", Permission::ViewLibrary, &[("id", "987654")]),
    ("staff/library/create", Permission::ManageLibrary, &[]),
    ("staff/system_alerts", Permission::ManageSettings, &[]),
    ("staff/reports", Permission::ViewReports, &[("language", "Arabic")]),
    ("staff/audit", Permission::ViewAuditLog, &[]),
    ("staff/audit/verify", Permission::ViewAuditLog, &[]),
    ("staff/privacy_reports", Permission::HandlePrivacyReport, &[]),
    ("staff/privacy_reports/record", Permission::HandlePrivacyReport, &[]),
    ("staff/privacy_reports/step", Permission::HandlePrivacyReport, &[("report", "987654"), ("step", "investigate")]),
    ("staff/disclosures", Permission::RecordDisclosure, &[]),
    ("staff/disclosures/record", Permission::RecordDisclosure, &[]),
    ("staff/data_requests", Permission::AnswerDataRequest, &[]),
    (
        "staff/data_requests/answer",
        Permission::AnswerDataRequest,
        &[("request", "987654"), ("decision", "done"), ("outcome", "x")],
    ),
    ("staff/data_requests/erase", Permission::AnswerDataRequest, &[("request", "987654")]),
    ("staff/data_requests/record", Permission::AnswerDataRequest, &[]),
    ("staff/supporters", Permission::ManageSupporters, &[]),
    ("staff/supporters/add", Permission::ManageSupporters, &[]),
    ("staff/supporter", Permission::ManageSupporters, &[("id", "987654")]),
    ("staff/supporters/contribution", Permission::ManageSupporters, &[("supporter", "987654")]),
    ("staff/supporters/consent", Permission::ManageSupporters, &[("supporter", "987654")]),
    ("staff/members", Permission::ManageMembers, &[]),
    ("staff/members/add", Permission::ManageMembers, &[]),
    ("staff/member", Permission::ManageMembers, &[("id", "987654")]),
    ("staff/members/status", Permission::ManageMembers, &[("member", "987654")]),
    (
        "staff/data_requests/extend",
        Permission::AnswerDataRequest,
        &[("request", "987654"), ("days", "10"), ("reason", "سجلات كثيرة")],
    ),
    ("staff/policy", Permission::PublishPrivacyPolicy, &[]),
    ("staff/policy/publish", Permission::PublishPrivacyPolicy, &[]),
    ("staff/news/send", Permission::SendNews, &[]),
    ("staff/news/problem", Permission::SendNews, &[]),
    ("staff/surveys/load", Permission::ManageSurveys, &[]),
    ("staff/surveys/one", Permission::ManageSurveys, &[("survey", "987654")]),
    ("staff/surveys/create", Permission::ManageSurveys, &[]),
    ("staff/surveys/question", Permission::ManageSurveys, &[("survey", "987654")]),
    ("staff/surveys/arrange", Permission::ManageSurveys, &[("survey", "987654"), ("key", "q1"), ("step", "up")]),
    ("staff/surveys/publish", Permission::ManageSurveys, &[("survey", "987654")]),
    ("staff/surveys/use", Permission::ManageSurveys, &[("survey", "987654"), ("in_use", "1")]),
    ("staff/surveys/invite", Permission::InviteToSurvey, &[("beneficiary", "987654")]),
    ("staff/satisfaction", Permission::ViewSatisfaction, &[("language", "Arabic")]),
    ("staff/improvements/load", Permission::ManageImprovements, &[]),
    ("staff/improvements/open", Permission::ManageImprovements, &[]),
    ("staff/improvements/update", Permission::ManageImprovements, &[("action", "987654"), ("status", "done")]),
    ("staff/work", Permission::ViewMyWork, &[]),
    ("staff/work/notices/read", Permission::ViewMyWork, &[("notice", "987654")]),
    ("staff/work/notices/read_all", Permission::ViewMyWork, &[]),
    ("staff/account/reminders/load", Permission::ViewMyWork, &[]),
    ("staff/account/reminders", Permission::ViewMyWork, &[]),
    ("staff/supervisors/set", Permission::ManageStaff, &[("account", "987654")]),
    ("staff/calendar/load", Permission::ManageSettings, &[]),
    ("staff/calendar/holiday", Permission::ManageSettings, &[]),
    ("staff/calendar/proposal", Permission::ManageSettings, &[]),
    ("staff/calendar/remove", Permission::ManageSettings, &[("holiday", "987654")]),
    ("staff/calendar/hours", Permission::ManageSettings, &[]),
    ("staff/calendar/rule", Permission::ManageSettings, &[("rule", "inquiry_answer")]),
    ("staff/volunteers", Permission::ManageVolunteers, &[]),
    ("staff/volunteers/decide", Permission::ManageVolunteers, &[("volunteer", "987654")]),
    ("staff/volunteers/account", Permission::ManageVolunteers, &[("volunteer", "987654")]),
    ("staff/volunteers/hours", Permission::ManageVolunteers, &[("volunteer", "987654")]),
    ("staff/volunteers/consent", Permission::ManageVolunteers, &[("volunteer", "987654")]),
];

/// The staff server functions no permission guards, and why: signing in and out,
/// and what every signed-in staff member does for themselves.
pub(crate) const STAFF_FUNCTIONS_WITHOUT_A_PERMISSION: &[(&str, &str)] = &[
    ("staff/sign_in", "signing in: before any account"),
    ("staff/sign_in_state", "the sign-in page: anyone"),
    ("staff/sign_out", "signing out: anyone"),
    ("staff/session", "any signed-in staff member's own session"),
    ("staff/accept_policy", "any signed-in staff member accepts the privacy policy"),
    ("staff/account/problem", "any signed-in staff member's own password form"),
    ("staff/account/password", "any signed-in staff member changes their own password"),
    ("staff/feedback/load", "any signed-in staff member's suggestions page"),
    ("staff/feedback/suggest", "any signed-in staff member sends a suggestion"),
    ("staff/queue", "every staff member's landing page: rows only for roles that may view the queue (the test below)"),
];

/// `/staff` asks for the queue before it knows the role: a role without the
/// queue is answered with nothing (not a refusal the browser logs as an error),
/// and never with a row.
#[tokio::test]
async fn the_queue_answers_a_role_without_it_with_nothing() {
    let app = spawn_app().await;
    submitted_request(&app, "0502220009", "100000019").await;
    let args = [("language", "Arabic")];
    assert_eq!(app.browser().call("staff/queue", &args).await.0, 401, "signed out");
    for role in StaffRole::ALL {
        let browser = staff_browser(&app, role, true).await;
        let (status, body) = browser.call("staff/queue", &args).await;
        assert_eq!(status, 200, "{role:?}: {body}");
        if role_allows(role, Permission::ViewQueue) {
            assert!(body.contains("AWN-"), "{role:?} sees the queue: {body}");
        } else {
            assert_eq!(body, "null", "{role:?} gets nothing");
        }
    }
}

#[tokio::test]
async fn every_role_is_allowed_or_refused_exactly_as_the_permission_matrix_says() {
    let app = spawn_app().await;
    let signed_out = app.browser();
    for &(endpoint, _, args) in STAFF_FUNCTIONS {
        let (status, _) = signed_out.call(endpoint, args).await;
        assert_eq!(status, 401, "{endpoint} without a staff sign-in");
    }
    let beneficiary = app.signed_in("0502220002").await;
    for &(endpoint, _, args) in STAFF_FUNCTIONS {
        let (status, _) = beneficiary.call(endpoint, args).await;
        assert_eq!(status, 401, "{endpoint} for a beneficiary");
    }
    for role in StaffRole::ALL {
        let browser = staff_browser(&app, role, true).await;
        for &(endpoint, permission, args) in STAFF_FUNCTIONS {
            let (status, body) = browser.call(endpoint, args).await;
            if role_allows(role, permission) {
                assert_ne!(status, 403, "{role:?} may {permission:?} through {endpoint}: {body}");
                assert_ne!(status, 500, "{endpoint}: {body}");
            } else {
                assert_eq!(
                    (status, body.as_str()),
                    (403, "\"Forbidden\""),
                    "{role:?} may not {permission:?} ({endpoint})"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_step_out_of_order_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0502220003", "100000013").await;
    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    let request = id.to_string();
    let (status, body) = committee
        .call("staff/case/decide", &[("request", &request), ("decision", "accept"), ("support", "سلة غذائية")])
        .await;
    assert_eq!((status, body.as_str()), (200, "\"NotNow\""));
    assert_eq!(status_of(&app, id).await, RequestStatus::Submitted.code());

    let (_, body) = committee.call("staff/case/decide", &[("request", &request), ("decision", "reject")]).await;
    assert!(body.contains("Fields") && body.contains("reason"), "a rejection needs its reason: {body}");
}

#[tokio::test]
async fn a_request_goes_from_verification_to_service_and_the_beneficiary_sees_every_step() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0502220004", "100000014").await;
    let request = id.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let researcher = staff_browser(&app, StaffRole::SocialResearcher, true).await;
    let committee = staff_browser(&app, StaffRole::CommitteeMember, true).await;
    let service_officer = staff_browser(&app, StaffRole::ServiceOfficer, true).await;

    type Step<'a> = (&'a Browser, &'a str, Vec<(&'a str, &'a str)>, RequestStatus);
    let steps: Vec<Step> = vec![
        (&officer, "staff/case/start_verification", vec![], RequestStatus::UnderVerification),
        (
            &officer,
            "staff/case/verify",
            vec![
                ("items_provided", "1"),
                ("data_matches_documents", "1"),
                ("documents_valid_on_submission", "1"),
                ("referral_note", "الأسرة تحتاج زيارة ميدانية"),
            ],
            RequestStatus::ReferredToResearch,
        ),
        (
            &researcher,
            "staff/case/study",
            vec![
                ("method", "field_visit"),
                ("findings", "الأسرة من خمسة أفراد ودخلها محدود"),
                ("recommendation", "accept"),
            ],
            RequestStatus::WithCommittee,
        ),
        (
            &committee,
            "staff/case/decide",
            vec![("decision", "accept"), ("support", "سلة غذائية شهرية")],
            RequestStatus::Accepted,
        ),
        (&service_officer, "staff/case/register", vec![], RequestStatus::RegistrationCompleted),
    ];
    for (browser, endpoint, fields, expected) in steps {
        let mut args = vec![("request", request.as_str())];
        args.extend(fields);
        let (status, body) = browser.call(endpoint, &args).await;
        assert_eq!((status, body.as_str()), (200, "null"), "{endpoint}");
        assert_eq!(status_of(&app, id).await, expected.code(), "after {endpoint}");
    }
    let today = {
        let day = awn_domain::calendar::DualDate::from_unix_seconds(now_unix_seconds()).gregorian;
        format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
    };
    let (_, body) = service_officer
        .call(
            "staff/case/service",
            &[
                ("request", &request),
                ("what", "سلة غذائية"),
                ("quantity", "١"),
                ("unit", "سلة"),
                ("delivered_on", &today),
            ],
        )
        .await;
    assert_eq!(body, "null");
    assert_eq!(status_of(&app, id).await, RequestStatus::ServiceDelivered.code());
    let file_number: Option<String> = sqlx::query_scalar("SELECT file_number FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert!(file_number.is_some_and(|n| n.starts_with("BEN-")));

    // The beneficiary sees each step without asking, and was told of each by SMS.
    let events: Vec<String> = sqlx::query_scalar("SELECT status FROM request_events WHERE request_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.database.pool())
        .await
        .unwrap();
    assert_eq!(
        events,
        [
            "submitted",
            "under_verification",
            "referred_to_research",
            "with_committee",
            "accepted",
            "registration_completed",
            "service_delivered"
        ]
    );
    let notices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'status_changed'")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(notices, 6, "one SMS per change, as consented");
}

#[tokio::test]
async fn missing_information_reaches_the_beneficiary_with_the_message() {
    let app = spawn_app().await;
    let id = submitted_request(&app, "0502220005", "100000015").await;
    let request = id.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    officer.call("staff/case/start_verification", &[("request", &request)]).await;
    let (_, body) = officer.call("staff/case/verify", &[("request", &request), ("items_provided", "1")]).await;
    assert!(body.contains("Fields") && body.contains("message"), "an unticked item needs a message: {body}");
    let (_, body) = officer
        .call(
            "staff/case/verify",
            &[("request", &request), ("items_provided", "1"), ("message", "أرفق صورة عقد الإيجار")],
        )
        .await;
    assert_eq!(body, "null");
    assert_eq!(status_of(&app, id).await, RequestStatus::MissingInformation.code());
    // Bodies are encrypted at rest: read through the outbox (newest first).
    let sms: String = awn_storage::outbox::recent(&app.database, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.purpose == "status_changed")
        .map(|m| m.body)
        .unwrap();
    assert!(sms.contains("أرفق صورة عقد الإيجار"), "{sms}");
}

#[tokio::test]
async fn the_workspace_pages_render_on_the_server_and_send_the_signed_out_to_sign_in() {
    let app = spawn_app().await;
    let (status, html) = app.page("/staff/sign-in").await;
    assert_eq!(status, 200);
    assert!(html.contains("دخول منسوبي الجمعية"), "{html}");
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let id = submitted_request(&app, "0502220006", "100000016").await;
    let (status, html) = officer.page("/staff").await;
    assert_eq!(status, 200);
    assert!(html.contains("أحمد عبدالله سعيد القحطاني"), "the queue lists the request: {html}");
    let (status, html) = officer.page(&format!("/staff/requests/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("ابدأ التحقق"), "the next step is offered: {html}");
    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    let (status, _) = volunteer.page(&format!("/staff/requests/{id}")).await;
    assert_eq!(status, 403, "a volunteer never reads a file");
}

/// The intake form filled as a relations officer does for a phone call.
fn phone_intake(mobile: &str, id_number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("channel", "phone".into()),
        ("full_name", "خالد سعيد محمد الغامدي".into()),
        ("national_id", national_id(id_number)),
        ("birth_date", "1979-11-02".into()),
        ("mobile", mobile.into()),
        ("city", "الرهاة".into()),
        ("district", "الحي الغربي".into()),
        ("household_members", "7".into()),
        ("monthly_income", "1800".into()),
        ("housing", "family".into()),
        ("support_kind", "food_basket".into()),
        ("description", "طلب هاتفي: الأسرة تحتاج سلة غذائية.".into()),
        ("declaration_accepted", "on".into()),
        ("signature", "خالد سعيد محمد الغامدي".into()),
        ("consent_sms", "on".into()),
    ]
}

#[tokio::test]
async fn a_phone_request_recorded_by_an_officer_reaches_the_beneficiarys_own_list() {
    let app = spawn_app().await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let mut form = phone_intake("0502220007", "100000017");
    form.retain(|(name, _)| *name != "signature");
    let args: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = officer.call("staff/intake", &args).await;
    assert_eq!(status, 200, "{body}");
    let outcome: IntakeOutcome = serde_json::from_str(&body).unwrap();
    match outcome {
        IntakeOutcome::Invalid { errors, channel_problem, typed, channel } => {
            assert!(errors.iter().any(|e| e.field.code() == "signature"), "{errors:?}");
            assert_eq!(channel_problem, None, "the channel was one of the channels");
            assert_eq!(typed.full_name, "خالد سعيد محمد الغامدي", "what was typed comes back");
            assert_eq!(channel, "phone");
        }
        other => panic!("{other:?}"),
    }

    let form = phone_intake("0502220007", "100000017");
    let args: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, body) = officer.call("staff/intake", &args).await;
    let IntakeOutcome::Recorded { id, reference } = serde_json::from_str(&body).unwrap() else { panic!("{body}") };
    let row = sqlx::query("SELECT channel, intake_staff_id FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("channel"), "phone");
    assert!(row.get::<Option<i64>, _>("intake_staff_id").is_some());

    // The same ID and kind again is refused, whoever records it.
    let (_, body) = officer.call("staff/intake", &args).await;
    assert!(matches!(serde_json::from_str(&body).unwrap(), IntakeOutcome::Duplicate { .. }), "{body}");

    // The beneficiary signs in with that number and finds it, with the receipt sent.
    let beneficiary = app.signed_in("0502220007").await;
    let (_, page) = beneficiary.page("/requests").await;
    assert!(page.contains(&reference), "{page}");
    let receipts = awn_storage::outbox::recent(&app.database, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.purpose == "request_submitted" && m.body.contains(&reference))
        .count();
    assert_eq!(receipts, 1);
}

#[tokio::test]
async fn without_javascript_the_intake_form_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let mut form = phone_intake("0502220008", "100000018");
    form.retain(|(name, _)| *name != "channel");
    let args: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location) = officer.post_form("/api/staff/intake", "/staff/intake", &args).await;
    assert_eq!(status, 302, "back to the form");
    assert!(location.contains("/staff/intake"), "{location}");
    let (status, html) = officer.page("/staff/intake").await;
    assert_eq!(status, 200);
    assert!(html.contains("خالد سعيد محمد الغامدي"), "typed values kept: {html}");
    assert!(html.contains("field-channel-error"), "the channel's problem is shown: {html}");
}
