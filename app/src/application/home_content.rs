//! The home page's reference data (the support kinds offered and the committee's
//! decision period), kept in memory for a few seconds.
//!
//! Every anonymous visit opens the home page, and its two reads were most of the
//! page's cost under load (issue 16). The data changes a few times a year, by an
//! admin: the server that takes the change forgets what it kept at once; other
//! app servers read it again within [`HomeContentCache::KEPT_FOR`] (and the server's
//! public page cache keeps a rendered page two seconds more: five in all).

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use awn_domain::locale::Language;
use awn_storage::{Database, support_kinds::SupportKind};

use crate::{
    error::AppError,
    pages::home::{HomePageData, OfferedService},
};

/// What the home page reads: the kinds offered, and the decision period
/// (days, and whether they are working days).
#[derive(Debug, Clone)]
struct Reference {
    kinds: Arc<[SupportKind]>,
    decision_period: (u32, bool),
}

/// What was read, and when.
#[derive(Debug)]
struct Kept {
    read_at: Instant,
    reference: Reference,
}

/// The home page's reference data as last read (one per server process).
#[derive(Debug, Default)]
pub struct HomeContentCache {
    kept: RwLock<Option<Kept>>,
}

impl HomeContentCache {
    /// How long the data is kept: another server's change shows on a page within
    /// this and the server's page cache's two seconds.
    pub const KEPT_FOR: Duration = Duration::from_secs(3);

    /// Reads afresh on the next visit (this server changed the data).
    pub fn forget(&self) {
        if let Ok(mut kept) = self.kept.write() {
            *kept = None;
        }
    }

    fn fresh(&self, now: Instant) -> Option<Reference> {
        let kept = self.kept.read().ok()?;
        let kept = kept.as_ref()?;
        (now.saturating_duration_since(kept.read_at) < Self::KEPT_FOR).then(|| kept.reference.clone())
    }

    fn keep(&self, read_at: Instant, reference: Reference) {
        if let Ok(mut kept) = self.kept.write() {
            *kept = Some(Kept { read_at, reference });
        }
    }
}

/// The home page's services (named in `language`) and decision period.
pub async fn home_content(
    database: &Database,
    cache: &HomeContentCache,
    language: Language,
) -> Result<HomePageData, AppError> {
    let now = Instant::now();
    let reference = match cache.fresh(now) {
        Some(kept) => kept,
        None => {
            let reference = Reference {
                kinds: awn_storage::support_kinds::active(database).await?.into(),
                decision_period: super::requests::decision_period(database).await?,
            };
            cache.keep(now, reference.clone());
            reference
        }
    };
    let (decision_period_days, decision_in_working_days) = reference.decision_period;
    let services = reference
        .kinds
        .iter()
        .map(|kind| OfferedService {
            code: kind.code.clone(),
            name: kind.name(language).to_owned(),
            description: kind.description(language).to_owned(),
        })
        .collect();
    Ok(HomePageData { services, decision_period_days, decision_in_working_days })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str) -> SupportKind {
        SupportKind {
            id: 1,
            code: code.into(),
            name_ar: "سلة".into(),
            name_en: "Basket".into(),
            description_ar: String::new(),
            description_en: String::new(),
            active: true,
            sort_order: 0,
        }
    }

    #[test]
    fn what_was_read_is_kept_for_a_few_seconds_then_read_again() {
        let cache = HomeContentCache::default();
        let start = Instant::now();
        assert!(cache.fresh(start).is_none(), "nothing kept yet");
        cache.keep(start, Reference { kinds: vec![kind("food")].into(), decision_period: (14, false) });
        let kept = cache.fresh(start + HomeContentCache::KEPT_FOR - Duration::from_millis(1)).expect("still fresh");
        assert_eq!((kept.kinds[0].code.as_str(), kept.decision_period), ("food", (14, false)));
        assert!(cache.fresh(start + HomeContentCache::KEPT_FOR).is_none(), "stale after KEPT_FOR");
    }

    #[test]
    fn a_change_on_this_server_is_shown_at_once() {
        let cache = HomeContentCache::default();
        let start = Instant::now();
        cache.keep(start, Reference { kinds: vec![kind("food")].into(), decision_period: (14, false) });
        cache.forget();
        assert!(cache.fresh(start).is_none());
    }
}
