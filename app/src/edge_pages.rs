//! The texts of the few pages the server answers before the app runs: a form
//! sent from another site (refused), a link from another site into the staff
//! workspace (confirmed first), a server too busy, a path that cannot exist.
//! The server (`server/src/security.rs`) puts them in a minimal page.

use awn_domain::locale::Language;

use crate::{i18n::td_string, preferences::locale_of};

/// One small page: a title, a paragraph, and a link to go on with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeText {
    pub title: String,
    pub body: String,
    pub link: String,
}

/// The small pages the edge of the server can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgePage {
    /// A state-changing request from another site (or with no origin at all).
    CrossSiteRefused,
    /// A link from another site to an audited staff page: asked before opening.
    ConfirmStaffLink,
    /// More requests at once than the server takes.
    Busy,
    /// A path no page of the site has.
    NotFound,
}

pub fn edge_text(language: Language, page: EdgePage) -> EdgeText {
    let locale = locale_of(language);
    let (title, body, link) = match page {
        EdgePage::CrossSiteRefused => (
            td_string!(locale, security.cross_site_title),
            td_string!(locale, security.cross_site_body),
            td_string!(locale, security.go_home),
        ),
        EdgePage::ConfirmStaffLink => (
            td_string!(locale, security.confirm_title),
            td_string!(locale, security.confirm_body),
            td_string!(locale, security.confirm_continue),
        ),
        EdgePage::Busy => (
            td_string!(locale, security.busy_title),
            td_string!(locale, security.busy_body),
            td_string!(locale, security.go_home),
        ),
        EdgePage::NotFound => (
            td_string!(locale, not_found.title),
            td_string!(locale, not_found.body),
            td_string!(locale, not_found.go_home),
        ),
    };
    EdgeText { title: title.to_string(), body: body.to_string(), link: link.to_string() }
}
