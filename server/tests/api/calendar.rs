//! The work calendar admins keep (`/staff/calendar`, issue 14) over HTTP:
//! holidays typed in Hijri, the forms without JavaScript, the refusals in words,
//! and the scheduled work's status.

use awn_domain::{
    calendar::{CalendarDay, gregorian_from_hijri},
    staff::StaffRole,
};
use awn_storage::{clocks, jobs, now_unix_seconds};

use crate::{
    helpers::spawn_app,
    staff::{staff_browser, staff_login},
};

/// 1 Shawwal 1448 (Eid al-Fitr) in Gregorian.
fn eid_1448() -> CalendarDay {
    gregorian_from_hijri(CalendarDay { year: 1448, month: 10, day: 1 }).expect("in the Umm al-Qura tables")
}

fn iso(day: CalendarDay) -> String {
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

#[tokio::test]
async fn an_admin_adds_a_holiday_typed_in_hijri_and_sees_it_in_gregorian_too() {
    let app = spawn_app().await;
    let admin = staff_login(&app, StaffRole::Admin, true).await;
    let holiday = [("kind", "eid_al_fitr"), ("calendar", "hijri"), ("first_day", "١٤٤٨-١٠-٠١"), ("days", "4")];
    let (status, body) = admin.browser.call("staff/calendar/holiday", &holiday).await;
    assert_eq!((status, body.as_str()), (200, "null"), "added");

    let stored = clocks::holidays(&app.database).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].holiday.first_day, eid_1448(), "kept in Gregorian");
    assert_eq!(stored[0].holiday.days, 4);

    let (status, html) = admin.browser.page("/staff/calendar").await;
    assert_eq!(status, 200);
    assert!(html.contains("عيد الفطر"), "{html}");
    assert!(html.contains(&format!("datetime=\"{}\"", iso(eid_1448()))), "the Gregorian day is shown: {html}");
    assert!(html.contains("شوال 1448"), "and the Hijri one: {html}");

    // The same holiday again is refused on its first day.
    let (_, body) = admin.browser.call("staff/calendar/holiday", &holiday).await;
    assert!(body.contains("\"field\":\"first_day\"") && body.contains("\"Duplicate\""), "{body}");

    // Removed, it is gone.
    let id = stored[0].id.to_string();
    let (status, body) = admin.browser.call("staff/calendar/remove", &[("holiday", &id)]).await;
    assert_eq!((status, body.as_str()), (200, "null"));
    assert!(clocks::holidays(&app.database).await.unwrap().is_empty());
    let actions: Vec<String> = awn_storage::audit::search(&app.database, Some(admin.id), None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(actions.contains(&"calendar.holiday_add".to_owned()), "{actions:?}");
    assert!(actions.contains(&"calendar.holiday_remove".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn only_those_who_manage_settings_open_or_change_the_calendar() {
    let app = spawn_app().await;
    let officer = staff_browser(&app, StaffRole::RelationsOfficer, true).await;
    let holiday = [("kind", "national_day"), ("calendar", "gregorian"), ("first_day", "2027-09-23"), ("days", "1")];
    let (status, body) = officer.call("staff/calendar/holiday", &holiday).await;
    assert_eq!((status, body.as_str()), (403, "\"Forbidden\""));
    let (status, _) = officer.call("staff/calendar/load", &[]).await;
    assert_eq!(status, 403);
    let (status, html) = officer.page("/staff").await;
    assert_eq!(status, 200);
    assert!(!html.contains("href=\"/staff/calendar\""), "no link to the calendar for an officer");
    assert!(clocks::holidays(&app.database).await.unwrap().is_empty());

    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (_, html) = admin.page("/staff").await;
    assert!(html.contains("href=\"/staff/calendar\""), "the admin's navigation links the calendar: {html}");
}

#[tokio::test]
async fn an_impossible_hijri_day_is_refused_in_words_with_or_without_javascript() {
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    // No Hijri year has a thirteenth month.
    let bad = [("kind", "eid_al_adha"), ("calendar", "hijri"), ("first_day", "1447-13-09"), ("days", "4")];
    let (status, body) = admin.call("staff/calendar/holiday", &bad).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"field\":\"first_day\"") && body.contains("\"DateInvalid\""), "{body}");

    let (status, location) = admin.post_form("/api/staff/calendar/holiday", "/staff/calendar", &bad).await;
    assert!(matches!(status, 302 | 303) && location.contains("/staff/calendar"), "{status} {location}");
    let (status, html) = admin.page("/staff/calendar").await;
    assert_eq!(status, 200);
    assert!(html.contains("هذا اليوم غير موجود في التقويم المختار"), "the problem in words: {html}");
    assert!(html.contains("1447-13-09"), "what was typed is kept: {html}");
    assert!(clocks::holidays(&app.database).await.unwrap().is_empty());

    // Typed markup comes back as text.
    let markup = [("kind", "other"), ("calendar", "gregorian"), ("first_day", "\"><b>x</b>"), ("days", "1")];
    admin.post_form("/api/staff/calendar/holiday", "/staff/calendar", &markup).await;
    let (_, html) = admin.page("/staff/calendar").await;
    assert!(!html.contains("<b>x</b>") && html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
}

#[tokio::test]
async fn without_javascript_the_forms_post_and_pass_the_cross_site_check() {
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let holiday = [("kind", "founding_day"), ("calendar", "gregorian"), ("first_day", "2027-02-22"), ("days", "1")];
    let (status, location) = admin.post_form("/api/staff/calendar/holiday", "/staff/calendar", &holiday).await;
    assert!(matches!(status, 302 | 303) && location.ends_with("/staff/calendar"), "{status} {location}");
    assert_eq!(clocks::holidays(&app.database).await.unwrap().len(), 1);

    let hours = [("start", "07:30"), ("end", "15:30")];
    let (status, _) = admin.post_form("/api/staff/calendar/hours", "/staff/calendar", &hours).await;
    assert!(matches!(status, 302 | 303));
    let (_, html) = admin.page("/staff/calendar").await;
    assert!(html.contains("value=\"07:30\"") && html.contains("value=\"15:30\""), "{html}");

    // The same form from another site is refused before it reaches the function.
    let response = admin
        .client
        .post(admin.url("/api/staff/calendar/hours"))
        .header("origin", "https://elsewhere.example")
        .header("sec-fetch-site", "cross-site")
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("start=01:00&end=02:00")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(clocks::working_hours(&app.database).await.unwrap().start_minute, 7 * 60 + 30);
}

#[tokio::test]
async fn a_rules_period_out_of_range_is_refused_with_a_message() {
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let too_long = [
        ("rule", "inquiry_answer"),
        ("unit", "working_days"),
        ("period", "400"),
        ("remind_before_hours", "24"),
        ("max_extension", "0"),
    ];
    let (status, body) = admin.call("staff/calendar/rule", &too_long).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"field\":\"period\"") && body.contains("\"OutOfRange\""), "{body}");
    let (status, _) = admin.post_form("/api/staff/calendar/rule", "/staff/calendar", &too_long).await;
    assert!(matches!(status, 302 | 303));
    let (_, html) = admin.page("/staff/calendar").await;
    assert!(html.contains("الرقم خارج الحدود المسموح بها"), "{html}");
    assert!(html.contains("id=\"rule-inquiry_answer-period-error\""), "under the rule's period: {html}");

    let fine = [
        ("rule", "inquiry_answer"),
        ("unit", "working_days"),
        ("period", "٥"),
        ("remind_before_hours", "24"),
        ("max_extension", "0"),
    ];
    let (_, body) = admin.call("staff/calendar/rule", &fine).await;
    assert_eq!(body, "null");
    let settings = clocks::all_rule_settings(&app.database).await.unwrap();
    let inquiry = settings.iter().find(|(rule, _)| rule.code() == "inquiry_answer").unwrap().1;
    assert_eq!(inquiry.period, 5);
}

