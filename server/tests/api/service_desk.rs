//! The service desk over HTTP: questions and the public FAQ (A6), complaints and
//! objections (A2), the reference library (A9), reports and their downloads,
//! the beneficiary file and assignment.

use app::forms::{FormProblem, Problem};
use awn_domain::staff::StaffRole;
use sqlx::Row;

use crate::{
    helpers::{TestApp, e164, spawn_app},
    staff::{staff_browser, submitted_request},
};

fn problem_of(body: &str) -> Option<FormProblem> {
    serde_json::from_str::<Option<FormProblem>>(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(app.database.pool())
        .await
        .expect("audit")
        .get("n")
}

async fn messages_to(app: &TestApp, recipient: &str, purpose: &str) -> Vec<String> {
    awn_storage::outbox::recent(&app.database, 200)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == recipient && m.purpose == purpose)
        .map(|m| m.body)
        .collect()
}

async fn only_inquiry_id(app: &TestApp) -> i64 {
    sqlx::query("SELECT id FROM inquiries ORDER BY id DESC")
        .fetch_one(app.database.pool())
        .await
        .expect("an inquiry")
        .get("id")
}

#[tokio::test]
async fn a_question_asked_online_is_answered_once_reaches_the_asker_and_joins_the_searchable_faq() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let question = "هل تقدم الجمعية مساعدة لأسرة لديها فاتورة كهرباء متأخرة؟";

    // No way to send the answer: refused, with what was typed kept.
    let (status, body) = visitor.call("inquiries/ask", &[("question", question)]).await;
    assert_eq!(status, 200, "{body}");
    let problem = problem_of(&body).expect("refused");
    assert_eq!((problem.field.as_str(), problem.problem), ("mobile", Problem::ContactRequired));
    assert_eq!(problem.value("question"), Some(question));
    let (_, body) = visitor.call("inquiries/ask", &[("question", question), ("mobile", "12345")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Invalid));

    let (_, body) = visitor
        .call("inquiries/ask", &[("question", question), ("mobile", "0551234567"), ("asker_name", "سارة")])
        .await;
    assert_eq!(problem_of(&body), None);
    let inquiry = only_inquiry_id(&app).await.to_string();

    // The officer sees it in the inbox (an audited read) and answers.
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let reads = audit_count(&app, "inquiries.view").await;
    let (status, body) = officer.call("staff/inquiries", &[("status", "open")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(question), "{body}");
    assert_eq!(audit_count(&app, "inquiries.view").await, reads + 1);

    let (_, body) = officer.call("staff/inquiries/answer", &[("inquiry", &inquiry), ("answer", "   ")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Required));
    let answer = "نعم، تقدم الجمعية دعمًا لسداد الفواتير بعد دراسة الحالة. قدّم طلب دعم من عون.";
    let (_, body) = officer.call("staff/inquiries/answer", &[("inquiry", &inquiry), ("answer", answer)]).await;
    assert_eq!(problem_of(&body), None);
    let sent = messages_to(&app, &e164("0551234567"), "inquiry_answered").await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains(answer), "{sent:?}");
    assert_eq!(audit_count(&app, "inquiry.answer").await, 1);

    // Answered once: a second answer is refused and nothing more is sent.
    let (_, body) = officer.call("staff/inquiries/answer", &[("inquiry", &inquiry), ("answer", "رد آخر")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::AlreadyDone));
    assert_eq!(messages_to(&app, &e164("0551234567"), "inquiry_answered").await.len(), 1);

    // Published, reworded, it is found however the words are spelled.
    let faq_question = "هل تساعد الجمعية في سداد فاتورة الكهرباء؟";
    let publish = [("inquiry", inquiry.as_str()), ("question", faq_question), ("answer", answer)];
    let (_, body) = officer.call("staff/inquiries/publish", &publish).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = officer.call("staff/inquiries/publish", &publish).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Duplicate));
    let (_, body) = visitor.call("faq", &[("query", "فاتوره الكهرباء"), ("language", "Arabic")]).await;
    assert!(body.contains(faq_question), "{body}");
    let (_, body) = visitor.call("faq", &[("query", "زكاة"), ("language", "Arabic")]).await;
    assert!(!body.contains(faq_question), "{body}");
    // The asker's own words never reach the public page.
    let (status, page) = visitor.page("/faq").await;
    assert_eq!(status, 200);
    assert!(page.contains(faq_question) && !page.contains(question), "{page}");
}

