//! The document shell and the router.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{Meta, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::{
    complaints::MyComplaintsPage,
    components::layout::{SiteFooter, SiteHeader},
    consent::ConsentBanner,
    consent::PrivacyChoicesPage,
    i18n::*,
    inquiries::FaqPage,
    my_data::MyDataPage,
    pages::privacy_policy::PrivacyPolicyPage,
    pages::{home::HomePage, not_found::NotFoundPage},
    preferences::provide_digit_preference,
    requests::{my_requests::MyRequestsPage, tracking::TrackingPage, wizard::WizardPage},
    sign_in::{CodePage, SignInPage},
    staff::{
        account::StaffAccountPage,
        audit::StaffAuditPage,
        beneficiary::StaffBeneficiaryPage,
        calendar::StaffCalendarPage,
        case::StaffCasePage,
        complaints::StaffComplaintsPage,
        feedback::StaffFeedbackPage,
        improvements::StaffImprovementsPage,
        inquiries::StaffInquiriesPage,
        intake::StaffIntakePage,
        library::{StaffLibraryDocumentPage, StaffLibraryPage},
        news::StaffNewsPage,
        policy::StaffPolicyPage,
        privacy::{StaffDataRequestsPage, StaffDisclosuresPage, StaffPrivacyReportsPage},
        queue::StaffQueuePage,
        registers::{
            members::{StaffMemberPage, StaffMembersPage},
            supporters::{StaffSupporterPage, StaffSupportersPage},
        },
        reports::StaffReportsPage,
        satisfaction::StaffSatisfactionPage,
        sign_in::StaffSignInPage,
        surveys::{StaffSurveyBuilderPage, StaffSurveysPage},
        volunteers::StaffVolunteersPage,
        work::StaffWorkPage,
    },
    surveys::{SuggestionPage, SurveyPage, SurveyThanksPage},
    violation_reports::ViolationReportPage,
    volunteers::{VolunteerCodePage, VolunteerPage},
};

