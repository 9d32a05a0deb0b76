//! The router's pages, in groups that are each a WASM file of their own with
//! `cargo leptos build --split`: a group is fetched when one of its pages is
//! first shown (the server's page preloads it), so a beneficiary's phone never
//! downloads the staff workspace, and a visitor of the home page not the wizard.
//! Code two groups share goes to a file of its own; the shell (header, footer,
//! consent banner, router, translations) and the first pages a visitor sees
//! (home, sign-in and its code) are in the main file.
//!
//! Groups, not a file per page: every file is a request, and on a phone's
//! network a page of a hundred small files waits longer than one of a few.

use leptos::{lazy, prelude::*};
use leptos_router::LazyRoute;

use crate::{
    complaints::MyComplaintsPage,
    consent::PrivacyChoicesPage,
    inquiries::FaqPage,
    my_data::MyDataPage,
    pages::privacy_policy::PrivacyPolicyPage,
    requests::{my_requests::MyRequestsPage, tracking::TrackingPage, wizard::WizardPage},
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

/// A group of pages loaded together: an enum naming them, one lazy function
/// that shows any of them (`#[lazy]` also makes its `__preload_…` function,
/// named here too), and a lazy route for each page that calls it.
macro_rules! lazy_group {
    ($(#[$doc:meta])* $group:ident, $preload:ident: $kind:ident { $($route:ident => $page:ident,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $kind {
            $($route,)*
        }

        #[lazy]
        fn $group(page: $kind) -> AnyView {
            match page {
                $($kind::$route => view! { <$page/> }.into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    // The loader fetches the group's files with the main one.
                    #[cfg(feature = "ssr")]
                    crate::page_scripts::preload_group(stringify!($group));
                    $group($kind::$route).await
                }

                // The router awaits this before it hydrates the page, so the
                // group's file is there when the page is taken over (otherwise
                // the page would be hydrated as still loading, and mismatch).
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_group! {
    /// The request wizard, alone: the page a beneficiary comes for first, on the
    /// weakest connection, carries none of the pages that follow it.
    wizard_pages, __preload_wizard_pages: WizardGroupPage {
        WizardRoute => WizardPage,
    }
}

lazy_group! {
    /// A beneficiary's own pages after the wizard: their requests, tracking, their data and complaints.
    signed_in_pages, __preload_signed_in_pages: SignedInPage {
        MyRequestsRoute => MyRequestsPage,
        TrackingRoute => TrackingPage,
        MyComplaintsRoute => MyComplaintsPage,
        MyDataRoute => MyDataPage,
    }
}

lazy_group! {
    /// The public pages besides the first ones: the privacy policy, the FAQ, and
    /// the forms anyone may be sent to (surveys, suggestions, violation reports,
    /// volunteering, privacy choices).
    public_pages, __preload_public_pages: PublicPage {
        PrivacyPolicyRoute => PrivacyPolicyPage,
        FaqRoute => FaqPage,
        SurveyThanksRoute => SurveyThanksPage,
        SurveyRoute => SurveyPage,
        SuggestionRoute => SuggestionPage,
        ViolationReportRoute => ViolationReportPage,
        VolunteerRoute => VolunteerPage,
        VolunteerCodeRoute => VolunteerCodePage,
        PrivacyChoicesRoute => PrivacyChoicesPage,
    }
}

lazy_group! {
    /// The staff workspace.
    staff_pages, __preload_staff_pages: StaffPage {
        StaffQueueRoute => StaffQueuePage,
        StaffSignInRoute => StaffSignInPage,
        StaffIntakeRoute => StaffIntakePage,
        StaffCaseRoute => StaffCasePage,
        StaffBeneficiaryRoute => StaffBeneficiaryPage,
        StaffInquiriesRoute => StaffInquiriesPage,
        StaffComplaintsRoute => StaffComplaintsPage,
        StaffLibraryRoute => StaffLibraryPage,
        StaffLibraryDocumentRoute => StaffLibraryDocumentPage,
        StaffReportsRoute => StaffReportsPage,
        StaffAuditRoute => StaffAuditPage,
        StaffPrivacyReportsRoute => StaffPrivacyReportsPage,
        StaffDisclosuresRoute => StaffDisclosuresPage,
        StaffDataRequestsRoute => StaffDataRequestsPage,
        StaffPolicyRoute => StaffPolicyPage,
        StaffNewsRoute => StaffNewsPage,
        StaffSurveysRoute => StaffSurveysPage,
        StaffSurveyBuilderRoute => StaffSurveyBuilderPage,
        StaffSatisfactionRoute => StaffSatisfactionPage,
        StaffImprovementsRoute => StaffImprovementsPage,
        StaffCalendarRoute => StaffCalendarPage,
        StaffFeedbackRoute => StaffFeedbackPage,
        StaffAccountRoute => StaffAccountPage,
        StaffWorkRoute => StaffWorkPage,
        StaffSupportersRoute => StaffSupportersPage,
        StaffSupporterRoute => StaffSupporterPage,
        StaffMembersRoute => StaffMembersPage,
        StaffMemberRoute => StaffMemberPage,
        StaffVolunteersRoute => StaffVolunteersPage,
    }
}
