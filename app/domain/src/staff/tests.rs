use super::*;
use Permission::*;
use StaffRole::*;

/// The matrix written out again, independently: a change to `permissions`
/// must be made here too, on purpose.
fn expected(role: StaffRole) -> Vec<Permission> {
    match role {
        RelationsOfficer => vec![
            ViewQueue,
            RecordIntake,
            ViewBeneficiaryFile,
            VerifyRequest,
            ReferToResearch,
            CloseRequest,
            AssignRequest,
            MessageBeneficiary,
            AnswerInquiry,
            PublishFaq,
            HandleComplaint,
            ViewLibrary,
            InviteToSurvey,
            ManageImprovements,
            RecordConsent,
            ViewMyWork,
            ManageSupporters,
            ManageMembers,
            ResolveDuplicates,
            ManageVolunteers,
            EditHousehold,
        ],
        SocialResearcher => {
            vec![
                ViewQueue,
                ViewBeneficiaryFile,
                RecordStudy,
                MessageBeneficiary,
                AnswerInquiry,
                ViewLibrary,
                ViewMyWork,
                EditHousehold,
            ]
        }
        CommitteeMember => {
            vec![ViewQueue, ViewBeneficiaryFile, DecideRequest, ViewLibrary, ViewMyWork, ResolveDuplicates]
        }
        ServiceOfficer => vec![
            ViewQueue,
            ViewBeneficiaryFile,
            CompleteRegistration,
            RecordService,
            CloseRequest,
            MessageBeneficiary,
            ViewLibrary,
            InviteToSurvey,
            ViewMyWork,
        ],
        PrivacyOfficer => vec![
            ViewBeneficiaryFile,
            ViewAuditLog,
            RecordDisclosure,
            HandlePrivacyReport,
            PublishPrivacyPolicy,
            AnswerDataRequest,
            ViewLibrary,
            RecordConsent,
            ViewMyWork,
        ],
        Admin => vec![
            ManageStaff,
            ManageSupportKinds,
            ManageSettings,
            ViewLibrary,
            ManageLibrary,
            ViewReports,
            ExportReports,
            PublishPrivacyPolicy,
            SendNews,
            ManageSurveys,
            ViewSatisfaction,
            ManageImprovements,
            ViewMyWork,
        ],
        Consultant => vec![ViewLibrary, ViewReports, ViewSatisfaction, ViewMyWork],
        Volunteer => vec![ViewLibrary, RecordIntake, ViewMyWork],
    }
}

