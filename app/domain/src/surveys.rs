//! Satisfaction surveys (A8, A16, C1–C3): what a survey may ask, how an answer
//! is checked, and the arithmetic of the dashboard (CSAT, NPS, response rate).
//!
//! A survey's questions are frozen into a version when published; responses keep
//! the version they answered, so changing a question never rewrites the past.

use serde::{Deserialize, Serialize};

use crate::reports::may_show_group;

/// The most questions one survey asks: a short page on a phone.
pub const MAX_QUESTIONS: usize = 20;
/// The most options a choice question offers.
pub const MAX_OPTIONS: usize = 12;
/// The longest prompt, option or title.
pub const MAX_PROMPT_CHARS: usize = 300;
/// The longest short-text answer.
pub const MAX_ANSWER_CHARS: usize = 1000;
/// How long an invitation's link stays valid.
pub const INVITATION_LIFETIME_SECONDS: i64 = 30 * 24 * 3600;
/// Scores at or below this on the 1–5 scale are "low": staff may open an
/// improvement action from them (A17).
pub const LOW_CSAT: u8 = 2;

crate::code_table! {
    /// The kinds of question a survey can ask.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum QuestionKind {
        /// Satisfaction on a 1–5 scale (CSAT counts the 4s and 5s).
        Satisfaction = "csat",
        /// Likelihood to recommend on a 0–10 scale (NPS).
        Recommend = "nps",
        SingleChoice = "single",
        MultipleChoice = "multiple",
        ShortText = "text",
    }
}

impl QuestionKind {
    /// The scores a scale question accepts.
    pub fn scale(self) -> Option<std::ops::RangeInclusive<u8>> {
        match self {
            QuestionKind::Satisfaction => Some(1..=5),
            QuestionKind::Recommend => Some(0..=10),
            _ => None,
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::SingleChoice | QuestionKind::MultipleChoice)
    }
}

crate::code_table! {
    /// Who a survey is for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SurveyAudience {
        /// Sent after each service delivered (C1).
        AfterService = "service",
        /// Sent after each inquiry answered (C1).
        AfterInquiry = "inquiry",
        /// Sent by staff by hand, to whom they choose.
        ByHand = "manual",
        /// Answered by staff about a department that serves them (A16).
        Internal = "internal",
    }
}

impl SurveyAudience {
    /// Whether the survey goes out by itself on an event: only one survey of
    /// such an audience is in use at a time.
    pub fn is_automatic(self) -> bool {
        matches!(self, SurveyAudience::AfterService | SurveyAudience::AfterInquiry)
    }
}

/// One option of a choice question, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub ar: String,
    pub en: String,
}

/// A question as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the survey ("q1", "q2", …): answers name it.
    pub key: String,
    pub kind: QuestionKind,
    pub prompt_ar: String,
    pub prompt_en: String,
    pub required: bool,
    pub options: Vec<ChoiceOption>,
}

impl Question {
    pub fn prompt(&self, arabic: bool) -> &str {
        if arabic { &self.prompt_ar } else { &self.prompt_en }
    }
}

/// What is wrong with a question or an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SurveyProblem {
    #[error("this field is required")]
    Required,
    #[error("this text is too long")]
    TooLong,
    #[error("a choice question needs at least two options, the same number in each language")]
    OptionsNeeded,
    #[error("too many options or questions")]
    TooMany,
    #[error("not one of the choices offered")]
    Invalid,
}

/// A question as typed in the builder: options one per line, in each language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionForm {
    pub kind: String,
    pub prompt_ar: String,
    pub prompt_en: String,
    pub required: bool,
    pub options_ar: String,
    pub options_en: String,
}

