//! Generated demo data at scale (`awn seed-demo --scale N`): N beneficiaries,
//! each with a support request that went through the same storage calls as a
//! real one (submission, status changes with their timeline and notices,
//! documents, messages, survey answers), spread over the last two years. For
//! measuring what staff views cost as the data grows (`bench/run`).
//!
//! Deterministic: the person with number `i` is always the same, so running it
//! again with the same N adds nothing, and with a larger N adds the rest.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    identity::NationalId,
    locale::Language,
    requests::{RequestDraft, RequestStatus, WizardStep, validate_request},
    surveys::{Answer, ChoiceOption, Question, QuestionKind, SurveyAudience},
};

use crate::{
    Database, StorageError, StorageResult,
    documents::{DocumentStore, NewDocument},
    requests::{self, NewRequest, Submission},
    surveys::{self, InvitationSubject, NewSurvey, insert_invitation},
};

const FIRST_NAMES: &[&str] = &[
    "محمد",
    "أحمد",
    "عبدالله",
    "خالد",
    "سعد",
    "فهد",
    "سلطان",
    "ناصر",
    "إبراهيم",
    "يوسف",
    "فاطمة",
    "نورة",
    "سارة",
    "مريم",
    "هيفاء",
    "عائشة",
    "أمل",
    "ريم",
    "منيرة",
    "هند",
];
const FATHER_NAMES: &[&str] =
    &["علي", "سعيد", "عبدالرحمن", "حمد", "صالح", "مسفر", "عوض", "ظافر", "مبارك", "حسن", "عمر", "ماجد"];
const FAMILY_NAMES: &[&str] = &[
    "القحطاني",
    "الشهري",
    "الغامدي",
    "الزهراني",
    "العمري",
    "الأسمري",
    "الشمراني",
    "العسيري",
    "الحارثي",
    "المالكي",
    "البارقي",
    "الألمعي",
    "الشهراني",
    "الوادعي",
];
const DISTRICTS: &[&str] = &["الحي الشمالي", "الحي الجنوبي", "حي الروضة", "حي النسيم", "حي الصفا", "حي المروج"];
const KINDS: &[&str] = &["food_basket", "rent", "bills", "medical", "education", "home_appliances"];
const DESCRIPTIONS: &[&str] = &[
    "نحتاج إلى سلة غذائية شهرية للأسرة بعد انقطاع الدخل.",
    "الإيجار متأخر ثلاثة أشهر والمالك يطالب بالإخلاء.",
    "فاتورة الكهرباء متأخرة وقد يُقطع التيار عن المنزل.",
    "والدي يحتاج إلى جهاز طبي لا نستطيع شراءه.",
    "أبنائي يحتاجون إلى الحقيبة المدرسية والرسوم الدراسية.",
    "الثلاجة تعطلت ولا نملك ثمن جهاز جديد.",
];
const MESSAGES: &[&str] = &[
    "متى يصدر قرار اللجنة في طلبي؟",
    "أرفقت صورة عقد الإيجار المطلوبة.",
    "هل أستطيع تحديث رقم الجوال؟",
    "شكراً لكم على المتابعة.",
];
const CHANNELS: &[Channel] = &[
    Channel::Website,
    Channel::Website,
    Channel::Website,
    Channel::Website,
    Channel::Website,
    Channel::Website,
    Channel::Phone,
    Channel::Interview,
];
const ACTOR: &str = "staff:demo";
/// A small PDF, so a generated document opens like an uploaded one.
const DOCUMENT: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// What a scale run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScaleReport {
    /// People already there from an earlier run with a larger or equal N.
    pub skipped: u64,
    pub requests: u64,
    pub documents: u64,
    pub messages: u64,
    pub survey_answers: u64,
}

/// A deterministic spread of `i` over `0..n`, different for each `salt`.
fn pick(i: u64, salt: u64, n: usize) -> usize {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    usize::try_from(x % n as u64).unwrap_or(0)
}

fn from<T: Copy>(list: &[T], i: u64, salt: u64) -> T {
    list[pick(i, salt, list.len())]
}

/// A national ID for person `i`: 1 or 2, eight digits, and the check digit.
fn national_id(i: u64) -> String {
    let first_nine = format!("{}{:08}", 1 + pick(i, 1, 2), 10_000_000 + i % 90_000_000);
    NationalId::completing(&first_nine).map(|id| id.as_str().to_owned()).unwrap_or(first_nine)
}

