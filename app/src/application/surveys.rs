//! Surveys (A8, A16, C1): the builder (a draft of questions published as a
//! numbered version, put in use for an audience), invitations sent by hand, and
//! the answers of beneficiaries (by an invitation's link) and of staff
//! (internal surveys).

use awn_domain::{
    locale::Language,
    staff::StaffRole,
    surveys::{
        Answer, MAX_PROMPT_CHARS, MAX_QUESTIONS, Question, QuestionForm, SurveyAudience, SurveyProblem,
        answered_version, check_answers, check_question, next_key, plausible_invitation_token,
    },
};
use awn_storage::{
    Database, now_unix_seconds,
    staff::StaffAccount,
    surveys::{self, InvitationState, NewSurvey, ResponseRefusal, SurveyRefusal},
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    staff::surveys::SurveyRow,
    state::AppContext,
};

fn row_of(survey: surveys::Survey) -> SurveyRow {
    SurveyRow {
        id: survey.id,
        unpublished_changes: survey.has_unpublished_changes(),
        version: survey.current.as_ref().map(|v| v.number),
        title_ar: survey.title_ar,
        title_en: survey.title_en,
        audience: survey.audience,
        evaluated_team: survey.evaluated_team.as_deref().and_then(StaffRole::from_code),
        anonymous: survey.anonymous,
        active: survey.active,
        draft: survey.draft,
    }
}

/// Every survey.
pub async fn list(database: &Database, _who: &Authorized<can::ManageSurveys>) -> Result<Vec<SurveyRow>, AppError> {
    Ok(surveys::list(database).await?.into_iter().map(row_of).collect())
}

/// One survey; an unknown one is `NotFound`.
pub async fn one(
    database: &Database,
    _who: &Authorized<can::ManageSurveys>,
    survey: i64,
) -> Result<SurveyRow, AppError> {
    Ok(row_of(surveys::by_id(database, survey).await?.ok_or(AppError::NotFound)?))
}

/// A new survey as typed.
#[derive(Debug, Clone, Copy)]
pub struct TypedSurvey<'a> {
    pub title_ar: Option<&'a str>,
    pub title_en: Option<&'a str>,
    pub audience: Option<&'a str>,
    /// The team an internal survey evaluates (a role's code).
    pub evaluated_team: Option<&'a str>,
    pub anonymous: bool,
}