#[tokio::test]
async fn a_question_taken_by_phone_is_linked_to_the_callers_file() {
    let app = spawn_app().await;
    submitted_request(&app, "0553334444", "104455660").await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, body) =
        officer.call("staff/inquiries/record", &[("question", "متى يصدر القرار؟"), ("mobile", "0553334444")]).await;
    assert_eq!(problem_of(&body).map(|p| (p.field, p.problem)), Some(("channel".into(), Problem::Required)));
    let args = [("channel", "phone"), ("question", "متى يصدر القرار؟"), ("mobile", "0553334444"), ("language", "ar")];
    let (_, body) = officer.call("staff/inquiries/record", &args).await;
    assert_eq!(problem_of(&body), None);
    let row = sqlx::query("SELECT channel, beneficiary_id FROM inquiries")
        .fetch_one(app.database.pool())
        .await
        .expect("the inquiry");
    assert_eq!(row.get::<String, _>("channel"), "phone");
    let beneficiary: Option<i64> = row.get("beneficiary_id");
    let beneficiary = beneficiary.expect("linked to the caller's account").to_string();
    let (status, body) = officer.call("staff/beneficiary", &[("id", &beneficiary), ("language", "Arabic")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("متى يصدر القرار؟"), "{body}");
}

#[tokio::test]
async fn an_objection_is_tracked_to_a_resolution_the_beneficiary_reads() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0554445555", "105566770").await.to_string();
    let other = submitted_request(&app, "0556667777", "106677880").await.to_string();
    let beneficiary = app.signed_in("0554445555").await;

    let (_, body) = beneficiary.call("complaints/submit", &[("request", &request), ("body", "")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Required));
    // Someone else's request cannot be named (and is not told apart from none).
    let (_, body) = beneficiary.call("complaints/submit", &[("request", &other), ("body", "اعتراض")]).await;
    assert_eq!(problem_of(&body).map(|p| (p.field, p.problem)), Some(("request".into(), Problem::Invalid)));
    let objection = "أعترض على تأخر دراسة طلبي، فقد أرفقت كل المستندات.";
    let (_, body) = beneficiary.call("complaints/submit", &[("request", &request), ("body", objection)]).await;
    assert_eq!(problem_of(&body), None);

    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (_, body) = officer.call("staff/complaints", &[("status", "open")]).await;
    assert!(body.contains(objection), "{body}");
    let complaint: i64 =
        sqlx::query("SELECT id FROM complaints").fetch_one(app.database.pool()).await.expect("one").get("id");
    let complaint = complaint.to_string();
    let (_, body) = officer.call("staff/complaints/review", &[("complaint", &complaint)]).await;
    assert_eq!(problem_of(&body), None);
    let (_, body) = officer.call("staff/complaints/review", &[("complaint", &complaint)]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::AlreadyDone));
    let (_, body) = officer.call("staff/complaints/resolve", &[("complaint", &complaint), ("resolution", " ")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::Required));
    let resolution = "راجعنا الطلب، وسيُعرض على اللجنة هذا الأسبوع.";
    let (_, body) =
        officer.call("staff/complaints/resolve", &[("complaint", &complaint), ("resolution", resolution)]).await;
    assert_eq!(problem_of(&body), None);

    let (_, body) = beneficiary.call("complaints/mine", &[("language", "Arabic")]).await;
    assert!(body.contains(resolution) && body.contains("Resolved"), "{body}");
    assert_eq!(messages_to(&app, &e164("0554445555"), "complaint_resolved").await.len(), 1);
    let (_, body) =
        officer.call("staff/complaints/resolve", &[("complaint", &complaint), ("resolution", "قرار آخر")]).await;
    assert_eq!(problem_of(&body).map(|p| p.problem), Some(Problem::AlreadyDone));
    assert_eq!(audit_count(&app, "complaint.resolve").await, 1);
}