/// The request person `i` fills in.
fn draft(i: u64) -> RequestDraft {
    let name = format!(
        "{} {} {} {}",
        from(FIRST_NAMES, i, 2),
        from(FATHER_NAMES, i, 3),
        from(FATHER_NAMES, i, 4),
        from(FAMILY_NAMES, i, 5)
    );
    let kind = pick(i, 6, KINDS.len());
    RequestDraft {
        step: WizardStep::Declaration,
        full_name: name.clone(),
        national_id: national_id(i),
        birth_date: format!("{}-{:02}-{:02}", 1950 + pick(i, 7, 55), 1 + pick(i, 8, 12), 1 + pick(i, 9, 28)),
        // 0570000000 onwards: a block of numbers no one in the demo signs in with.
        mobile: format!("057{:07}", i % 10_000_000),
        city: "الرهاة".into(),
        district: from(DISTRICTS, i, 10).into(),
        household_members: (1 + pick(i, 11, 12)).to_string(),
        monthly_income: (pick(i, 12, 25) * 500).to_string(),
        housing: from(&["rented", "owned", "family", "other"], i, 13).into(),
        support_kind: KINDS[kind].into(),
        description: DESCRIPTIONS[kind].into(),
        declaration_accepted: true,
        signature: name,
        consent_sms: pick(i, 14, 4) != 0,
        ..RequestDraft::default()
    }
}

/// Where person `i`'s request ends up, and the steps that lead there: most
/// recent requests are still being worked on, older ones mostly decided.
fn path(i: u64, age_fraction: f64) -> &'static [RequestStatus] {
    use RequestStatus::*;
    let roll = pick(i, 15, 100);
    if age_fraction < 0.1 {
        return match roll {
            0..50 => &[],
            50..75 => &[UnderVerification],
            75..85 => &[UnderVerification, MissingInformation],
            _ => &[UnderVerification, ReferredToResearch, WithCommittee],
        };
    }
    match roll {
        0..45 => {
            &[UnderVerification, ReferredToResearch, WithCommittee, Accepted, RegistrationCompleted, ServiceDelivered]
        }
        45..60 => &[
            UnderVerification,
            ReferredToResearch,
            WithCommittee,
            Accepted,
            RegistrationCompleted,
            ServiceDelivered,
            Closed,
        ],
        60..80 => &[UnderVerification, ReferredToResearch, WithCommittee, Rejected],
        80..88 => &[UnderVerification, Rejected],
        88..94 => &[Closed],
        _ => &[UnderVerification, MissingInformation],
    }
}

fn reason(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Rejected => "الدخل الشهري أعلى من حد الاستحقاق.",
        RequestStatus::MissingInformation => "نحتاج صورة عقد الإيجار.",
        _ => "",
    }
}

/// The survey after each service that the generated answers go to: the one in
/// use, or a new one put in use by the first staff account. None without staff.
async fn survey_in_use(db: &Database, now: i64) -> StorageResult<Option<(i64, i64)>> {
    let existing = surveys::list(db).await?;
    if let Some(survey) = existing.iter().find(|s| s.active && s.audience == SurveyAudience::AfterService) {
        return Ok(survey.current.as_ref().map(|version| (survey.id, version.id)));
    }
    let Some(author) = crate::staff::list(db).await?.first().map(|staff| staff.id) else { return Ok(None) };
    let new = NewSurvey {
        title_ar: "رضا المستفيدين عن الخدمة",
        title_en: "Beneficiaries' satisfaction with the service",
        audience: SurveyAudience::AfterService,
        evaluated_team: None,
        anonymous: false,
    };
    let id = surveys::create(db, new, author, now).await?;
    let questions = [
        Question {
            key: "q1".into(),
            kind: QuestionKind::Satisfaction,
            prompt_ar: "ما مدى رضاك عن الخدمة؟".into(),
            prompt_en: "How satisfied are you with the service?".into(),
            required: true,
            options: Vec::new(),
        },
        Question {
            key: "q2".into(),
            kind: QuestionKind::Recommend,
            prompt_ar: "ما احتمال أن توصي بالجمعية لغيرك؟".into(),
            prompt_en: "How likely are you to recommend the association?".into(),
            required: true,
            options: Vec::new(),
        },
        Question {
            key: "q3".into(),
            kind: QuestionKind::SingleChoice,
            prompt_ar: "كيف كان وقت الانتظار؟".into(),
            prompt_en: "How was the waiting time?".into(),
            required: false,
            options: vec![
                ChoiceOption { ar: "قصير".into(), en: "Short".into() },
                ChoiceOption { ar: "مقبول".into(), en: "Acceptable".into() },
                ChoiceOption { ar: "طويل".into(), en: "Long".into() },
            ],
        },
    ];
    surveys::save_draft(db, id, &questions).await?;
    let version = surveys::publish(db, id, author, now).await?.map_err(|e| StorageError::Invalid(format!("{e:?}")))?;
    surveys::set_active(db, id, true).await?.map_err(|e| StorageError::Invalid(format!("{e:?}")))?;
    Ok(Some((id, version)))
}