/// Creates a survey with no question yet: its id. An internal survey names the
/// team it evaluates.
pub async fn create(
    database: &Database,
    who: &Authorized<can::ManageSurveys>,
    typed: TypedSurvey<'_>,
) -> Result<Result<i64, Refused>, AppError> {
    let titles = checked_text("", "title_ar", typed.title_ar, MAX_PROMPT_CHARS, true)
        .and_then(|ar| checked_text("", "title_en", typed.title_en, MAX_PROMPT_CHARS, true).map(|en| (ar, en)));
    let (ar, en) = match titles {
        Ok(titles) => titles,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let Some(audience) = typed.audience.and_then(SurveyAudience::from_code) else {
        return Ok(Err(Refused::new("audience", Problem::Required)));
    };
    let team = typed.evaluated_team.and_then(StaffRole::from_code);
    if audience == SurveyAudience::Internal && team.is_none() {
        return Ok(Err(Refused::new("evaluated_team", Problem::Required)));
    }
    let new = NewSurvey {
        title_ar: &ar,
        title_en: &en,
        audience,
        evaluated_team: team.map(StaffRole::code),
        anonymous: typed.anonymous,
    };
    Ok(Ok(surveys::create(database, new, who.id, now_unix_seconds()).await?))
}

/// Adds a question to the draft (at most [`MAX_QUESTIONS`]). An unknown survey is `NotFound`.
pub async fn add_question(
    database: &Database,
    _who: &Authorized<can::ManageSurveys>,
    survey: i64,
    form: &QuestionForm,
) -> Result<Outcome, AppError> {
    let found = surveys::by_id(database, survey).await?.ok_or(AppError::NotFound)?;
    if found.draft.len() >= MAX_QUESTIONS {
        return Ok(Err(Refused::new("", Problem::TooLong)));
    }
    match check_question(form, &next_key(&found.draft)) {
        Ok(question) => {
            let mut draft = found.draft;
            draft.push(question);
            surveys::save_draft(database, survey, &draft).await?;
            Ok(Ok(()))
        }
        Err(problems) => {
            let (field, problem) = problems.into_iter().next().unwrap_or(("kind", SurveyProblem::Invalid));
            let problem = match problem {
                SurveyProblem::Required => Problem::Required,
                SurveyProblem::TooLong | SurveyProblem::TooMany => Problem::TooLong,
                SurveyProblem::OptionsNeeded | SurveyProblem::Invalid => Problem::Invalid,
            };
            Ok(Err(Refused::new(field, problem)))
        }
    }
}

/// Removes a draft question (`step` "remove") or moves it one place up ("up");
/// an unknown question or step changes nothing. An unknown survey is `NotFound`.
pub async fn arrange_question(
    database: &Database,
    _who: &Authorized<can::ManageSurveys>,
    survey: i64,
    key: &str,
    step: &str,
) -> Result<(), AppError> {
    let found = surveys::by_id(database, survey).await?.ok_or(AppError::NotFound)?;
    let mut draft = found.draft;
    if let Some(index) = draft.iter().position(|q| q.key == key) {
        match step {
            "remove" => {
                draft.remove(index);
            }
            "up" if index > 0 => draft.swap(index - 1, index),
            _ => {}
        }
        surveys::save_draft(database, survey, &draft).await?;
    }
    Ok(())
}

/// Publishes the draft as the next version; an empty draft, or one with no
/// change, is refused. An unknown survey is `NotFound`.
pub async fn publish(
    database: &Database,
    who: &Authorized<can::ManageSurveys>,
    survey: i64,
) -> Result<Outcome, AppError> {
    Ok(match surveys::publish(database, survey, who.id, now_unix_seconds()).await? {
        Ok(_) => Ok(()),
        Err(SurveyRefusal::NotFound) => return Err(AppError::NotFound),
        Err(SurveyRefusal::NoQuestions) => Err(Refused::new("", Problem::Required)),
        Err(_) => Err(Refused::new("", Problem::AlreadyDone)),
    })
}

/// Puts a published survey in use for its audience, or out of use. An unknown
/// survey is `NotFound`.
pub async fn set_in_use(
    database: &Database,
    _who: &Authorized<can::ManageSurveys>,
    survey: i64,
    in_use: bool,
) -> Result<Outcome, AppError> {
    Ok(match surveys::set_active(database, survey, in_use).await? {
        Ok(()) => Ok(()),
        Err(SurveyRefusal::NotFound) => return Err(AppError::NotFound),
        Err(_) => Err(Refused::new("", Problem::Invalid)),
    })
}

/// (id, title in `language`) of the surveys staff may send by hand: in use,
/// published, not internal.
pub async fn invitable(
    database: &Database,
    _who: &Authorized<can::InviteToSurvey>,
    language: Language,
) -> Result<Vec<(String, String)>, AppError> {
    let arabic = language == Language::Arabic;
    Ok(surveys::list(database)
        .await?
        .into_iter()
        .filter(|s| s.active && s.current.is_some() && s.audience != SurveyAudience::Internal)
        .map(|s| (s.id.to_string(), s.title(arabic).to_owned()))
        .collect())
}

/// Sends a beneficiary a survey by SMS, by hand (`survey` as the form sends its id).
pub async fn invite(
    context: &AppContext,
    who: &Authorized<can::InviteToSurvey>,
    beneficiary: i64,
    survey: Option<&str>,
) -> Result<Outcome, AppError> {
    let Some(survey) = survey.and_then(|s| s.trim().parse::<i64>().ok()) else {
        return Ok(Err(Refused::new("survey", Problem::Required)));
    };
    let base_url = &context.settings.public_base_url;
    let sent = surveys::invite_by_hand(
        &context.database,
        survey,
        beneficiary,
        who.id,
        now_unix_seconds(),
        |invitee, invitation| crate::notices::survey_by_hand(base_url, invitee, invitation),
    )
    .await?;
    Ok(sent.map_err(|_| Refused::new("survey", Problem::NotFound)))
}

/// What became of a survey's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// Recorded.
    Recorded,
    /// The token names no invitation that could exist.
    NoSuchInvitation,
    /// No longer open (used, expired, unknown, or not this person's): the
    /// survey's page says which.
    NotOpen,
    /// Refused: the question's key (empty for the whole form) and the problem.
    Refused(Refused),
}

fn problem_of(problem: SurveyProblem) -> Problem {
    match problem {
        SurveyProblem::Required => Problem::Required,
        SurveyProblem::TooLong => Problem::TooLong,
        _ => Problem::Invalid,
    }
}

