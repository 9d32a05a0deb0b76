//! The support-request wizard, submission, tracking and ownership.

use app::requests::wizard::{DuplicateNotice, StepOutcome, WizardState};
use awn_domain::requests::{FieldProblem, RequestStatus, WizardStep};
use sqlx::Row;

use crate::helpers::{Browser, TestApp, national_id, spawn_app};

fn outcome(answer: (u16, String)) -> StepOutcome {
    assert_eq!(answer.0, 200, "{}", answer.1);
    serde_json::from_str(&answer.1).unwrap_or_else(|e| panic!("{e}: {}", answer.1))
}

/// Fills every step of the wizard with valid data and submits it.
pub(crate) async fn submit_request(browser: &Browser, id_number: &str, kind: &str) -> StepOutcome {
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "applicant",
            vec![
                ("full_name", "محمد عبدالله سعيد القحطاني"),
                ("national_id", id_number),
                ("birth_date", "1985-03-14"),
                ("mobile", "0501234567"),
                ("email", "m@example.org"),
                ("city", "الرهاة"),
                ("district", "الحي الشمالي"),
            ],
        ),
        ("household", vec![("household_members", "٦"), ("monthly_income", "3000"), ("housing", "rented")]),
        ("support", vec![("support_kind", kind), ("description", "نحتاج إلى سلة غذائية شهرية للأسرة.")]),
        ("documents", vec![]),
    ];
    for (step, fields) in steps {
        let mut args = vec![("step", step), ("go", "next")];
        args.extend(fields);
        match outcome(browser.call("requests/save_step", &args).await) {
            StepOutcome::Saved { errors, .. } => assert!(errors.is_empty(), "{step}: {errors:?}"),
            other => panic!("{step}: {other:?}"),
        }
    }
    outcome(
        browser
            .call(
                "requests/save_step",
                &[
                    ("step", "declaration"),
                    ("go", "submit"),
                    ("declaration_accepted", "on"),
                    ("signature", "محمد عبدالله سعيد القحطاني"),
                    ("consent_sms", "on"),
                ],
            )
            .await,
    )
}