fn checked_prompt(text: &str) -> Result<String, SurveyProblem> {
    let text = crate::identity::clean_text(text);
    if text.is_empty() {
        Err(SurveyProblem::Required)
    } else if text.chars().count() > MAX_PROMPT_CHARS {
        Err(SurveyProblem::TooLong)
    } else {
        Ok(text)
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(crate::identity::clean_text).filter(|line| !line.is_empty()).collect()
}

/// Checks a question typed in the builder; `key` is the one it will have. The
/// problems name the form fields (`kind`, `prompt_ar`, `prompt_en`, `options_ar`).
pub fn check_question(form: &QuestionForm, key: &str) -> Result<Question, Vec<(&'static str, SurveyProblem)>> {
    let mut problems = Vec::new();
    let kind = QuestionKind::from_code(form.kind.trim());
    if kind.is_none() {
        problems.push(("kind", SurveyProblem::Invalid));
    }
    let prompt_ar = checked_prompt(&form.prompt_ar).map_err(|p| problems.push(("prompt_ar", p))).ok();
    let prompt_en = checked_prompt(&form.prompt_en).map_err(|p| problems.push(("prompt_en", p))).ok();
    let mut options = Vec::new();
    if kind.is_some_and(QuestionKind::has_options) {
        let (ar, en) = (lines(&form.options_ar), lines(&form.options_en));
        if ar.len() < 2 || ar.len() != en.len() {
            problems.push(("options_ar", SurveyProblem::OptionsNeeded));
        } else if ar.len() > MAX_OPTIONS {
            problems.push(("options_ar", SurveyProblem::TooMany));
        } else if ar.iter().chain(&en).any(|option| option.chars().count() > MAX_PROMPT_CHARS) {
            problems.push(("options_ar", SurveyProblem::TooLong));
        } else {
            options = ar.into_iter().zip(en).map(|(ar, en)| ChoiceOption { ar, en }).collect();
        }
    }
    match (kind, prompt_ar, prompt_en) {
        (Some(kind), Some(prompt_ar), Some(prompt_en)) if problems.is_empty() => {
            Ok(Question { key: key.to_owned(), kind, prompt_ar, prompt_en, required: form.required, options })
        }
        _ => Err(problems),
    }
}

/// The key of the next question added to a survey: one past the largest
/// number in use, so a removed question's key is never given to another.
pub fn next_key(questions: &[Question]) -> String {
    let largest = questions.iter().filter_map(|q| q.key.strip_prefix('q')?.parse::<u32>().ok()).max().unwrap_or(0);
    format!("q{}", largest + 1)
}

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// On the question's scale.
    Score(u8),
    /// Indexes into the question's options, ascending, at least one.
    Choices(Vec<usize>),
    Text(String),
}

/// Answers by question key, in question order.
pub type Answers = Vec<(String, Answer)>;
/// Problems by question key, in question order.
pub type AnswerProblems = Vec<(String, SurveyProblem)>;

/// Checks a submitted form against the questions: `fields` are the posted
/// name/value pairs (a multiple-choice question posts its name once per option
/// ticked). Unanswered optional questions are left out. On refusal, every
/// question with a problem, in question order.
pub fn check_answers(questions: &[Question], fields: &[(String, String)]) -> Result<Answers, AnswerProblems> {
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    for question in questions {
        let values: Vec<&str> = fields
            .iter()
            .filter(|(name, _)| *name == question.key)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
            .collect();
        if values.is_empty() {
            if question.required {
                problems.push((question.key.clone(), SurveyProblem::Required));
            }
            continue;
        }
        let answer = match question.kind {
            QuestionKind::Satisfaction | QuestionKind::Recommend => {
                let score = crate::digits::normalize_digits(values[0]).parse::<u8>().ok();
                match (values.len(), score, question.kind.scale()) {
                    (1, Some(score), Some(scale)) if scale.contains(&score) => Ok(Answer::Score(score)),
                    _ => Err(SurveyProblem::Invalid),
                }
            }
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                let mut chosen = Vec::new();
                let mut valid = question.kind == QuestionKind::MultipleChoice || values.len() == 1;
                for value in &values {
                    match value.parse::<usize>() {
                        Ok(index) if index < question.options.len() => chosen.push(index),
                        _ => valid = false,
                    }
                }
                chosen.sort_unstable();
                chosen.dedup();
                if valid { Ok(Answer::Choices(chosen)) } else { Err(SurveyProblem::Invalid) }
            }
            QuestionKind::ShortText => {
                let text = values.join(" ");
                if values.len() != 1 {
                    Err(SurveyProblem::Invalid)
                } else if text.chars().count() > MAX_ANSWER_CHARS {
                    Err(SurveyProblem::TooLong)
                } else {
                    Ok(Answer::Text(text))
                }
            }
        };
        match answer {
            Ok(answer) => answers.push((question.key.clone(), answer)),
            Err(problem) => problems.push((question.key.clone(), problem)),
        }
    }
    if problems.is_empty() { Ok(answers) } else { Err(problems) }
}