#[test]
fn the_whole_matrix_matches_the_expected_table() {
    let mut checked = 0;
    for role in StaffRole::ALL {
        let allowed = expected(role);
        for permission in Permission::ALL {
            assert_eq!(
                role_allows(role, permission),
                allowed.contains(&permission),
                "{} / {}",
                role.code(),
                permission.code()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, StaffRole::ALL.len() * Permission::ALL.len());
}

#[test]
fn every_permission_is_held_by_someone() {
    for permission in Permission::ALL {
        assert!(StaffRole::ALL.iter().any(|&role| role_allows(role, permission)), "{}", permission.code());
    }
}

#[test]
fn codes_are_unique_and_read_back() {
    for role in StaffRole::ALL {
        assert_eq!(StaffRole::from_code(role.code()), Some(role));
    }
    for permission in Permission::ALL {
        assert_eq!(Permission::from_code(permission.code()), Some(permission));
    }
    let mut codes: Vec<&str> = Permission::ALL.iter().map(|p| p.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), Permission::ALL.len());
    assert_eq!(StaffRole::from_code("root"), None);
    assert_eq!(StaffRole::from_code("Admin"), None);
    assert_eq!(Permission::from_code("everything"), None);
}

/// Whether a role sees people's personal data at all (B2).
fn sees_personal_data(role: StaffRole) -> bool {
    permissions(role).iter().any(|permission| permission.involves_personal_data())
}

#[test]
fn volunteers_and_consultants_never_see_personal_data() {
    for role in [Volunteer, Consultant, Admin] {
        assert!(!sees_personal_data(role), "{}", role.code());
        assert!(!role_allows(role, ViewBeneficiaryFile), "{}", role.code());
    }
    for role in [RelationsOfficer, SocialResearcher, CommitteeMember, ServiceOfficer, PrivacyOfficer] {
        assert!(sees_personal_data(role), "{}", role.code());
    }
    assert!(role_allows(Volunteer, RecordIntake));
    assert!(!Permission::RecordIntake.involves_personal_data());
    // Volunteer applicants', supporters' and members' data is personal data too:
    // the front desk keeps those registers, admins run the system (B2).
    for permission in [ManageVolunteers, ManageSupporters, ManageMembers] {
        assert!(permission.involves_personal_data(), "{}", permission.code());
        assert!(!role_allows(Admin, permission), "{}", permission.code());
    }
    assert!(!role_allows(Volunteer, ManageVolunteers));
}

#[test]
fn whoever_works_on_personal_data_may_open_the_file() {
    // A slip that gave, say, a volunteer DecideRequest would show up here.
    for role in StaffRole::ALL {
        for &permission in permissions(role) {
            if permission.involves_personal_data() {
                assert!(role_allows(role, ViewBeneficiaryFile), "{} / {}", role.code(), permission.code());
            }
        }
    }
}

#[test]
fn only_admins_and_privacy_officers_need_a_second_factor() {
    let needing: Vec<StaffRole> = StaffRole::ALL.into_iter().filter(|&r| needs_second_factor(r)).collect();
    assert_eq!(needing, vec![PrivacyOfficer, Admin]);
}

#[test]
fn every_allowed_transition_needs_some_permission_and_no_other_has_one() {
    for from in RequestStatus::ALL {
        for to in RequestStatus::ALL {
            let needed = permission_to_move(from, to);
            assert_eq!(needed.is_some(), from.can_move_to(to), "{} → {}", from.code(), to.code());
            if let Some(permission) = needed {
                assert!(
                    StaffRole::ALL.iter().any(|&role| role_allows(role, permission)),
                    "nobody may move {} → {}",
                    from.code(),
                    to.code()
                );
            }
        }
    }
}

#[test]
fn transitions_need_the_right_permission() {
    use RequestStatus::*;
    assert_eq!(permission_to_move(Submitted, UnderVerification), Some(VerifyRequest));
    assert_eq!(permission_to_move(UnderVerification, ReferredToResearch), Some(ReferToResearch));
    assert_eq!(permission_to_move(UnderVerification, MissingInformation), Some(VerifyRequest));
    assert_eq!(permission_to_move(UnderVerification, Rejected), Some(DecideRequest));
    assert_eq!(permission_to_move(MissingInformation, UnderVerification), Some(VerifyRequest));
    assert_eq!(permission_to_move(ReferredToResearch, WithCommittee), Some(RecordStudy));
    assert_eq!(permission_to_move(ReferredToResearch, MissingInformation), Some(RecordStudy));
    assert_eq!(permission_to_move(WithCommittee, Accepted), Some(DecideRequest));
    assert_eq!(permission_to_move(WithCommittee, Rejected), Some(DecideRequest));
    assert_eq!(permission_to_move(WithCommittee, MissingInformation), Some(DecideRequest));
    assert_eq!(permission_to_move(Accepted, RegistrationCompleted), Some(CompleteRegistration));
    assert_eq!(permission_to_move(RegistrationCompleted, ServiceDelivered), Some(RecordService));
    assert_eq!(permission_to_move(ServiceDelivered, Closed), Some(CloseRequest));
    assert_eq!(permission_to_move(Submitted, Closed), Some(CloseRequest));
    assert_eq!(permission_to_move(Submitted, Accepted), None);
    assert_eq!(permission_to_move(WithCommittee, Closed), None);
    assert_eq!(permission_to_move(Closed, Submitted), None);
}

#[test]
fn failures_beyond_the_free_ones_wait_longer_and_longer_up_to_an_hour() {
    assert_eq!(throttle_wait_seconds(0, MAX_FAILED_SIGN_INS), 0);
    assert_eq!(throttle_wait_seconds(4, MAX_FAILED_SIGN_INS), 0);
    assert_eq!(throttle_wait_seconds(5, MAX_FAILED_SIGN_INS), 60);
    assert_eq!(throttle_wait_seconds(6, MAX_FAILED_SIGN_INS), 120);
    assert_eq!(throttle_wait_seconds(9, MAX_FAILED_SIGN_INS), 960);
    assert_eq!(throttle_wait_seconds(11, MAX_FAILED_SIGN_INS), LONGEST_WAIT_SECONDS);
    assert_eq!(throttle_wait_seconds(i64::MAX, MAX_FAILED_SIGN_INS), LONGEST_WAIT_SECONDS);
    assert_eq!(throttle_wait_seconds(19, MAX_FAILED_SIGN_INS_PER_USERNAME), 0);
    assert_eq!(throttle_wait_seconds(20, MAX_FAILED_SIGN_INS_PER_USERNAME), 60);
}

#[test]
fn passwords_must_be_long_and_not_trivial() {
    assert_eq!(check_new_password("قصيرة جدا", "sara"), Err(PasswordProblem::TooShort));
    assert_eq!(check_new_password("abcdefghijk", "sara"), Err(PasswordProblem::TooShort));
    assert_eq!(check_new_password("abcdefghijkl", "sara"), Ok(()));
    assert_eq!(check_new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1), "sara"), Err(PasswordProblem::TooLong));
    assert_eq!(check_new_password(&"ab".repeat(MAX_PASSWORD_CHARS / 2), "sara"), Ok(()));
    assert_eq!(check_new_password("aaaaaaaaaaaaaaa", "sara"), Err(PasswordProblem::OneCharacterRepeated));
    assert_eq!(check_new_password("ببببببببببببب", "sara"), Err(PasswordProblem::OneCharacterRepeated));
    // Characters are counted, not bytes: twelve Arabic letters are enough, eleven are not.
    assert_eq!(check_new_password("ابتثجحخدذرزس", "sara"), Ok(()));
    assert_eq!(check_new_password("ابتثجحخدذرز", "sara"), Err(PasswordProblem::TooShort));
    assert_eq!(check_new_password("قمر الرهاة يضيء", "sara"), Ok(()));
}

#[test]
fn passwords_must_not_contain_the_username() {
    assert_eq!(check_new_password("my-Sara-password", "sara"), Err(PasswordProblem::ContainsUsername));
    assert_eq!(check_new_password("x osama2026 x!", " Osama٢٠٢٦ "), Err(PasswordProblem::ContainsUsername));
    assert_eq!(check_new_password("hello-fahad-99!", "fahad@awn.sa"), Err(PasswordProblem::ContainsUsername));
    assert_eq!(check_new_password("هذه كلمة ريم السرية", "ريم"), Err(PasswordProblem::ContainsUsername));
    // Too short a username is not looked for, nor an empty one.
    assert_eq!(check_new_password("a long passphrase", "al"), Ok(()));
    assert_eq!(check_new_password("a long passphrase", ""), Ok(()));
}

#[test]
fn password_problem_codes_are_unique() {
    let all = [
        PasswordProblem::TooShort,
        PasswordProblem::TooLong,
        PasswordProblem::OneCharacterRepeated,
        PasswordProblem::ContainsUsername,
    ];
    let mut codes: Vec<&str> = all.iter().map(|p| p.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
}
