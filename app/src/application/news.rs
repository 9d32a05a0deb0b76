//! The association's news and events (B9): sent only to those whose consent to
//! news by SMS or email is in force (beneficiaries, supporters, volunteers); each message is tied to that consent, so a
//! withdrawal cancels it if it is still queued.

use awn_storage::{Database, consent, now_unix_seconds};

use super::{
    Refused, StepUp,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    staff::account::CONFIRM_PASSWORD,
};

/// The longest news text in each language: an SMS should stay a few segments.
pub const MAX_NEWS_CHARS: usize = 600;

/// Sends the news, in Arabic and English, to everyone whose consent is in
/// force, after the step-up (a mass message): how many messages were queued.
/// With nobody to send to, nothing is asked and nothing sent.
pub async fn send(
    database: &Database,
    who: &Authorized<can::SendNews>,
    body_ar: Option<&str>,
    body_en: Option<&str>,
    step_up: impl StepUp,
) -> Result<Result<usize, Refused>, AppError> {
    let checked = checked_text("", "body_ar", body_ar, MAX_NEWS_CHARS, true)
        .and_then(|ar| checked_text("", "body_en", body_en, MAX_NEWS_CHARS, true).map(|en| (ar, en)));
    let (ar, en) = match checked {
        Ok(texts) => texts,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let recipients = consent::news_recipients(database).await?;
    let messages: Vec<_> = recipients
        .iter()
        .flat_map(|recipient| {
            crate::notices::news(recipient, &ar, &en)
                .into_iter()
                .map(|(kind, message)| (recipient.holder, kind, message))
        })
        .collect();
    if messages.is_empty() {
        return Ok(Err(Refused::new("", Problem::NotFound)));
    }
    if let Some(problem) = step_up.await? {
        return Ok(Err(Refused::new(CONFIRM_PASSWORD, problem)));
    }
    consent::enqueue_news(database, who.id, &messages, now_unix_seconds()).await?;
    Ok(Ok(messages.len()))
}