/// Writes people `0..count` who are not there yet, their requests taken `now`
/// back over two years. `documents` holds the generated files.
pub async fn seed_scale(
    db: &Database,
    documents: &dyn DocumentStore,
    count: u64,
    now: i64,
) -> StorageResult<ScaleReport> {
    const TWO_YEARS: i64 = 2 * 365 * 86_400;
    let keys = db.keys()?;
    let survey = survey_in_use(db, now).await?;
    let mut report = ScaleReport::default();
    for i in 0..count {
        let draft = draft(i);
        let age_fraction = 1.0 - (i as f64 + 0.5) / count.max(1) as f64;
        // Oldest first, so the references grow with time as they do for real.
        let submitted_at = now - (age_fraction * TWO_YEARS as f64) as i64 - 3600;
        let day = awn_domain::calendar::DualDate::from_unix_seconds(submitted_at).gregorian;
        let today = CalendarDay { year: day.year, month: day.month, day: day.day };
        let valid = validate_request(&draft, today, &KINDS.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>())
            .map_err(|errors| StorageError::Invalid(format!("generated request {i}: {errors:?}")))?;
        let Some(beneficiary_id) = super::ensure_beneficiary(db, keys, valid.mobile.as_e164(), submitted_at).await?
        else {
            report.skipped += 1;
            continue;
        };
        let channel = from(CHANNELS, i, 16);
        let submission = requests::submit(
            db,
            NewRequest {
                beneficiary_id,
                request: &valid,
                declaration_version: "1.0",
                language: if pick(i, 17, 10) == 0 { Language::English } else { Language::Arabic },
                now: submitted_at,
                channel,
                actor: if channel == Channel::Website { requests::ACTOR_BENEFICIARY } else { ACTOR },
            },
            |_, _| Vec::new(),
        )
        .await?;
        let Submission::Submitted { id, .. } = submission else { continue };
        report.requests += 1;
        let mut at = submitted_at;
        if pick(i, 18, 3) == 0 {
            // The store files a key under its first two characters: 100 folders.
            let key = format!("{:02}-demo-scale-{i}", i % 100);
            documents.put(&key, DOCUMENT).await.map_err(|e| StorageError::Invalid(format!("document store: {e}")))?;
            crate::documents::record(
                db,
                NewDocument {
                    beneficiary_id,
                    request_id: Some(id),
                    document_request_id: None,
                    storage_key: &key,
                    file_name: "عقد-الإيجار.pdf",
                    content_type: "application/pdf",
                    size_bytes: DOCUMENT.len() as i64,
                    now: at + 600,
                },
            )
            .await?;
            report.documents += 1;
        }
        for &status in path(i, age_fraction) {
            at += 86_400 * (1 + pick(at as u64, 19, 4) as i64);
            requests::change_status(db, id, status, reason(status), ACTOR, at.min(now), |_| Vec::new())
                .await?
                .map_err(|e| StorageError::Invalid(format!("generated request {i}: {e}")))?;
            if status == RequestStatus::ServiceDelivered
                && let Some((survey_id, version)) = survey
                && pick(i, 20, 3) != 0
            {
                let subject = InvitationSubject {
                    beneficiary_id: Some(beneficiary_id),
                    request_id: Some(id),
                    channel: Some(channel.code().to_owned()),
                    service_kind: Some(valid.support_kind.clone()),
                    ..InvitationSubject::default()
                };
                // Answered at once, so no message goes out for it.
                let mut tx = db.begin_write().await?;
                let invitation = insert_invitation(&mut tx, survey_id, &subject, false, at).await?;
                tx.commit().await?;
                let token = Some(invitation.token);
                if let Some(token) = token {
                    let score = u8::try_from(1 + pick(i, 21, 5).max(pick(i, 22, 5))).unwrap_or(5);
                    let answers = [
                        ("q1".to_owned(), Answer::Score(score)),
                        ("q2".to_owned(), Answer::Score(score * 2)),
                        ("q3".to_owned(), Answer::Choices(vec![pick(i, 23, 3)])),
                    ];
                    surveys::respond(db, &token, version, &answers, at + 3600)
                        .await?
                        .map_err(|e| StorageError::Invalid(format!("generated answer {i}: {e:?}")))?;
                    report.survey_answers += 1;
                }
            }
        }
        for m in 0..pick(i, 24, 4) {
            let author = if m % 2 == 0 { requests::ACTOR_BENEFICIARY } else { ACTOR };
            requests::add_message(
                db,
                id,
                author,
                from(MESSAGES, i + m as u64, 25),
                submitted_at + 7200 * (m as i64 + 1),
            )
            .await?;
            report.messages += 1;
        }
    }
    settle_after_bulk_load(db).await?;
    Ok(report)
}

/// What PostgreSQL's autovacuum does a while after a bulk load, done at once:
/// the planner's statistics, and the visibility map that lets the staff views
/// read their indexes alone (index-only scans). SQLite needs neither.
async fn settle_after_bulk_load(db: &Database) -> StorageResult<()> {
    if db.backend() == crate::Backend::Postgres {
        for table in ["support_requests", "survey_responses", "survey_answers", "request_messages", "clocks"] {
            sqlx::raw_sql(&format!("VACUUM (ANALYZE) {table}")).execute(db.pool()).await?;
        }
    }
    Ok(())
}