#[tokio::test]
async fn a_complaint_by_phone_is_recorded_from_the_file_and_the_file_read_is_audited() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0557778888", "107788990").await;
    let beneficiary: i64 = sqlx::query("SELECT beneficiary_id FROM support_requests WHERE id = $1")
        .bind(request)
        .fetch_one(app.database.pool())
        .await
        .expect("the request")
        .get("beneficiary_id");
    let beneficiary = beneficiary.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let (status, body) = officer.call("staff/beneficiary", &[("id", &beneficiary), ("language", "Arabic")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("أحمد عبدالله سعيد القحطاني"), "{body}");
    let row = sqlx::query("SELECT staff_id, beneficiary_id, reason FROM audit_log WHERE action = 'beneficiary.view'")
        .fetch_one(app.database.pool())
        .await
        .expect("the read was audited");
    assert_eq!(row.get::<Option<i64>, _>("beneficiary_id"), Some(beneficiary.parse().expect("an id")));
    assert_eq!(row.get::<String, _>("reason"), "casework");

    let args = [("beneficiary", beneficiary.as_str()), ("channel", "phone"), ("body", "اتصل يشتكي من تأخر الرد")];
    let (_, body) = officer.call("staff/beneficiary/complaint", &args).await;
    assert_eq!(problem_of(&body), None);
    let channel: String =
        sqlx::query("SELECT channel FROM complaints").fetch_one(app.database.pool()).await.expect("one").get("channel");
    assert_eq!(channel, "phone");
    let (status, _) = officer.call("staff/beneficiary", &[("id", "987654"), ("language", "Arabic")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_request_is_assigned_only_to_staff_who_work_the_queue_and_shows_in_their_own_list() {
    let app = spawn_app().await;
    let request = submitted_request(&app, "0558889999", "108899000").await.to_string();
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let researcher = staff_browser(&app, StaffRole::SocialResearcher, true).await;
    let ids: Vec<(i64, String)> = sqlx::query("SELECT id, role FROM staff_accounts")
        .fetch_all(app.database.pool())
        .await
        .expect("accounts")
        .iter()
        .map(|r| (r.get("id"), r.get("role")))
        .collect();
    let researcher_id = ids.iter().find(|(_, role)| role == "social_researcher").expect("the researcher").0.to_string();

    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    drop(volunteer);
    let volunteer_id: i64 = sqlx::query("SELECT id FROM staff_accounts WHERE role = 'volunteer'")
        .fetch_one(app.database.pool())
        .await
        .expect("the volunteer")
        .get("id");
    let (_, body) =
        officer.call("staff/case/assign", &[("request", &request), ("assignee", &volunteer_id.to_string())]).await;
    assert!(body.contains("choice_invalid") || body.contains("ChoiceInvalid"), "{body}");

    let (_, body) = officer.call("staff/case/assign", &[("request", &request), ("assignee", &researcher_id)]).await;
    assert_eq!(body, "null");
    let (_, mine) = researcher.call("staff/queue", &[("mine", "1"), ("language", "Arabic")]).await;
    assert!(mine.contains("أحمد عبدالله سعيد القحطاني"), "{mine}");
    let (_, theirs) = officer.call("staff/queue", &[("mine", "1"), ("language", "Arabic")]).await;
    assert!(!theirs.contains("أحمد عبدالله سعيد القحطاني"), "{theirs}");
    assert_eq!(audit_count(&app, "request.assign").await, 1);
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

#[tokio::test]
async fn library_documents_keep_every_version_and_only_admins_add_them() {
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (_, body) = admin.call("staff/library/create", &[("category", "bylaws")]).await;
    assert_eq!(problem_of(&body).map(|p| (p.field, p.problem)), Some(("title".into(), Problem::Required)));
    let (_, body) = admin.call("staff/library/create", &[("category", "bylaws"), ("title", "اللائحة الأساسية")]).await;
    assert_eq!(problem_of(&body), None);
    let document: i64 =
        sqlx::query("SELECT id FROM library_documents").fetch_one(app.database.pool()).await.expect("one").get("id");
    let action = format!("/staff/library/{document}/versions");
    let back = format!("/staff/library/{document}");

    let (status, location) = admin
        .upload_form(&action, &[("version_label", "١.٠"), ("change_note", "الأولى")], "bylaws.pdf", PDF.to_vec())
        .await;
    assert_eq!((status, location.as_str()), (303, back.as_str()));
    let (_, _) = admin.upload_form(&action, &[("version_label", "2.0")], "bylaws-2.pdf", PDF.to_vec()).await;
    // The same label again, or something that is not a PDF or an image: refused, nothing kept.
    admin.upload_form(&action, &[("version_label", "2.0")], "again.pdf", PDF.to_vec()).await;
    admin.upload_form(&action, &[("version_label", "3.0")], "notes.txt", b"plain text".to_vec()).await;
    let (_, body) = admin.call("staff/library/document", &[("id", &document.to_string())]).await;
    let page: app::staff::library::DocumentPage = serde_json::from_str(&body).expect("the document page");
    let labels: Vec<&str> = page.versions.iter().map(|v| v.label.as_str()).collect();
    // Newest first; the label typed in Arabic digits is kept in ASCII.
    assert_eq!(labels, ["2.0", "1.0"]);
    assert_eq!(page.document.current.as_ref().map(|v| v.label.as_str()), Some("2.0"));

    // Anyone with the library reads every version; a volunteer cannot add one.
    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    let oldest = page.versions.last().expect("the first version").id;
    let (status, content_type, bytes) = volunteer.download(&format!("/staff/library/versions/{oldest}")).await;
    assert_eq!((status, content_type.as_str(), bytes.as_slice()), (200, "application/pdf", PDF));
    let (status, _) = volunteer.upload_form(&action, &[("version_label", "9")], "x.pdf", PDF.to_vec()).await;
    assert_eq!(status, 403);
    let (status, location) = app.browser().upload_form(&action, &[("version_label", "9")], "x.pdf", PDF.to_vec()).await;
    assert_eq!((status, location.as_str()), (303, "/staff/sign-in"));
    let (status, _, _) = app.browser().download(&format!("/staff/library/versions/{oldest}")).await;
    assert_eq!(status, 303);
    let stored: i64 = sqlx::query("SELECT COUNT(*) AS n FROM library_versions")
        .fetch_one(app.database.pool())
        .await
        .expect("count")
        .get("n");
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn reports_count_requests_and_download_as_csv_and_xlsx_for_those_allowed() {
    let app = spawn_app().await;
    submitted_request(&app, "0559990000", "109900110").await;
    submitted_request(&app, "0559990001", "109900220").await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (status, body) = admin.call("staff/reports", &[("language", "English")]).await;
    assert_eq!(status, 200, "{body}");
    let report: app::staff::reports::ReportView = serde_json::from_str(&body).expect("a report");
    assert_eq!(report.summary[0].1, "2", "{report:?}");
    let by_channel = report.sections.iter().find(|s| s.title == "By channel").expect("channels");
    assert_eq!(by_channel.rows, [("The association's website".to_owned(), 2)]);

    let (_, body) = admin.call("staff/reports", &[("from", "2026-13"), ("language", "English")]).await;
    let report: app::staff::reports::ReportView = serde_json::from_str(&body).expect("a report");
    assert_eq!(report.invalid, ["from"]);
    // A span with no requests.
    let (_, body) =
        admin.call("staff/reports", &[("from", "2001-01"), ("to", "2001-12"), ("language", "English")]).await;
    let report: app::staff::reports::ReportView = serde_json::from_str(&body).expect("a report");
    assert_eq!(report.summary[0].1, "0");

    let (status, content_type, csv) = admin.download("/staff/reports/requests.csv").await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let text = String::from_utf8(csv).expect("UTF-8");
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    // The figures' lines are padded to the width of the deadlines' table.
    assert!(text.lines().any(|line| line.trim_end_matches(',').ends_with(",2") && line.contains("الموقع")), "{text}");
    let (status, content_type, xlsx) = admin.download("/staff/reports/requests.xlsx?from=2026-01").await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    assert!(xlsx.starts_with(b"PK"), "a zip container");

    // A consultant reads the figures but does not download them; a volunteer neither.
    let consultant = staff_browser(&app, StaffRole::Consultant, true).await;
    assert_eq!(consultant.call("staff/reports", &[("language", "Arabic")]).await.0, 200);
    assert_eq!(consultant.download("/staff/reports/requests.csv").await.0, 403);
    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    assert_eq!(volunteer.download("/staff/reports/requests.xlsx").await.0, 403);
}

/// A clock of `rule` about `subject`, started at `started`, due at `due`, met
/// at `met` (or left running), answered for by `staff_id`.
async fn deadline_clock(
    app: &TestApp,
    rule: awn_domain::deadlines::ClockRule,
    subject: awn_storage::clocks::Subject,
    (started, due, met): (i64, i64, Option<i64>),
    staff_id: i64,
) {
    use awn_domain::{calendar::UnixTime, deadlines::ClockEvent};
    use awn_storage::clocks::{self, EventNote};
    let mut tx = app.database.begin_write().await.expect("a transaction");
    let (started, due) = (UnixTime::from_seconds(started), Some(UnixTime::from_seconds(due)));
    clocks::start_in(&mut tx, rule, subject, started, Some(staff_id), due).await.expect("started");
    if let Some(at) = met {
        let met = ClockEvent::Met { at: UnixTime::from_seconds(at) };
        clocks::record_in(&mut tx, rule, subject, met, EventNote::default()).await.expect("met");
    }
    tx.commit().await.expect("committed");
}

#[tokio::test]
async fn reports_show_the_deadlines_kept_by_rule_and_month_and_download_them_without_naming_staff() {
    use awn_domain::{
        calendar::{CalendarDay, start_of_day_unix},
        deadlines::{ClockRule, SubjectKind},
    };
    use awn_storage::clocks::Subject;
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    // Nothing done yet: the table says so.
    let (status, page) = admin.page("/staff/reports").await;
    assert_eq!(status, 200);
    assert!(page.contains("الالتزام بالمهل") && page.contains("لم يُنجز في هذه المدة شيء له مهلة."), "{page}");

    let name = "سلمى الحارثية";
    let new = awn_storage::staff::NewStaff {
        username: "salma.h",
        display_name: name,
        role: StaffRole::RelationsOfficer,
        password: "a long staff passphrase",
    };
    let officer = awn_storage::staff::create(&app.database, new, 0).await.expect("storage").expect("created").id;
    let day = |month: u8, day: u8| start_of_day_unix(CalendarDay { year: 2025, month, day });
    let inquiry = |id| Subject { kind: SubjectKind::Inquiry, id };
    let answer = ClockRule::InquiryAnswer;
    // March: answered on time; April: answered late.
    deadline_clock(&app, answer, inquiry(1), (day(3, 1), day(3, 5), Some(day(3, 3))), officer).await;
    deadline_clock(&app, answer, inquiry(2), (day(4, 1), day(4, 5), Some(day(4, 9))), officer).await;
    // A complaint past its deadline now, not yet resolved.
    let now = awn_storage::now_unix_seconds();
    let complaint = Subject { kind: SubjectKind::Complaint, id: 3 };
    let late = (now - 20 * 86_400, now - 3 * 86_400, None);
    deadline_clock(&app, ClockRule::ComplaintResolution, complaint, late, officer).await;

    let (_, page) = admin.page("/staff/reports").await;
    assert!(page.contains("الالتزام بالمهل") && page.contains("الرد الأول على الاستفسار"), "{page}");
    assert!(page.contains("1 / 1 (100%)") && page.contains("0 / 1 (0%)"), "{page}");
    assert!(page.contains("2025-03") && page.contains("2025-04") && page.contains("متأخر الآن"), "{page}");
    assert!(!page.contains("لم يُنجز في هذه المدة"), "{page}");

    let (_, body) = admin.call("staff/reports", &[("from", "2025-04"), ("language", "English")]).await;
    let report: app::staff::reports::ReportView = serde_json::from_str(&body).expect("a report");
    let figures = &report.deadlines;
    assert_eq!(figures.months, ["2025-04"], "{figures:?}");
    let rules: Vec<_> = figures.rows.iter().map(|row| (row.name.as_str(), row.late_now)).collect();
    assert_eq!(rules, [("Resolving a complaint or objection", 1), ("First answer to an inquiry", 0)]);
    assert_eq!(figures.rows[1].cells[0].percent, Some(0));

    let (status, _, csv) = admin.download("/staff/reports/requests.csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(csv).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    // One width throughout: a strict reader takes every line.
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert!(reader.records().all(|record| record.is_ok_and(|record| record.len() == 7)), "{text}");
    for line in [
        "الالتزام بالمهل,الشهر,رمز المهلة,المهلة,أُنجز,في موعده,النسبة (%)",
        "الالتزام بالمهل,2025-03,inquiry_answer,الرد الأول على الاستفسار,1,1,100",
        "الالتزام بالمهل,2025-04,inquiry_answer,الرد الأول على الاستفسار,1,0,0",
        "الالتزام بالمهل: متأخر الآن,حل الشكوى أو الاعتراض,1,,,,",
    ] {
        assert!(lines.contains(&line), "{line} in {text}");
    }
    let (status, _, xlsx) = admin.download("/staff/reports/requests.xlsx").await;
    assert_eq!(status, 200);
    assert!(xlsx.starts_with(b"PK"), "a zip container");
    for shown in [page.as_str(), body.as_str(), text.as_str()] {
        assert!(!shown.contains(name) && !shown.contains("salma.h"), "no member of staff is named");
    }
}

#[tokio::test]
async fn without_javascript_a_refused_question_comes_back_with_its_message_and_text() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let question = "كيف أحدّث رقم جوالي؟";
    let (status, location) = visitor.post_form("/api/inquiries/ask", "/faq", &[("question", question)]).await;
    assert_eq!(status, 302);
    assert!(location.contains("/faq"), "{location}");
    let (_, page) = visitor.page("/faq").await;
    assert!(page.contains("أدخل رقم جوال أو بريدًا إلكترونيًا"), "{page}");
    assert!(page.contains(question), "{page}");
    // The message is shown once.
    let (_, page) = visitor.page("/faq").await;
    assert!(!page.contains("أدخل رقم جوال أو بريدًا إلكترونيًا"), "{page}");
}

#[tokio::test]
async fn a_volunteer_lands_on_a_workspace_page_with_what_their_role_allows() {
    let app = spawn_app().await;
    let volunteer = staff_browser(&app, StaffRole::Volunteer, true).await;
    let (status, page) = volunteer.page("/staff").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("مساحة العمل") && page.contains("/staff/library") && page.contains("/staff/intake"),
        "{page}"
    );
    assert!(!page.contains("/staff/reports"), "{page}");
}
