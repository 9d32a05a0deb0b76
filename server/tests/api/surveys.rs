//! Satisfaction surveys over HTTP (A8, A16, A17, C1–C3): an admin builds and
//! publishes a survey, a delivered service sends its link, the beneficiary
//! answers it without JavaScript once, the link cannot be used again, the
//! tracking page offers the evaluation, and the dashboard shows no figure for
//! fewer than five responses.

use app::forms::{FormProblem, Problem};
use awn_domain::staff::StaffRole;
use awn_storage::now_unix_seconds;

use crate::{
    helpers::{Browser, TestApp, e164, readable, spawn_app},
    staff::{staff_browser, submitted_request},
};

fn problem_of(body: &str) -> Option<FormProblem> {
    serde_json::from_str::<Option<FormProblem>>(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// An admin builds, publishes and puts in use a survey sent after each service.
pub(crate) async fn survey_after_service(app: &TestApp) -> (Browser, i64) {
    let admin = staff_browser(app, StaffRole::Admin, true).await;
    let (_, body) = admin.call("staff/surveys/create", &[("title_ar", "رضاك عن الخدمة"), ("title_en", "")]).await;
    assert_eq!(problem_of(&body).map(|p| (p.field, p.problem)), Some(("title_en".into(), Problem::Required)));
    let (_, body) = admin
        .call(
            "staff/surveys/create",
            &[
                ("title_ar", "رضاك عن الخدمة"),
                ("title_en", "Your satisfaction"),
                ("audience", "service"),
                ("anonymous", "1"),
            ],
        )
        .await;
    assert_eq!(problem_of(&body), None);
    let survey: i64 = sqlx::query_scalar("SELECT id FROM surveys ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let id = survey.to_string();
    // A choice question with options in one language only is refused.
    let (_, body) = admin
        .call(
            "staff/surveys/question",
            &[
                ("survey", &id),
                ("kind", "single"),
                ("prompt_ar", "هل وصلتك الخدمة في موعدها؟"),
                ("prompt_en", "On time?"),
                ("options_ar", "نعم\nلا"),
            ],
        )
        .await;
    assert_eq!(problem_of(&body).map(|p| (p.field, p.problem)), Some(("options_ar".into(), Problem::Invalid)));
    for (kind, ar, en, required) in [
        ("csat", "ما مدى رضاك عن الخدمة؟", "How satisfied are you with the service?", "1"),
        ("text", "ما الذي نحسّنه؟", "What should we improve?", ""),
    ] {
        let mut args = vec![("survey", id.as_str()), ("kind", kind), ("prompt_ar", ar), ("prompt_en", en)];
        if !required.is_empty() {
            args.push(("required", required));
        }
        let (_, body) = admin.call("staff/surveys/question", &args).await;
        assert_eq!(problem_of(&body), None);
    }
    // Not published yet: it cannot be put in use.
    let (_, body) = admin.call("staff/surveys/use", &[("survey", &id), ("in_use", "1")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Invalid));
    let (_, body) = admin.call("staff/surveys/publish", &[("survey", &id)]).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = admin.call("staff/surveys/use", &[("survey", &id), ("in_use", "1")]).await;
    assert_eq!(problem_of(&body), None);
    (admin, survey)
}

/// Takes a submitted request to "service delivered" through the staff's server functions.
pub(crate) async fn deliver_service(app: &TestApp, request: i64) {
    let request = request.to_string();
    let officer = staff_browser(app, StaffRole::RelationsOfficer, true).await;
    let researcher = staff_browser(app, StaffRole::SocialResearcher, true).await;
    let committee = staff_browser(app, StaffRole::CommitteeMember, true).await;
    let service = staff_browser(app, StaffRole::ServiceOfficer, true).await;
    type Step<'a> = (&'a Browser, &'a str, Vec<(&'a str, &'a str)>);
    let steps: Vec<Step> = vec![
        (&officer, "staff/case/start_verification", vec![]),
        (
            &officer,
            "staff/case/verify",
            vec![
                ("items_provided", "1"),
                ("data_matches_documents", "1"),
                ("documents_valid_on_submission", "1"),
                ("referral_note", "زيارة"),
            ],
        ),
        (
            &researcher,
            "staff/case/study",
            vec![("method", "phone_call"), ("findings", "محتاجة"), ("recommendation", "accept")],
        ),
        (&committee, "staff/case/decide", vec![("decision", "accept"), ("support", "سلة غذائية")]),
        (&service, "staff/case/register", vec![]),
    ];
    for (browser, endpoint, fields) in steps {
        let mut args = vec![("request", request.as_str())];
        args.extend(fields);
        let (status, body) = browser.call(endpoint, &args).await;
        assert_eq!((status, body.as_str()), (200, "null"), "{endpoint}");
    }
    let day = awn_domain::calendar::DualDate::from_unix_seconds(now_unix_seconds()).gregorian;
    let today = format!("{:04}-{:02}-{:02}", day.year, day.month, day.day);
    let (_, body) = service
        .call(
            "staff/case/service",
            &[
                ("request", &request),
                ("what", "سلة غذائية"),
                ("quantity", "1"),
                ("unit", "سلة"),
                ("delivered_on", &today),
            ],
        )
        .await;
    assert_eq!(body, "null");
}

/// The survey link in the latest invitation SMS to `mobile`, as a path.
pub(crate) async fn invitation_path(app: &TestApp, mobile: &str) -> String {
    let messages = awn_storage::outbox::recent(&app.database, 200).await.expect("outbox");
    let body = messages
        .iter()
        .find(|m| m.recipient == e164(mobile) && m.purpose == "survey_invitation")
        .map(|m| m.body.clone())
        .expect("an invitation was sent");
    let start = body.find("/survey/").expect("a link");
    body[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_delivered_service_sends_a_link_answered_once_without_javascript_and_anonymously() {
    let app = spawn_app().await;
    survey_after_service(&app).await;
    let mobile = "0503330001";
    let request = submitted_request(&app, mobile, "100000021").await;
    deliver_service(&app, request).await;
    let path = invitation_path(&app, mobile).await;
    let token = path.trim_start_matches("/survey/").to_owned();

    // The link works signed out, on a phone without JavaScript.
    let visitor = app.browser();
    let (status, page) = visitor.page(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("ما مدى رضاك عن الخدمة؟"), "{}", readable(&page));
    assert!(page.contains(&format!("action=\"/survey-answers/{token}\"")), "a plain form");
    let version: i64 = sqlx::query_scalar("SELECT id FROM survey_versions ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let version = version.to_string();
    let action = format!("/survey-answers/{token}");

    // The required question left out: back to the survey with the message, the comment kept.
    let (status, location) =
        visitor.post_form(&action, &path, &[("~version", &version), ("q2", "المواعيد أبكر")]).await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    let (_, page) = visitor.page(&path).await;
    assert!(page.contains("هذا الحقل مطلوب"), "{}", readable(&page));
    assert!(page.contains("المواعيد أبكر"), "what was typed is kept");
    // A score off the scale is refused too.
    let (_, location) = visitor.post_form(&action, &path, &[("~version", &version), ("q1", "9")]).await;
    assert_eq!(location, path);

    let (status, location) =
        visitor.post_form(&action, &path, &[("~version", &version), ("q1", "٥"), ("q2", "المواعيد أبكر")]).await;
    assert_eq!((status, location.as_str()), (303, "/survey/thanks"));
    let (_, thanks) = visitor.page("/survey/thanks").await;
    assert!(thanks.contains("للتحسين لا للمحاسبة"), "{}", readable(&thanks));

    // Single use: a second post is not recorded, and the page says so.
    let (_, location) = visitor.post_form(&action, &path, &[("~version", &version), ("q1", "1")]).await;
    assert_eq!(location, path);
    let (_, page) = visitor.page(&path).await;
    assert!(page.contains("وصلنا تقييمك على هذا الرابط من قبل"), "{}", readable(&page));
    let responses: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses").fetch_one(app.database.pool()).await.unwrap();
    assert_eq!(responses, 1);
    // Anonymous: nothing on the response leads back to the invitation or the person.
    let linked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE invitation_id IS NOT NULL")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(linked, 0);

    // An unknown link says so, and is not a server error.
    let (status, page) = visitor.page("/survey/not-a-real-link").await;
    assert_eq!(status, 200);
    assert!(page.contains("لم نجد هذا الرابط"));
    let (status, location) = visitor.post_form("/survey-answers/not-a-real-link", "/", &[("q1", "5")]).await;
    assert_eq!((status, location.as_str()), (303, "/survey/not-a-real-link"));

    // The tracking page: the request was evaluated already.
    let beneficiary = app.signed_in(mobile).await;
    let (status, location) = beneficiary.post_form(&format!("/requests/{request}/evaluate"), "/requests", &[]).await;
    assert_eq!((status, location.as_str()), (303, format!("/requests/{request}?evaluated=1").as_str()));
}

#[tokio::test]
async fn an_expired_link_is_refused_and_the_tracking_page_offers_a_fresh_one() {
    let app = spawn_app().await;
    survey_after_service(&app).await;
    let mobile = "0503330002";
    let request = submitted_request(&app, mobile, "100000022").await;
    deliver_service(&app, request).await;
    let path = invitation_path(&app, mobile).await;
    sqlx::query("UPDATE survey_invitations SET expires_at = 1").execute(app.database.pool()).await.unwrap();
    let visitor = app.browser();
    let (_, page) = visitor.page(&path).await;
    assert!(page.contains("انتهت صلاحية رابط التقييم"), "{}", readable(&page));

    // Someone else cannot evaluate this request; its owner can, from the tracking page.
    let stranger = app.signed_in("0503330003").await;
    let (_, location) = stranger.post_form(&format!("/requests/{request}/evaluate"), "/requests", &[]).await;
    assert_eq!(location, format!("/requests/{request}"));
    let beneficiary = app.signed_in(mobile).await;
    let (_, tracking) = beneficiary.page(&format!("/requests/{request}")).await;
    assert!(tracking.contains(&format!("/requests/{request}/evaluate")), "the evaluation is offered");
    let (status, location) = beneficiary.post_form(&format!("/requests/{request}/evaluate"), "/requests", &[]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/survey/"), "{location}");
    let (_, page) = beneficiary.page(&location).await;
    assert!(page.contains("ما مدى رضاك عن الخدمة؟"));
}

#[tokio::test]
async fn the_dashboard_shows_no_figure_under_five_responses_and_then_shows_them() {
    let app = spawn_app().await;
    let (admin, survey) = survey_after_service(&app).await;
    let version: i64 = sqlx::query_scalar("SELECT id FROM survey_versions WHERE survey_id = $1")
        .bind(survey)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let now = now_unix_seconds();
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE role = 'admin' LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let answer = |score: u8| vec![("q1".to_string(), awn_domain::surveys::Answer::Score(score))];
    let by_hand = |app: &TestApp| {
        let db = app.database.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO beneficiary_accounts (mobile, language, created_at) VALUES ($1, 'ar', 0) RETURNING id",
            )
            .bind(format!("+9665{}", uuid::Uuid::new_v4().as_u128() % 100_000_000))
            .fetch_one(db.pool())
            .await
            .unwrap()
        }
    };
    let mut tokens = Vec::new();
    for _ in 0..5 {
        let beneficiary = by_hand(&app).await;
        let mut token = String::new();
        awn_storage::surveys::invite_by_hand(&app.database, survey, beneficiary, admin_id, now, |_, invitation| {
            token = invitation.token.clone();
            vec![awn_storage::outbox::NewOutboxMessage {
                channel: awn_storage::outbox::Channel::Sms,
                recipient: "+966500000000".into(),
                subject: String::new(),
                body: "x".into(),
                purpose: "survey_invitation".into(),
            }]
        })
        .await
        .unwrap()
        .unwrap();
        tokens.push(token);
    }
    for (token, score) in tokens.iter().take(4).zip([5, 4, 2, 5]) {
        awn_storage::surveys::respond(&app.database, token, version, &answer(score), now).await.unwrap().unwrap();
    }
    let (status, body) = admin.call("staff/satisfaction", &[("language", "Arabic")]).await;
    assert_eq!(status, 200, "{body}");
    let view: app::staff::satisfaction::SatisfactionView = serde_json::from_str(&body).unwrap();
    assert_eq!(view.overall.responses, 4);
    assert!(!view.overall.shown && view.overall.csat.is_none(), "four responses show no figure");
    let (status, csv) = downloaded(&admin, "/staff/satisfaction.csv").await;
    assert_eq!(status, 200);
    assert!(!csv.contains("75.0%"), "{csv}");

    awn_storage::surveys::respond(&app.database, &tokens[4], version, &answer(1), now).await.unwrap().unwrap();
    let (_, body) = admin.call("staff/satisfaction", &[("language", "English")]).await;
    let view: app::staff::satisfaction::SatisfactionView = serde_json::from_str(&body).unwrap();
    assert!(view.overall.shown);
    assert_eq!(view.overall.csat.as_deref(), Some("60.0%"), "3 of 5 gave 4 or 5");
    assert_eq!(view.overall.rate.as_deref(), Some("100.0%"), "5 of 5 invitations answered");
    let (_, csv) = downloaded(&admin, "/staff/satisfaction.csv").await;
    assert!(csv.contains("60.0%"), "{csv}");

    // A consultant reads the figures but cannot download them; a service officer cannot read them.
    let consultant = staff_browser(&app, StaffRole::Consultant, true).await;
    let (status, _) = consultant.call("staff/satisfaction", &[("language", "Arabic")]).await;
    assert_eq!(status, 200);
    let (status, _) = downloaded(&consultant, "/staff/satisfaction.csv").await;
    assert_eq!(status, 403);
    let service = staff_browser(&app, StaffRole::ServiceOfficer, true).await;
    let (status, _) = service.call("staff/satisfaction", &[("language", "Arabic")]).await;
    assert_eq!(status, 403);
}

/// The status and text of a download.
async fn downloaded(browser: &Browser, path: &str) -> (u16, String) {
    let (status, _, bytes) = browser.download(path).await;
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn an_answered_inquiry_and_a_hand_invitation_send_links_and_anyone_can_suggest() {
    let app = spawn_app().await;
    let (admin, survey) = survey_after_service(&app).await;
    // A second survey, sent after inquiries.
    let (_, body) = admin
        .call(
            "staff/surveys/create",
            &[
                ("title_ar", "هل أفادك الرد؟"),
                ("title_en", "Did our answer help?"),
                ("audience", "inquiry"),
                ("anonymous", "1"),
            ],
        )
        .await;
    assert_eq!(problem_of(&body), None);
    let inquiry_survey: i64 = sqlx::query_scalar("SELECT id FROM surveys ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let id = inquiry_survey.to_string();
    let args = [
        ("survey", id.as_str()),
        ("kind", "nps"),
        ("prompt_ar", "هل ترشحنا؟"),
        ("prompt_en", "Would you recommend us?"),
        ("required", "1"),
    ];
    assert_eq!(problem_of(&admin.call("staff/surveys/question", &args).await.1), None);
    assert_eq!(problem_of(&admin.call("staff/surveys/publish", &[("survey", &id)]).await.1), None);
    assert_eq!(problem_of(&admin.call("staff/surveys/use", &[("survey", &id), ("in_use", "1")]).await.1), None);

    // A question asked online and answered: the asker is invited to rate the answer.
    let visitor = app.browser();
    let (_, body) = visitor.call("inquiries/ask", &[("question", "متى يفتح المكتب؟"), ("mobile", "0503330010")]).await;
    assert_eq!(problem_of(&body), None);
    let inquiry: i64 = sqlx::query_scalar("SELECT id FROM inquiries ORDER BY id DESC LIMIT 1")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, body) = officer
        .call("staff/inquiries/answer", &[("inquiry", &inquiry.to_string()), ("answer", "من الثامنة صباحًا.")])
        .await;
    assert_eq!(problem_of(&body), None);
    let path = invitation_path(&app, "0503330010").await;
    let (_, page) = visitor.page(&path).await;
    assert!(page.contains("هل ترشحنا؟"), "{}", readable(&page));
    let channel: Option<String> = sqlx::query_scalar("SELECT channel FROM survey_invitations WHERE inquiry_id = $1")
        .bind(inquiry)
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(channel.as_deref(), Some("website"));

    // By hand, from the beneficiary's file: only a survey in use is offered.
    let mobile = "0503330011";
    app.signed_in(mobile).await;
    let beneficiary =
        awn_storage::accounts::beneficiary_by_mobile(&app.database, &e164(mobile)).await.unwrap().unwrap();
    let (status, body) =
        officer.call("staff/beneficiary", &[("id", &beneficiary.to_string()), ("language", "Arabic")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("رضاك عن الخدمة") && body.contains("هل أفادك الرد؟"), "{body}");
    let (_, body) = officer.call("staff/surveys/invite", &[("beneficiary", &beneficiary.to_string())]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Required));
    let (_, body) = officer
        .call("staff/surveys/invite", &[("beneficiary", &beneficiary.to_string()), ("survey", &survey.to_string())])
        .await;
    assert_eq!(problem_of(&body), None);
    let path = invitation_path(&app, mobile).await;
    let (_, page) = visitor.page(&path).await;
    assert!(page.contains("ما مدى رضاك عن الخدمة؟"));

    // Suggestions: from a visitor, refused when empty, read by staff without a name.
    let (_, body) = visitor.call("suggestions/send", &[("body", "  ")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Required));
    let (_, body) = visitor.call("suggestions/send", &[("body", "مواعيد مسائية للمراجعين")]).await;
    assert_eq!(problem_of(&body), None);
    let (status, body) = officer.call("staff/improvements/load", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("مواعيد مسائية للمراجعين"), "{body}");
}
