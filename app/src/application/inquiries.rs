//! The inquiry inbox (A6, A18): questions from every channel in one list, a
//! question that came by phone, letter or social media recorded by staff, each
//! answered once (the answer reaches the asker through the outbox), and a good
//! answer published, reworded, to the public FAQ.

use awn_domain::{
    channels::Channel,
    locale::Language,
    paging::{PagePosition, PageRequest},
    workflow::MAX_NOTE_CHARS,
};
use awn_storage::{
    Database, StorageError,
    inquiries::{self, InquiryProblem, NewInquiry},
    now_unix_seconds,
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
    personal_data,
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    inquiries::{CheckedQuestion, FaqItem, MyQuestion, checked_question},
    staff::inquiries::InboxRow,
    state::AppContext,
};

/// A page of the inbox, filtered by status ("open", "answered") and channel.
pub async fn inbox(
    database: &Database,
    who: &Authorized<can::AnswerInquiry>,
    status: Option<&str>,
    channel: Option<Channel>,
    request: PageRequest,
) -> Result<(Vec<InboxRow>, PagePosition), AppError> {
    let page =
        personal_data::inquiries(database, who, status, channel, personal_data::PURPOSE_CASEWORK, request).await?;
    Ok(page
        .map(|i| InboxRow {
            open: i.is_open(),
            contact: [i.contact_mobile.clone(), i.contact_email.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            id: i.id,
            asker_name: i.asker_name,
            beneficiary_id: i.beneficiary_id,
            channel: i.channel,
            question: i.question,
            language: i.language,
            answer: i.answer,
            answered_by: i.answered_by_name,
            answered_at: i.answered_at,
            created_at: i.created_at,
        })
        .split())
}

/// The public FAQ in `language`, narrowed to the entries matching `query`
/// (all when empty).
pub async fn faq(database: &Database, language: Language, query: &str) -> Result<Vec<FaqItem>, AppError> {
    Ok(inquiries::faq(database, language, query)
        .await?
        .into_iter()
        .map(|e| FaqItem { id: e.id, question: e.question, answer: e.answer })
        .collect())
}

/// The questions a signed-in beneficiary asked, with their answers.
pub async fn questions_of(database: &Database, beneficiary: i64) -> Result<Vec<MyQuestion>, AppError> {
    Ok(inquiries::for_beneficiary(database, beneficiary)
        .await?
        .into_iter()
        .map(|i| MyQuestion {
            question: i.question,
            answer: i.answer,
            asked_at: i.created_at,
            answered_at: i.answered_at,
        })
        .collect())
}

/// A question as typed on the website.
#[derive(Debug, Clone, Copy)]
pub struct AskedQuestion<'a> {
    pub asker_name: &'a Option<String>,
    pub mobile: &'a Option<String>,
    pub email: &'a Option<String>,
    pub question: &'a Option<String>,
}

/// Records a question asked on the website, in `language`. Signed in
/// (`beneficiary`), the answer goes to the account and the question counts
/// against the account's daily allowance of submissions; signed out, a mobile
/// number or an email address is needed for the answer.
pub async fn ask_online(
    context: &AppContext,
    beneficiary: Option<i64>,
    asked: AskedQuestion<'_>,
    language: Language,
) -> Result<Outcome, AppError> {
    // The form's name is the adapter's: the check answers with a field.
    const FORM: &str = "";
    let checked =
        checked_question(FORM, asked.asker_name, asked.mobile, asked.email, asked.question, beneficiary.is_none());
    let CheckedQuestion { name, text, phone, address } = match checked {
        Ok(checked) => checked,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let now = now_unix_seconds();
    if let Some(account) = beneficiary {
        let (kind, per_day) = (awn_storage::limits::SubmissionKind::Inquiry, context.settings.submissions_per_day);
        if !awn_storage::limits::take_daily_allowance(&context.database, account, kind, per_day, now).await? {
            return Ok(Err(Refused::new("", Problem::DailyLimit)));
        }
    }
    let inquiry = NewInquiry {
        beneficiary_id: beneficiary,
        asker_name: &name,
        contact_mobile: phone.as_ref(),
        contact_email: address.as_deref(),
        channel: Channel::Website,
        question: &text,
        language,
    };
    inquiries::record(&context.database, inquiry, now).await?;
    Ok(Ok(()))
}

/// A question as staff typed it from another channel.
#[derive(Debug, Clone, Copy)]
pub struct TypedInquiry<'a> {
    /// The channel's code.
    pub channel: Option<&'a str>,
    pub asker_name: &'a Option<String>,
    pub mobile: &'a Option<String>,
    pub email: &'a Option<String>,
    pub question: &'a Option<String>,
    /// The asker's language tag; Arabic when none.
    pub language: Option<&'a str>,
}