/// The share, in thousandths rounded to nearest, of satisfaction scores of 4
/// or 5 among all 1–5 scores given. `None` when there are none.
pub fn csat(scores: &[u8]) -> Option<u32> {
    share(scores.iter().filter(|s| **s >= 4).count(), scores.len())
}

/// Net Promoter Score: the percentage of 9s and 10s minus the percentage of
/// 0–6s, from −100 to 100, rounded to nearest (halves away from zero). `None`
/// when there are no scores.
pub fn nps(scores: &[u8]) -> Option<i32> {
    let total = scores.len() as i64;
    if total == 0 {
        return None;
    }
    let promoters = scores.iter().filter(|s| **s >= 9).count() as i64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as i64;
    let difference = (promoters - detractors) * 100;
    // Rounded to nearest, halves away from zero, in integers.
    let rounded = (2 * difference + difference.signum() * total) / (2 * total);
    i32::try_from(rounded).ok()
}

/// The share, in thousandths rounded to nearest, of invitations answered.
/// `None` when none were sent.
pub fn response_rate(responses: usize, invitations: usize) -> Option<u32> {
    share(responses.min(invitations), invitations)
}

fn share(part: usize, whole: usize) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (part as u64, whole as u64);
    u32::try_from((part * 1000 + whole / 2) / whole).ok()
}

/// A group's figures as they may be shown (C2): `None` for a group of fewer
/// than [`crate::reports::MIN_GROUP_SIZE`] responses, whatever it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub responses: usize,
    pub csat: Option<u32>,
    pub nps: Option<i32>,
}

/// The figures of a group of responses, or `None` when the group is too small
/// to show: `responses` counts the responses, the scores are those they gave.
pub fn group_figures(responses: usize, satisfaction: &[u8], recommend: &[u8]) -> Option<GroupFigures> {
    may_show_group(responses).then(|| GroupFigures { responses, csat: csat(satisfaction), nps: nps(recommend) })
}

/// One group of a split (by month, channel, kind of service, team): its
/// size, and its figures when the group is large enough to show (C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group<K> {
    pub key: K,
    pub responses: usize,
    pub figures: Option<GroupFigures>,
}

/// Splits sets of responses, given as (key, how many responses, the
/// satisfaction scores they gave, the recommend scores), into groups by key in
/// key order, each with its figures or none if small.
pub fn split_counted<'a, K: Ord + Clone>(
    sets: impl IntoIterator<Item = (K, usize, &'a [u8], &'a [u8])>,
) -> Vec<Group<K>> {
    let mut groups: std::collections::BTreeMap<K, (usize, Vec<u8>, Vec<u8>)> = std::collections::BTreeMap::new();
    for (key, responses, satisfaction, recommend) in sets {
        let group = groups.entry(key).or_default();
        group.0 += responses;
        group.1.extend_from_slice(satisfaction);
        group.2.extend_from_slice(recommend);
    }
    groups
        .into_iter()
        .map(|(key, (responses, satisfaction, recommend))| Group {
            key,
            responses,
            figures: group_figures(responses, &satisfaction, &recommend),
        })
        .collect()
}