async fn submitted_id(app: &TestApp, mobile: &str, id_number: &str) -> (Browser, i64, String) {
    let browser = app.signed_in(mobile).await;
    match submit_request(&browser, id_number, "food_basket").await {
        StepOutcome::Submitted { id, reference } => (browser, id, reference),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_request_is_submitted_step_by_step_and_appears_in_my_requests() {
    let app = spawn_app().await;
    let (browser, id, reference) = submitted_id(&app, "0501234567", &national_id("103456789")).await;
    assert!(reference.starts_with("AWN-20"), "{reference}");

    let row = sqlx::query(
        "SELECT status, national_id, household_members, mobile, signature, declaration_version, consent_sms, \
           consent_email, submitted_at, decision_due_at FROM support_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.database.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("status"), "submitted");
    assert_eq!(row.get::<i64, _>("household_members"), 6, "Arabic-Indic digits accepted");
    // Stored encrypted (B11), read back whole with the data keys.
    let stored_mobile = row.get::<String, _>("mobile");
    assert!(stored_mobile.starts_with("enc1:"), "{stored_mobile}");
    let keys = app.database.keys().unwrap();
    assert_eq!(keys.decrypt_text(awn_storage::crypto::REQUEST_MOBILE, &stored_mobile).unwrap(), "+966501234567");
    assert_eq!(row.get::<String, _>("declaration_version"), "1.0");
    assert_eq!(row.get::<i64, _>("consent_sms"), 1);
    assert_eq!(row.get::<i64, _>("consent_email"), 0);
    // The committee's clock: 14 calendar days, to the end of that day (Saudi time).
    let submitted_at = row.get::<i64, _>("submitted_at");
    let last_day = awn_domain::calendar::DualDate::from_unix_seconds(submitted_at + 14 * 86_400).gregorian;
    let end_of_last_day = awn_domain::calendar::start_of_day_unix(last_day) + 86_400 - 1;
    assert_eq!(row.get::<i64, _>("decision_due_at"), end_of_last_day);

    // Bodies are encrypted at rest: read through the outbox.
    let receipt: String = awn_storage::outbox::recent(&app.database, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.purpose == "request_submitted")
        .map(|m| m.body)
        .unwrap();
    assert!(receipt.contains(&reference), "{receipt}");
    assert!(receipt.contains("هـ"), "the decision date in Hijri too: {receipt}");
    let emails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'email'")
        .fetch_one(app.database.pool())
        .await
        .unwrap();
    assert_eq!(emails, 0, "no email without the email consent");

    let (status, list) = browser.page("/requests").await;
    assert_eq!(status, 200);
    assert!(list.contains(&reference), "{list}");
    assert!(list.contains("تم تقديم الطلب"));

    let (status, page) = browser.page(&format!("/requests/{id}?submitted=1")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&reference));
    assert!(page.contains("موعد قرار لجنة البحث"));
    assert!(page.contains("dual-date__hijri"));

    // The draft is gone: a new request starts empty (but with the mobile filled in).
    let (_, body) = browser.call("requests/wizard_state", &[("language", "Arabic")]).await;
    let state: WizardState = serde_json::from_str(&body).unwrap();
    assert_eq!(state.draft.step, WizardStep::Applicant);
    assert!(state.draft.full_name.is_empty());
    assert_eq!(state.draft.mobile, "0501234567");
}

/// Only islands are hydrated: a page's data is in its HTML once, not sent again as
/// a script of serialized resources (bytes a phone on paid data pays for twice).
#[tokio::test]
async fn a_pages_data_is_not_sent_again_as_serialized_resources() {
    let app = spawn_app().await;
    let (browser, id, reference) = submitted_id(&app, "0501234567", &national_id("103456789")).await;
    for path in [format!("/requests/{id}"), "/requests".to_owned(), "/".to_owned(), "/privacy-choices".to_owned()] {
        let (status, page) = browser.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains("__RESOLVED_RESOURCES["), "{path}: {page}");
        if path.starts_with("/requests") {
            assert!(page.contains(&reference), "{path}: {page}");
        }
    }
    // The wizard's islands still carry what they need (their props).
    let (status, wizard) = browser.page("/requests/new").await;
    assert_eq!(status, 200);
    assert!(wizard.contains("<leptos-island"), "{wizard}");
}

#[tokio::test]
async fn a_step_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501234567").await;
    let bad_id = {
        let good = national_id("103456789");
        let last = good.chars().last().unwrap().to_digit(10).unwrap();
        format!("{}{}", &good[..9], (last + 1) % 10)
    };
    let answer = outcome(
        browser
            .call(
                "requests/save_step",
                &[("step", "applicant"), ("go", "next"), ("full_name", "Mohammed"), ("national_id", &bad_id)],
            )
            .await,
    );
    let StepOutcome::Saved { step, errors } = answer else { panic!("{answer:?}") };
    assert_eq!(step, WizardStep::Applicant, "stays on the step");
    let problem = |field: &str| errors.iter().find(|e| e.field.code() == field).map(|e| e.problem);
    assert_eq!(problem("national_id"), Some(FieldProblem::NationalIdCheckDigit));
    assert_eq!(problem("full_name"), Some(FieldProblem::NameNotArabic));
    assert_eq!(problem("city"), Some(FieldProblem::Required));

    let (status, page) = browser.page("/requests/new").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("value=\"{bad_id}\"")), "what was typed is kept");
    assert!(page.contains("رقم الهوية غير صحيح"), "the problem next to the field: {page}");
    assert!(page.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_draft_can_be_finished_on_another_device() {
    let app = spawn_app().await;
    let phone = app.signed_in("0501234567").await;
    phone
        .call(
            "requests/save_step",
            &[("step", "applicant"), ("go", "save"), ("full_name", "محمد عبدالله القحطاني"), ("city", "الرهاة")],
        )
        .await;
    let laptop = app.signed_in("0501234567").await;
    let (_, body) = laptop.call("requests/wizard_state", &[("language", "English")]).await;
    let state: WizardState = serde_json::from_str(&body).unwrap();
    assert_eq!(state.draft.full_name, "محمد عبدالله القحطاني");
    assert_eq!(state.draft.city, "الرهاة");
}

#[tokio::test]
async fn a_second_open_request_of_the_same_kind_is_refused() {
    let app = spawn_app().await;
    let id_number = national_id("112233445");
    let (browser, id, reference) = submitted_id(&app, "0501234567", &id_number).await;
    match submit_request(&browser, &id_number, "food_basket").await {
        StepOutcome::Duplicate(DuplicateNotice::Own { id: open_id, reference: open_reference }) => {
            assert_eq!((open_id, open_reference), (id, reference));
        }
        other => panic!("{other:?}"),
    }
    // Someone else using the same ID number is not refused (it would squat the
    // ID) and learns nothing: staff see a possible duplicate (markup.rs).
    let stranger = app.signed_in("0559998888").await;
    assert!(matches!(submit_request(&stranger, &id_number, "food_basket").await, StepOutcome::Submitted { .. }));
    // Another kind of support is a different request.
    assert!(matches!(submit_request(&browser, &id_number, "rent").await, StepOutcome::Submitted { .. }));
}

#[tokio::test]
async fn another_beneficiarys_request_is_not_found() {
    let app = spawn_app().await;
    let (_owner, id, reference) = submitted_id(&app, "0501234567", &national_id("109876543")).await;
    let other = app.signed_in("0559998888").await;
    let (status, page) = other.page(&format!("/requests/{id}")).await;
    assert_eq!(status, 404);
    assert!(!page.contains(&reference));
    let (status, body) = other.call("requests/tracking", &[("id", &id.to_string()), ("language", "Arabic")]).await;
    assert_eq!(status, 404, "a typed error with its own status");
    assert!(body.contains("NotFound"), "{body}");
    let (_, body) = other.call("requests/send_message", &[("request", &id.to_string()), ("body", "x")]).await;
    assert!(body.contains("NotFound"), "{body}");
    // Signed out: nothing either.
    let (status, body) =
        app.browser().call("requests/tracking", &[("id", &id.to_string()), ("language", "Arabic")]).await;
    assert_eq!(status, 401);
    assert!(body.contains("SignInRequired"), "{body}");
}

#[tokio::test]
async fn every_change_of_state_is_on_the_timeline_and_sent_as_consented() {
    let app = spawn_app().await;
    let (browser, id, _) = submitted_id(&app, "0501234567", &national_id("105555555")).await;
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages").fetch_one(app.database.pool()).await.unwrap();
    let changed = awn_storage::requests::change_status(
        &app.database,
        id,
        RequestStatus::UnderVerification,
        "",
        "staff:test",
        awn_storage::now_unix_seconds(),
        |recipient| app::notices::status_changed(recipient, RequestStatus::UnderVerification, ""),
    )
    .await
    .unwrap();
    assert!(changed.is_ok());
    let refused = awn_storage::requests::change_status(
        &app.database,
        id,
        RequestStatus::Rejected,
        "",
        "staff:test",
        awn_storage::now_unix_seconds(),
        |_| Vec::new(),
    )
    .await
    .unwrap();
    assert!(refused.is_err(), "a rejection needs a reason");

    let after: Vec<String> = awn_storage::outbox::recent(&app.database, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.purpose == "status_changed")
        .map(|m| m.body)
        .collect();
    assert_eq!(after.len(), 1, "one SMS (SMS consent given, no email consent); before: {before}");
    assert!(after[0].contains("قيد التحقق"), "{}", after[0]);

    awn_storage::testing::ask_for_document(&app.database, id, "صورة عقد الإيجار", "staff:test", 1).await.unwrap();
    awn_storage::requests::add_message(&app.database, id, "staff", "نرجو رفع عقد الإيجار.", 2).await.unwrap();
    let (_, page) = browser.page(&format!("/requests/{id}")).await;
    assert!(page.contains("قيد التحقق"));
    assert!(page.contains("صورة عقد الإيجار"), "the document asked for");
    assert!(page.contains("نرجو رفع عقد الإيجار."), "the staff message");

    let (_, body) = browser.call("requests/send_message", &[("request", &id.to_string()), ("body", "  شكرًا  ")]).await;
    assert_eq!(body, "null");
    let (_, body) = browser.call("requests/send_message", &[("request", &id.to_string()), ("body", "   ")]).await;
    assert_eq!(body, "\"Empty\"");
    let (_, page) = browser.page(&format!("/requests/{id}")).await;
    assert!(page.contains("شكرًا"));
}

#[tokio::test]
async fn without_javascript_the_wizard_posts_and_comes_back_to_the_next_step() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501234567").await;
    let (status, location) = browser
        .post_form(
            "/api/requests/save_step",
            "/requests/new",
            &[
                ("step", "household"),
                ("go", "next"),
                ("household_members", "4"),
                ("monthly_income", "0"),
                ("housing", "owned"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert!(location.trim_end_matches('?').ends_with("/requests/new"), "{location}");
    let (_, page) = browser.page("/requests/new").await;
    assert!(page.contains("الخطوة 3 من 5"), "on to the support step: {page}");
}

/// Focus follows a sent step without a script (issue 17): after "Next" the new
/// step's heading has `autofocus`, after mistakes their summary does, and a page
/// arrived at (not sent) takes no focus; "Save" says it saved, once.
#[tokio::test]
async fn after_a_step_is_sent_the_page_says_where_focus_goes() {
    let app = spawn_app().await;
    let browser = app.signed_in("0501234568").await;
    let (_, arrived) = browser.page("/requests/new").await;
    assert!(!arrived.contains("autofocus"), "nothing sent yet: {arrived}");

    let send = |go: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let browser = &browser;
        async move {
            let mut form = vec![("step", "household"), ("go", go)];
            form.extend(fields);
            let (status, _) = browser.post_form("/api/requests/save_step", "/requests/new", &form).await;
            assert_eq!(status, 302);
            browser.page("/requests/new").await.1
        }
    };
    let mistakes = send("next", vec![("household_members", "")]).await;
    assert!(mistakes.contains("id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus"), "{mistakes}");
    assert!(!mistakes.contains("id=\"step-title\" tabindex=\"-1\" autofocus"), "{mistakes}");

    let saved = send("save", vec![("household_members", "4"), ("monthly_income", "0"), ("housing", "owned")]).await;
    assert!(saved.contains("role=\"status\""), "the draft was saved: {saved}");
    let (_, again) = browser.page("/requests/new").await;
    assert!(!again.contains("role=\"status\"") && !again.contains("autofocus"), "said once: {again}");

    let next = send("next", vec![("household_members", "4"), ("monthly_income", "0"), ("housing", "owned")]).await;
    assert!(next.contains("الخطوة 3 من 5"), "{next}");
    assert!(next.contains("id=\"step-title\" tabindex=\"-1\" autofocus"), "{next}");
}