/// Records a question that came by phone, letter, social media…; when its
/// number is a beneficiary's, the answer also shows in their file.
pub async fn record(
    database: &Database,
    _who: &Authorized<can::AnswerInquiry>,
    typed: TypedInquiry<'_>,
) -> Result<Outcome, AppError> {
    // The form's name is the adapter's: the check answers with a field.
    const FORM: &str = "";
    let Some(channel) = Channel::from_code(typed.channel.unwrap_or_default()) else {
        return Ok(Err(Refused::new("channel", Problem::Required)));
    };
    let checked = checked_question(FORM, typed.asker_name, typed.mobile, typed.email, typed.question, true);
    let CheckedQuestion { name, text, phone, address } = match checked {
        Ok(checked) => checked,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let language = typed.language.and_then(Language::from_tag).unwrap_or(Language::Arabic);
    let beneficiary_id = match &phone {
        Some(phone) => awn_storage::accounts::beneficiary_by_mobile(database, phone.as_e164()).await?,
        None => None,
    };
    let inquiry = NewInquiry {
        beneficiary_id,
        asker_name: &name,
        contact_mobile: phone.as_ref(),
        contact_email: address.as_deref(),
        channel,
        question: &text,
        language,
    };
    inquiries::record(database, inquiry, now_unix_seconds()).await?;
    Ok(Ok(()))
}

/// Answers an open inquiry; the asker is told (and, when a survey follows
/// answered inquiries, invited to it). An unknown inquiry is `NotFound`.
pub async fn answer(
    context: &AppContext,
    who: &Authorized<can::AnswerInquiry>,
    inquiry: i64,
    answer: &str,
) -> Result<Outcome, AppError> {
    let answered = inquiries::answer(
        &context.database,
        inquiry,
        who.id,
        answer,
        now_unix_seconds(),
        crate::notices::inquiry_answered,
        |contact, invitation| {
            crate::notices::survey_after_inquiry(&context.settings.public_base_url, contact, invitation)
        },
    )
    .await?;
    Ok(match answered {
        Ok(()) => Ok(()),
        Err(InquiryProblem::NotFound) => return Err(AppError::NotFound),
        Err(InquiryProblem::AnswerRequired) => Err(Refused::new("answer", Problem::Required)),
        Err(InquiryProblem::AnswerTooLong) => Err(Refused::new("answer", Problem::TooLong)),
        Err(InquiryProblem::AlreadyAnswered) => Err(Refused::new("", Problem::AlreadyDone)),
    })
}

/// Publishes an answered inquiry to the FAQ in words fit for everyone; an open
/// one cannot be, and one already published is a duplicate. An unknown inquiry
/// is `NotFound`.
pub async fn publish_to_faq(
    database: &Database,
    who: &Authorized<can::PublishFaq>,
    inquiry: i64,
    question: Option<&str>,
    answer: Option<&str>,
) -> Result<Outcome, AppError> {
    let texts = checked_text("", "question", question, MAX_NOTE_CHARS, true)
        .and_then(|q| checked_text("", "answer", answer, MAX_NOTE_CHARS, true).map(|a| (q, a)));
    let (question, answer) = match texts {
        Ok(texts) => texts,
        Err(problem) => return Ok(Err(problem.into())),
    };
    match inquiries::by_id(database, inquiry).await? {
        None => return Err(AppError::NotFound),
        Some(row) if row.is_open() => return Ok(Err(Refused::new("", Problem::Invalid))),
        Some(_) => {}
    }
    match inquiries::publish_to_faq(database, inquiry, who.id, &question, &answer, now_unix_seconds()).await {
        Ok(_) => Ok(Ok(())),
        Err(StorageError::Conflict(_)) => Ok(Err(Refused::new("", Problem::Duplicate))),
        Err(error) => Err(error.into()),
    }
}