/// Whether `token` may name an invitation: URL-safe base64 of a sane length.
/// Anything else names none, and must reach neither the database nor a
/// `Location` header.
pub fn plausible_invitation_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 128
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The survey version a posted form answered: its `~version` field.
pub fn answered_version(fields: &[(String, String)]) -> Option<i64> {
    fields.iter().find(|(name, _)| name == "~version").and_then(|(_, value)| value.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_url_safe_tokens_of_a_sane_length_name_an_invitation() {
        assert!(plausible_invitation_token("aZ09-_"));
        assert!(plausible_invitation_token(&"a".repeat(128)));
        assert!(!plausible_invitation_token(""));
        assert!(!plausible_invitation_token(&"a".repeat(129)));
        assert!(!plausible_invitation_token("abc/def"));
        assert!(!plausible_invitation_token("abc\r\nLocation: x"));
        assert!(!plausible_invitation_token("رمز"));
    }

    #[test]
    fn the_answered_version_is_the_version_field() {
        let fields = |v: &str| vec![("q1".to_owned(), "5".to_owned()), ("~version".to_owned(), v.to_owned())];
        assert_eq!(answered_version(&fields(" 12 ")), Some(12));
        assert_eq!(answered_version(&fields("x")), None);
        assert_eq!(answered_version(&[]), None);
    }

    fn question(key: &str, kind: QuestionKind, required: bool, options: usize) -> Question {
        Question {
            key: key.into(),
            kind,
            prompt_ar: "سؤال".into(),
            prompt_en: "Question".into(),
            required,
            options: (0..options)
                .map(|i| ChoiceOption { ar: format!("خيار {i}"), en: format!("Option {i}") })
                .collect(),
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn csat_counts_fours_and_fives_in_thousandths() {
        assert_eq!(csat(&[]), None);
        assert_eq!(csat(&[5, 4, 3, 2, 1]), Some(400));
        assert_eq!(csat(&[5, 5, 5]), Some(1000));
        assert_eq!(csat(&[1, 2, 3]), Some(0));
        // 2 of 3 = 666.67 → 667
        assert_eq!(csat(&[4, 5, 1]), Some(667));
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        assert_eq!(nps(&[]), None);
        assert_eq!(nps(&[10, 9, 8, 7]), Some(50));
        assert_eq!(nps(&[0, 6, 6, 6]), Some(-100));
        assert_eq!(nps(&[10, 10]), Some(100));
        assert_eq!(nps(&[7, 8]), Some(0));
        // 1 promoter, 2 detractors of 3: −33.3 → −33
        assert_eq!(nps(&[10, 3, 2]), Some(-33));
        // 1 promoter of 8 = 12.5 → 13 (halves away from zero), and −12.5 → −13
        assert_eq!(nps(&[10, 7, 7, 7, 7, 7, 7, 7]), Some(13));
        assert_eq!(nps(&[1, 7, 7, 7, 7, 7, 7, 7]), Some(-13));
    }

    #[test]
    fn response_rate_in_thousandths() {
        assert_eq!(response_rate(0, 0), None);
        assert_eq!(response_rate(1, 3), Some(333));
        assert_eq!(response_rate(3, 3), Some(1000));
        // More responses than invitations (a survey from the tracking page) never passes 100 %.
        assert_eq!(response_rate(4, 3), Some(1000));
    }

    #[test]
    fn small_groups_show_no_figure() {
        assert_eq!(group_figures(4, &[5, 5, 5, 5], &[10, 10, 10, 10]), None);
        let shown = group_figures(5, &[5, 5, 5, 5, 1], &[10, 10, 10, 0, 0]).expect("five responses are shown");
        assert_eq!(shown.csat, Some(800));
        assert_eq!(shown.nps, Some(20));
        // Five responses, none answering the NPS question: shown, with no NPS.
        assert_eq!(group_figures(5, &[4; 5], &[]).and_then(|f| f.nps), None);
    }

    #[test]
    fn splits_keep_small_groups_without_figures() {
        let five = [5u8];
        let one = [1u8];
        let mut responses: Vec<(&str, usize, &[u8], &[u8])> = vec![("phone", 1, &five, &[]); 4];
        responses.push(("phone", 1, &one, &[]));
        responses.extend(vec![("website", 1, &five[..], &[][..]); 3]);
        let groups = split_counted(responses);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].key, "phone");
        assert_eq!(groups[0].responses, 5);
        assert_eq!(groups[0].figures.as_ref().and_then(|f| f.csat), Some(800));
        assert_eq!(groups[1].key, "website");
        assert_eq!(groups[1].responses, 3);
        assert_eq!(groups[1].figures, None, "three responses show no figure");
    }

    #[test]
    fn a_choice_question_needs_options_in_both_languages() {
        let form = QuestionForm {
            kind: "single".into(),
            prompt_ar: "كيف عرفت عنا؟".into(),
            prompt_en: "How did you hear of us?".into(),
            required: true,
            options_ar: "صديق\nالموقع".into(),
            options_en: "A friend".into(),
        };
        assert_eq!(check_question(&form, "q1"), Err(vec![("options_ar", SurveyProblem::OptionsNeeded)]));
        let form = QuestionForm { options_en: "A friend\n\nThe website\n".into(), ..form };
        let question = check_question(&form, "q1").expect("valid");
        assert_eq!(question.options.len(), 2);
        assert_eq!(question.options[1], ChoiceOption { ar: "الموقع".into(), en: "The website".into() });
    }

    #[test]
    fn a_question_needs_a_kind_and_both_prompts() {
        let form = QuestionForm { kind: "stars".into(), prompt_ar: " ".into(), ..Default::default() };
        let problems = check_question(&form, "q1").unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("kind", SurveyProblem::Invalid),
                ("prompt_ar", SurveyProblem::Required),
                ("prompt_en", SurveyProblem::Required)
            ]
        );
        let form = QuestionForm {
            kind: "csat".into(),
            prompt_ar: "ما رضاك؟".into(),
            prompt_en: "x".repeat(301),
            ..Default::default()
        };
        assert_eq!(check_question(&form, "q1"), Err(vec![("prompt_en", SurveyProblem::TooLong)]));
    }

    #[test]
    fn next_key_never_reuses_a_removed_key() {
        assert_eq!(next_key(&[]), "q1");
        let questions = vec![
            question("q1", QuestionKind::Satisfaction, true, 0),
            question("q4", QuestionKind::ShortText, false, 0),
        ];
        assert_eq!(next_key(&questions), "q5");
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let questions = vec![
            question("q1", QuestionKind::Satisfaction, true, 0),
            question("q2", QuestionKind::Recommend, false, 0),
            question("q3", QuestionKind::MultipleChoice, false, 3),
            question("q4", QuestionKind::ShortText, false, 0),
        ];
        // Arabic-Indic digits are read as digits.
        let answers =
            check_answers(&questions, &fields(&[("q1", "٥"), ("q3", "2"), ("q3", "0"), ("q3", "2"), ("q4", " شكراً ")]))
                .expect("valid");
        assert_eq!(
            answers,
            vec![
                ("q1".into(), Answer::Score(5)),
                ("q3".into(), Answer::Choices(vec![0, 2])),
                ("q4".into(), Answer::Text("شكراً".into())),
            ]
        );
        let problems = check_answers(&questions, &fields(&[("q2", "11"), ("q3", "3")])).unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("q1".into(), SurveyProblem::Required),
                ("q2".into(), SurveyProblem::Invalid),
                ("q3".into(), SurveyProblem::Invalid)
            ]
        );
        let nps_zero = check_answers(&questions, &fields(&[("q1", "1"), ("q2", "0")])).expect("0 is on the NPS scale");
        assert_eq!(nps_zero[1], ("q2".into(), Answer::Score(0)));
        assert!(check_answers(&questions, &fields(&[("q1", "0")])).is_err(), "0 is not on the 1–5 scale");
    }

    #[test]
    fn a_single_choice_takes_one_option() {
        let questions = vec![question("q1", QuestionKind::SingleChoice, true, 2)];
        assert_eq!(
            check_answers(&questions, &fields(&[("q1", "1")])),
            Ok(vec![("q1".into(), Answer::Choices(vec![1]))])
        );
        assert!(check_answers(&questions, &fields(&[("q1", "0"), ("q1", "1")])).is_err());
        assert!(check_answers(&questions, &fields(&[("q1", "x")])).is_err());
    }

    #[test]
    fn codes_round_trip() {
        for kind in QuestionKind::ALL {
            assert_eq!(QuestionKind::from_code(kind.code()), Some(kind));
        }
        for audience in SurveyAudience::ALL {
            assert_eq!(SurveyAudience::from_code(audience.code()), Some(audience));
        }
        assert!(SurveyAudience::AfterService.is_automatic() && !SurveyAudience::Internal.is_automatic());
    }
}
