use awn_storage::privacy_policy::{self, NewPolicyVersion};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_lists_services_steps_and_channels() {
    let app = spawn_app().await;
    let (status, body) = app.page("/").await;
    assert_eq!(status, 200);
    assert!(body.contains("سلة غذائية"), "demo support kinds are listed");
    assert!(body.contains("كيف تقدّم طلب الدعم"));
    for channel in ["المقابلة الشخصية", "الاتصالات الهاتفية", "مناديب المكاتب", "الموقع الإلكتروني للجمعية"]
    {
        assert!(body.contains(channel), "channel {channel}");
    }
    assert!(body.contains("href=\"/privacy\""), "the footer links the privacy policy");
    assert!(body.contains("الجمعية التعاونية متعددة الأغراض بالرهاة"));
    // The way in is the first thing after the lead.
    assert!(body.contains("href=\"/requests/new\"") && body.contains("قدّم طلب دعم"), "{body}");
}

#[tokio::test]
async fn every_page_is_described_and_the_digit_choice_names_what_it_shows() {
    let app = spawn_app().await;
    for (path, language) in [("/", "ar"), ("/privacy", "ar"), ("/sign-in", "en"), ("/staff/sign-in", "ar")] {
        let page = app.get_with_cookie(path, &format!("awn_lang={language}")).await.text().await.expect("a page");
        let page = crate::helpers::readable(&page);
        let description = if language == "ar" { "خدمات المستفيدين" } else { "beneficiary services" };
        assert!(page.contains("<meta name=\"description\"") && page.contains(description), "{path} {language}");
        // aria-pressed belongs to buttons; a link says which is current.
        assert!(!page.contains("aria-pressed"), "{path}");
        assert!(page.contains("aria-current=\"true\""), "the chosen digits are marked: {path}");
        assert!(page.contains("123<span class=\"visually-hidden\">"), "the name starts with what is shown: {path}");
    }
}

#[tokio::test]
async fn the_home_page_says_so_when_no_service_is_published() {
    let app = crate::helpers::spawn_app_with(|s| s.demo_data = false).await;
    let (status, body) = app.page("/").await;
    assert_eq!(status, 200);
    assert!(body.contains("لم تُنشر أنواع الدعم بعد"));
}

#[tokio::test]
async fn the_privacy_policy_shows_its_version_and_date_in_both_calendars() {
    let app = spawn_app().await;
    let (status, body) = app.page("/privacy").await;
    assert_eq!(status, 200);
    assert!(body.contains("الإصدار 1.0"));
    assert!(body.contains("المادة (٤) الإفصاح لطرف ثالث") || body.contains("الإفصاح لطرف ثالث"));
    assert!(body.contains("<time datetime=\""), "Gregorian date");
    assert!(body.contains(" هـ"), "Hijri date");
}

#[tokio::test]
async fn earlier_policy_versions_stay_readable() {
    let app = spawn_app().await;
    privacy_policy::publish(
        &app.database,
        NewPolicyVersion {
            version: "1.1", body_ar: "## نص الإصدار الجديد", body_en: "## New version text"
        },
    )
    .await
    .unwrap();

    let (_, current) = app.page("/privacy").await;
    assert!(current.contains("الإصدار 1.1"));
    assert!(current.contains("نص الإصدار الجديد"));
    assert!(current.contains("href=\"/privacy/1.0\""), "the list links the earlier version");

    let (status, old) = app.page("/privacy/1.0").await;
    assert_eq!(status, 200);
    assert!(old.contains("الإصدار 1.0"));
    assert!(old.contains("تعرض إصدارًا سابقًا"));
}

#[tokio::test]
async fn an_unknown_policy_version_is_a_localized_404() {
    let app = spawn_app().await;
    let (status, body) = app.page("/privacy/9.9").await;
    assert_eq!(status, 404);
    assert!(body.contains("لا يوجد إصدار بهذا الرقم"));
}

#[tokio::test]
async fn an_unknown_page_is_a_localized_404() {
    let app = spawn_app().await;
    let (status, body) = app.page("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("الصفحة غير موجودة"));
    let body = app.page_with_cookie("/no/such/page", "awn_lang=en").await;
    assert!(body.contains("Page not found"));
}

/// Under concurrent load every page is answered whole. leptos_meta reads the
/// `<title>` after the render, when the page's reactive owner may already be
/// gone: a title that read a signal there panicked about once in a hundred
/// pages, and the connection was dropped (wrk's "socket read errors").
#[tokio::test]
async fn every_page_is_answered_whole_under_concurrent_load() {
    let app = spawn_app().await;
    let mut clients = Vec::new();
    for _ in 0..48 {
        let client = app.client.clone();
        let url = app.url("/");
        clients.push(tokio::spawn(async move {
            let mut dropped = 0;
            for _ in 0..16 {
                match client.get(&url).send().await {
                    Ok(response) if response.status() == 200 => match response.text().await {
                        Ok(body) if body.contains("</html>") => {}
                        _ => dropped += 1,
                    },
                    _ => dropped += 1,
                }
            }
            dropped
        }));
    }
    let mut dropped = 0;
    for client in clients {
        dropped += client.await.expect("the client task");
    }
    assert_eq!(dropped, 0, "pages dropped or cut of 768");
}
