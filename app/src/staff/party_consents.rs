//! A supporter's or a volunteer's entries in the consent register (B9), as
//! staff see them on their page: what, given or withdrawn, when, how and by whom.

use awn_domain::consent::ConsentKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{components::dates::DualDateText, i18n::*, my_data::consent_kind_text};

/// The news consents staff record for a supporter or a volunteer.
pub const NEWS_KINDS: [ConsentKind; 2] = [ConsentKind::NewsBySms, ConsentKind::NewsByEmail];

/// One entry of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyConsentLine {
    pub kind: ConsentKind,
    pub granted: bool,
    pub method: String,
    /// The staff member who recorded it; none when the person gave it online.
    pub by: Option<String>,
    pub at: i64,
}

#[cfg(feature = "ssr")]
impl From<&awn_storage::consent::ConsentEntry> for PartyConsentLine {
    fn from(entry: &awn_storage::consent::ConsentEntry) -> Self {
        PartyConsentLine {
            kind: entry.kind,
            granted: entry.granted,
            method: entry.method.clone(),
            by: entry.recorded_by_name.clone(),
            at: entry.created_at,
        }
    }
}

/// Whether the newest entry of `kind` (entries newest first) is a grant.
pub fn in_force(entries: &[PartyConsentLine], kind: ConsentKind) -> bool {
    entries.iter().find(|entry| entry.kind == kind).is_some_and(|entry| entry.granted)
}

/// How a consent was given or withdrawn, in words.
pub fn method_text(locale: Locale, method: &str) -> String {
    match method {
        "online" => td_string!(locale, party_consents.method_online).to_string(),
        "staff" => td_string!(locale, party_consents.method_staff).to_string(),
        "signed_form" => td_string!(locale, party_consents.method_signed_form).to_string(),
        "erasure" => td_string!(locale, party_consents.method_erasure).to_string(),
        other => other.to_owned(),
    }
}

/// The register's entries, newest first, or a line saying there are none.
#[component]
pub fn ConsentEntries(entries: Vec<PartyConsentLine>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    if entries.is_empty() {
        return view! { <p>{t!(i18n, party_consents.none)}</p> }.into_any();
    }
    view! {
        <ul class="records party-consents">
            {entries.into_iter().map(|entry| view! {
                <li class="records__item">
                    {consent_kind_text(locale, entry.kind)} ": "
                    <strong>{if entry.granted { t_string!(i18n, my_data.given) } else { t_string!(i18n, my_data.withdrawn) }}</strong>
                    <span class="records__meta">
                        " · " <DualDateText unix_seconds=entry.at/>
                        " · " {method_text(locale, &entry.method)}
                        {entry.by.map(|name| view! { " · " {t!(i18n, party_consents.recorded_by)} " " {name} })}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