#[tokio::test]
async fn the_scheduled_work_and_next_years_proposals_are_listed() {
    let app = spawn_app().await;
    let admin = staff_browser(&app, StaffRole::Admin, true).await;
    let (_, html) = admin.page("/staff/calendar").await;
    assert!(html.contains("لم يعمل أي عمل مجدول بعد"), "{html}");
    assert!(html.contains("المتوقع في العام القادم (أم القرى)"), "{html}");
    assert!(html.contains("يوم التأسيس") && html.contains("اليوم الوطني"), "{html}");

    jobs::ensure(&app.database, server::scheduler::DIGEST_JOB, now_unix_seconds() + 3600).await.unwrap();
    let (status, html) = admin.page("/staff/calendar").await;
    assert_eq!(status, 200);
    assert!(html.contains("الأعمال المجدولة") && html.contains("الملخص اليومي للموظفين"), "{html}");
    assert!(html.contains("التشغيل القادم"), "{html}");

    // A proposal confirmed with its button leaves the proposals for the list.
    let year = awn_domain::calendar::DualDate::from_unix_seconds(now_unix_seconds()).gregorian.year + 1;
    let founding = format!("{year}-02-22");
    let (_, body) = admin.call("staff/calendar/proposal", &[("kind", "founding_day"), ("first_day", &founding)]).await;
    assert_eq!(body, "null");
    let (_, body) = admin.call("staff/calendar/proposal", &[("kind", "founding_day"), ("first_day", &founding)]).await;
    assert!(body.contains("\"NotFound\""), "no longer proposed: {body}");
    assert_eq!(clocks::holidays(&app.database).await.unwrap().len(), 1);
}