/// The HTML document around the app, rendered on the server only.
/// `stylesheet` (content-hashed when the site is) and `assets`, the bundle's file
/// names (see `page_scripts`), are worked out once at start, not per page.
#[cfg(feature = "ssr")]
pub fn shell(stylesheet: std::sync::Arc<str>, assets: crate::page_scripts::PageAssets) -> impl IntoView {
    use crate::page_scripts::PageScripts;
    // Islands: only an `#[island]` is hydrated, and it marks itself as hydrating
    // while it renders. Outside one, a page's data is in its HTML already; sending
    // each resource again as a script cost the phone its bytes and the server its
    // time. (Leptos's `HydrationScripts`, which `PageScripts` replaces, did this.)
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0f5c4d"/>
                <link rel="icon" href="/logo.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=stylesheet/>
                <PageScripts assets/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_digit_preference();
    let digits = crate::preferences::use_digit_style();

    view! {
        // The language cookie is ours (written by the server's preference link and by
        // the language switch), not leptos_i18n's: its cookie hook syncs the value
        // between pages and rewrote it behind the page's back, so a reader's page
        // came back in the other language after a reload.
        <I18nContextProvider enable_cookie=false ssr_lang_header_getter=chosen_language_getter()>
            <TitleTemplate/>
            <Router>
                <SiteHeader/>
                // First on the page, not over it: nothing is hidden until the visitor chooses.
                <ConsentBanner/>
                // Ordered lists number in the digits the visitor chose (the CSS reads this).
                <main id="content" class="page" tabindex="-1" data-digits=move || digits.try_get().unwrap_or_default().as_code()>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                        <Route path=path!("privacy") view=PrivacyPolicyPage ssr=SsrMode::Async/>
                        <Route
                            path=path!("privacy/:version")
                            view=PrivacyPolicyPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("sign-in") view=SignInPage ssr=SsrMode::Async/>
                        <Route path=path!("sign-in/code") view=CodePage ssr=SsrMode::Async/>
                        <Route path=path!("requests") view=MyRequestsPage ssr=SsrMode::Async/>
                        <Route path=path!("requests/new") view=WizardPage ssr=SsrMode::Async/>
                        <Route path=path!("requests/:id") view=TrackingPage ssr=SsrMode::Async/>
                        <Route path=path!("staff") view=StaffQueuePage ssr=SsrMode::Async/>
                        <Route path=path!("staff/sign-in") view=StaffSignInPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/intake") view=StaffIntakePage ssr=SsrMode::Async/>
                        <Route path=path!("staff/requests/:id") view=StaffCasePage ssr=SsrMode::Async/>
                        <Route path=path!("staff/beneficiaries/:id") view=StaffBeneficiaryPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/inquiries") view=StaffInquiriesPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/complaints") view=StaffComplaintsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/library") view=StaffLibraryPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/library/:id") view=StaffLibraryDocumentPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/reports") view=StaffReportsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/audit") view=StaffAuditPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/privacy-reports") view=StaffPrivacyReportsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/disclosures") view=StaffDisclosuresPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/data-requests") view=StaffDataRequestsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/privacy-policy") view=StaffPolicyPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/news") view=StaffNewsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/surveys") view=StaffSurveysPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/surveys/:id") view=StaffSurveyBuilderPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/satisfaction") view=StaffSatisfactionPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/improvements") view=StaffImprovementsPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/calendar") view=StaffCalendarPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/feedback") view=StaffFeedbackPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/account") view=StaffAccountPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/work") view=StaffWorkPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/supporters") view=StaffSupportersPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/supporters/:id") view=StaffSupporterPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/members") view=StaffMembersPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/members/:id") view=StaffMemberPage ssr=SsrMode::Async/>
                        <Route path=path!("staff/volunteers") view=StaffVolunteersPage ssr=SsrMode::Async/>
                        <Route path=path!("survey/thanks") view=SurveyThanksPage ssr=SsrMode::Async/>
                        <Route path=path!("survey/:token") view=SurveyPage ssr=SsrMode::Async/>
                        <Route path=path!("suggestions") view=SuggestionPage/>
                        <Route path=path!("privacy-violation") view=ViolationReportPage ssr=SsrMode::Async/>
                        <Route path=path!("volunteer") view=VolunteerPage ssr=SsrMode::Async/>
                        <Route path=path!("volunteer/code") view=VolunteerCodePage ssr=SsrMode::Async/>
                        <Route path=path!("privacy-choices") view=PrivacyChoicesPage ssr=SsrMode::Async/>
                        <Route path=path!("faq") view=FaqPage ssr=SsrMode::Async/>
                        <Route path=path!("complaints") view=MyComplaintsPage ssr=SsrMode::Async/>
                        <Route path=path!("my-data") view=MyDataPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <SiteFooter/>
            </Router>
        </I18nContextProvider>
    }
}

/// "<page> | عون" in the tab title.
#[component]
fn TitleTemplate() -> impl IntoView {
    let i18n = use_i18n();
    // Plain strings, not signals: leptos_meta reads the title after the page's
    // reactive owner may be gone, and a read of a disposed signal there panicked
    // under load (about one page in a hundred, seen by wrk as dropped connections).
    let app_name = t_string!(i18n, app_name).to_string();
    let description = t_string!(i18n, meta_description).to_string();
    view! {
        <Title formatter=move |page: String| tab_title(format!("{page} | {app_name}"))/>
        <Meta name="description" content=description/>
    }
}

/// leptos_meta writes the `<title>` into the server's page unescaped (a raw-text
/// element, like `<textarea>`), and page titles can come from data (a library
/// document's title): escaped there. The browser sets `document.title` as
/// plain text, so the client keeps it as it is.
fn tab_title(title: String) -> String {
    if cfg!(feature = "ssr") { crate::html::escape(&title) } else { title }
}

/// The language the server renders in: the visitor's choice (the language cookie),
/// else the configured default (Arabic unless the server says otherwise), whatever
/// the browser's Accept-Language says: the association serves Arabic speakers
/// first.
fn chosen_language_getter() -> leptos_i18n::context::UseLocalesOptions {
    #[cfg(feature = "ssr")]
    let tag = use_context::<crate::state::AppContext>()
        .map(|context| crate::preferences::request_language(&context).tag())
        .unwrap_or("ar");
    #[cfg(not(feature = "ssr"))]
    let tag = "ar";
    leptos_i18n::context::UseLocalesOptions::default().ssr_lang_header_getter(move || Some(tag.to_string()))
}