/// The answers checked against the questions of the version the form was made
/// for: the first problem, by question order.
fn checked(
    version: i64,
    questions: &[Question],
    fields: &[(String, String)],
) -> Result<Vec<(String, Answer)>, Refused> {
    if answered_version(fields) != Some(version) {
        return Err(Refused::new("", Problem::Changed));
    }
    check_answers(questions, fields).map_err(|problems| {
        let (key, problem) = problems.into_iter().next().unwrap_or((String::new(), SurveyProblem::Invalid));
        Refused { field: key, problem: problem_of(problem) }
    })
}

fn answered(refusal: Result<(), ResponseRefusal>) -> Answered {
    match refusal {
        Ok(()) => Answered::Recorded,
        Err(ResponseRefusal::VersionChanged) => Answered::Refused(Refused::new("", Problem::Changed)),
        Err(_) => Answered::NotOpen,
    }
}

/// The answers to an invitation, posted from its link (`fields` as posted,
/// with the `~version` they answer).
pub async fn answer_invitation(
    database: &Database,
    token: &str,
    fields: &[(String, String)],
) -> Result<Answered, AppError> {
    if !plausible_invitation_token(token) {
        return Ok(Answered::NoSuchInvitation);
    }
    let now = now_unix_seconds();
    let InvitationState::Open { version, .. } = surveys::invitation(database, token, now).await? else {
        return Ok(Answered::NotOpen);
    };
    let answers = match checked(version.id, &version.questions, fields) {
        Ok(answers) => answers,
        Err(refused) => return Ok(Answered::Refused(refused)),
    };
    Ok(answered(surveys::respond(database, token, version.id, &answers, now).await?))
}

/// A staff member's answers to an internal survey open to them (A16).
pub async fn answer_internal(
    database: &Database,
    staff: &StaffAccount,
    survey: i64,
    fields: &[(String, String)],
) -> Result<Answered, AppError> {
    let open = surveys::internal_surveys(database, staff.id).await?;
    let Some(open) = open.into_iter().find(|s| s.survey.id == survey) else {
        return Ok(Answered::NotOpen);
    };
    let answers = match checked(open.version.id, &open.version.questions, fields) {
        Ok(answers) => answers,
        Err(refused) => return Ok(Answered::Refused(refused)),
    };
    let recorded =
        surveys::respond_internal(database, survey, open.version.id, staff.id, &answers, now_unix_seconds()).await?;
    Ok(answered(recorded))
}

/// The internal surveys open to `staff` (A16), titled in `language`, each
/// saying whether they answered it already.
pub async fn internal_surveys_for(
    database: &awn_storage::Database,
    staff: &awn_storage::staff::StaffAccount,
    language: awn_domain::locale::Language,
) -> Result<Vec<crate::staff::feedback::InternalSurveyRow>, crate::error::AppError> {
    use awn_domain::{locale::Language, staff::StaffRole};
    let locale = crate::preferences::locale_of(language);
    let arabic = language == Language::Arabic;
    Ok(awn_storage::surveys::internal_surveys(database, staff.id)
        .await?
        .into_iter()
        .map(|open| crate::staff::feedback::InternalSurveyRow {
            id: open.survey.id,
            title: open.survey.title(arabic).to_owned(),
            evaluated_team: open
                .survey
                .evaluated_team
                .as_deref()
                .and_then(StaffRole::from_code)
                .map(|role| crate::staff::labels::role_text(locale, role)),
            version_id: open.version.id,
            questions: open.version.questions,
            answered: open.answered,
        })
        .collect())
}

/// The survey an invitation link opens, titled in `language`; or why it does
/// not open (used, expired, unknown). The page's problem is the adapter's.
pub async fn invitation(
    database: &Database,
    token: &str,
    language: awn_domain::locale::Language,
) -> Result<crate::surveys::SurveyLink, crate::error::AppError> {
    use awn_storage::surveys::InvitationState;

    use crate::surveys::{SurveyLink, SurveyToAnswer};
    let arabic = language == awn_domain::locale::Language::Arabic;
    Ok(match awn_storage::surveys::invitation(database, token, now_unix_seconds()).await? {
        InvitationState::Open { survey, version, .. } => SurveyLink::Open(SurveyToAnswer {
            title: survey.title(arabic).to_owned(),
            version_id: version.id,
            questions: version.questions,
            problem: None,
        }),
        InvitationState::Used => SurveyLink::Used,
        InvitationState::Expired => SurveyLink::Expired,
        InvitationState::Unknown => SurveyLink::Unknown,
    })
}
