//! Consent (B6, B7, B9, B10): what a website visitor allowed, kept in a cookie
//! that is set only once they choose, and the kinds of consent a beneficiary
//! gives or withdraws in the consent register.

use serde::{Deserialize, Serialize};

/// The cookie holding a visitor's choice; no other non-essential cookie exists.
pub const VISITOR_CONSENT_COOKIE: &str = "awn_consent";

/// A visitor's choice among the categories beyond the strictly necessary ones
/// (which need no consent: the session, the language and digit choices, the
/// form messages, and this choice itself).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorChoice {
    /// Counting page views for the site's statistics.
    pub analytics: bool,
    /// Being contacted about the association's news and events.
    pub communications: bool,
}

impl VisitorChoice {
    pub const ALL: VisitorChoice = VisitorChoice { analytics: true, communications: true };
    pub const NONE: VisitorChoice = VisitorChoice { analytics: false, communications: false };
}

crate::code_table! {
    /// How the choice was made, kept with the record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ConsentMethod {
        AcceptAll = "accept_all",
        RejectAll = "reject_all",
        Custom = "custom",
    }
}

/// The choice a form sends: the button pressed and, for "save my choices", the boxes ticked.
pub fn choice_from_form(method: ConsentMethod, analytics: bool, communications: bool) -> VisitorChoice {
    match method {
        ConsentMethod::AcceptAll => VisitorChoice::ALL,
        ConsentMethod::RejectAll => VisitorChoice::NONE,
        ConsentMethod::Custom => VisitorChoice { analytics, communications },
    }
}

/// The cookie's value: "v1.<visitor id>.<a><c>" with each flag 0 or 1. The id is
/// random and names no one; it ties the visitor's later changes to their records.
pub fn encode_cookie(visitor_id: &str, choice: VisitorChoice) -> String {
    format!("v1.{visitor_id}.{}{}", u8::from(choice.analytics), u8::from(choice.communications))
}

/// The visitor id and choice of a cookie value; `None` for anything else (a
/// tampered or unknown cookie counts as no choice: the banner asks again).
pub fn parse_cookie(value: &str) -> Option<(String, VisitorChoice)> {
    let mut parts = value.split('.');
    let (version, id, flags) = (parts.next()?, parts.next()?, parts.next()?);
    if version != "v1" || parts.next().is_some() || id.is_empty() || id.len() > 64 {
        return None;
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let flag = |c: char| match c {
        '0' => Some(false),
        '1' => Some(true),
        _ => None,
    };
    let mut chars = flags.chars();
    let (analytics, communications) = (flag(chars.next()?)?, flag(chars.next()?)?);
    if chars.next().is_some() {
        return None;
    }
    Some((id.to_owned(), VisitorChoice { analytics, communications }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_round_trips_and_rejects_anything_else() {
        let choice = VisitorChoice { analytics: true, communications: false };
        let value = encode_cookie("3f2a9c", choice);
        assert_eq!(value, "v1.3f2a9c.10");
        assert_eq!(parse_cookie(&value), Some(("3f2a9c".to_owned(), choice)));
        for bad in
            ["", "v1.3f2a9c", "v2.3f2a9c.10", "v1..10", "v1.3f2a9c.12", "v1.3f2a9c.101", "v1.a;b.10", "v1.x.10.y"]
        {
            assert_eq!(parse_cookie(bad), None, "{bad}");
        }
    }

    #[test]
    fn rejecting_all_is_as_simple_as_accepting_all() {
        assert_eq!(choice_from_form(ConsentMethod::AcceptAll, false, false), VisitorChoice::ALL);
        assert_eq!(choice_from_form(ConsentMethod::RejectAll, true, true), VisitorChoice::NONE);
        let custom = choice_from_form(ConsentMethod::Custom, true, false);
        assert_eq!(custom, VisitorChoice { analytics: true, communications: false });
        assert_eq!(ConsentMethod::from_code("reject_all"), Some(ConsentMethod::RejectAll));
    }
}

crate::code_table! {
    /// A consent in a beneficiary's register.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ConsentKind {
        /// News, offers and events by SMS (B9).
        NewsBySms = "news_sms",
        /// News, offers and events by email (B9).
        NewsByEmail = "news_email",
        /// Publishing their story, a success story for example (B6).
        Publication = "publication",
        /// Sharing their data with a named party (B7): given in writing only.
        Sharing = "sharing",
    }
}

impl ConsentKind {
    /// Consents a person gives or withdraws online with one tap.
    pub fn given_online(self) -> bool {
        !matches!(self, ConsentKind::Sharing)
    }
}

/// Why a consent cannot be recorded as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ConsentProblem {
    #[error("sharing needs the name of the party")]
    PartyRequired,
    #[error("only sharing names a party")]
    PartyNotExpected,
    #[error("sharing is given in writing: the signed form is needed")]
    WrittenFormRequired,
}

/// Checks a grant or a withdrawal. Withdrawing never needs more than the wish
/// to withdraw; giving consent to share needs the party and the signed form.
pub fn check_consent(
    kind: ConsentKind,
    party: &str,
    granted: bool,
    has_signed_form: bool,
) -> Result<(), ConsentProblem> {
    let party = party.trim();
    match kind {
        ConsentKind::Sharing if party.is_empty() => Err(ConsentProblem::PartyRequired),
        ConsentKind::Sharing if granted && !has_signed_form => Err(ConsentProblem::WrittenFormRequired),
        ConsentKind::Sharing => Ok(()),
        _ if !party.is_empty() => Err(ConsentProblem::PartyNotExpected),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod register_tests {
    use super::*;

    #[test]
    fn sharing_is_given_in_writing_and_withdrawn_freely() {
        assert_eq!(
            check_consent(ConsentKind::Sharing, "جمعية البر", true, false),
            Err(ConsentProblem::WrittenFormRequired)
        );
        assert_eq!(check_consent(ConsentKind::Sharing, "جمعية البر", true, true), Ok(()));
        assert_eq!(check_consent(ConsentKind::Sharing, "جمعية البر", false, false), Ok(()));
        assert_eq!(check_consent(ConsentKind::Sharing, " ", false, false), Err(ConsentProblem::PartyRequired));
        assert_eq!(check_consent(ConsentKind::NewsBySms, "", true, false), Ok(()));
        assert_eq!(check_consent(ConsentKind::Publication, "x", true, false), Err(ConsentProblem::PartyNotExpected));
        for kind in ConsentKind::ALL {
            assert_eq!(ConsentKind::from_code(kind.code()), Some(kind));
        }
        assert!(!ConsentKind::Sharing.given_online() && ConsentKind::NewsByEmail.given_online());
    }
}
